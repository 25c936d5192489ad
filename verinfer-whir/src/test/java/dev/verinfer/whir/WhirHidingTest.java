package dev.verinfer.whir;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.pcs.PcsRejectedException;
import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static dev.verinfer.whir.WhirPcsTest.bytes;
import static dev.verinfer.whir.WhirPcsTest.claims;
import static dev.verinfer.whir.WhirPcsTest.parse;
import static dev.verinfer.whir.WhirPcsTest.randomPoint;
import static dev.verinfer.whir.WhirPcsTest.randomTable;
import static dev.verinfer.whir.WhirPcsTest.transcript;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Hiding WHIR commitments: completeness in mixed batches, the budget, and a tamper test per prover-sent value. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WhirHidingTest {
    final WhirPcs pcs = new WhirPcs(WhirParameters.CONJECTURED);
    long[] a;
    long[] b;
    HidingCommitment ca;
    PcsCommitment cb;
    List<PcsOpening> openings;
    List<PcsClaim> claims;
    WhirProof proof;

    /** A hiding 9-variable A (two points), a plain 11-variable B, a hiding 0-variable C, in one batch. */
    @BeforeAll
    void fixture() {
        SplittableRandom rng = new SplittableRandom(21);
        a = randomTable(9, rng);
        b = randomTable(11, rng);
        long[] c = randomTable(0, rng);
        ca = (HidingCommitment) pcs.commitHiding(a, 50, new SplittableRandom(1));
        cb = pcs.commit(b);
        PcsCommitment cc = pcs.commitHiding(c, 50, new SplittableRandom(2));
        Ext2[] p1 = randomPoint(9, rng);
        Ext2[] p2 = randomPoint(9, rng);
        Ext2[] p3 = randomPoint(11, rng);
        openings = List.of(new PcsOpening(ca, p1, Mle.evaluate(a, p1)), new PcsOpening(cb, p3, Mle.evaluate(b, p3)),
                new PcsOpening(ca, p2, Mle.evaluate(a, p2)), new PcsOpening(cc, new Ext2[0], Ext2.of(c[0])));
        claims = claims(openings);
        proof = forge(WhirProver.Deviation.NONE);
    }

    /**
     * A hiding commitment's codeword is held softly and re-encoded from the coefficients once the collector clears it: the
     * same commitment (same masks) opened after its codeword was cleared (its opened fibres then computed coset by coset)
     * gives byte for byte the proof it gave before.
     */
    @Test
    void aClearedCodewordIsReEncodedIdentically() throws Exception {
        List<byte[]> proofs = new ArrayList<>();
        for (boolean cleared : new boolean[] {false, true}) {
            WhirHidingCommitment c = (WhirHidingCommitment) pcs.commitHiding(a, 50, new SplittableRandom(1));
            long[] before = c.codeword().clone();
            if (cleared) {
                c.clearCodeword();
                assertArrayEquals(before, c.codeword());
                c.clearCodeword();
            }
            Ext2[] p = randomPoint(9, new SplittableRandom(3));
            List<PcsOpening> os = List.of(new PcsOpening(c, p, Mle.evaluate(a, p)));
            PcsOpeningProof proof = pcs.open(transcript(), os);
            verify(claims(os), proof);
            proofs.add(bytes(proof));
        }
        assertArrayEquals(proofs.get(0), proofs.get(1));
    }

    WhirProof forge(WhirProver.Deviation d) {
        return WhirProver.open(pcs.parameters(), transcript(), openings, d);
    }

    void verify(List<PcsClaim> cs, PcsOpeningProof p) throws PcsRejectedException {
        pcs.verify(transcript(), cs, p);
    }

    String rejection(PcsOpeningProof p) {
        return assertThrows(PcsRejectedException.class, () -> verify(claims, p)).getMessage();
    }

    /** The proof with group g's round i replaced. */
    static WhirProof withRound(WhirProof p, int g, int i, UnaryOperator<WhirProof.Round> change) {
        List<WhirProof.Group> groups = new ArrayList<>(p.groups());
        WhirProof.Group old = groups.get(g);
        List<WhirProof.Round> rounds = new ArrayList<>(old.rounds());
        rounds.set(i, change.apply(rounds.get(i)));
        groups.set(g, new WhirProof.Group(old.merkleRoot(), old.commitOod(), rounds, old.finalCoefficients(), old.mask()));
        return new WhirProof(groups);
    }

    static WhirProof withGroup(WhirProof p, int g, UnaryOperator<WhirProof.Group> change) {
        List<WhirProof.Group> groups = new ArrayList<>(p.groups());
        groups.set(g, change.apply(groups.get(g)));
        return new WhirProof(groups);
    }

    @Test
    void mixedBatchVerifiesAndRoundTrips() throws Exception {
        assertEquals(3, proof.groups().size());
        assertTrue(proof.groups().get(0).hiding() && !proof.groups().get(1).hiding() && proof.groups().get(2).hiding());
        assertEquals(9, ca.numVars());
        Transcript proverSide = transcript();
        WhirProof fresh = (WhirProof) pcs.open(proverSide, openings);
        Transcript verifierSide = transcript();
        pcs.verify(verifierSide, claims, parse(pcs, bytes(fresh)));
        assertEquals(proverSide.challengeExt("after"), verifierSide.challengeExt("after"), "transcripts end in the same state");
        assertDoesNotThrow(() -> verify(claims, parse(pcs, bytes(proof))));
        assertDoesNotThrow(() -> verify(claims, forge(new WhirProver.Deviation() {})), "the forger without deviation is honest");
    }

    /** A plain proof is written as before (its group count first); a hiding one starts with −1, which plain readers refuse. */
    @Test
    void proofsStayWithinTheirBound() {
        int v = pcs.hidingVars(9, 50);
        assertEquals(v, ((WhirHidingCommitment) ca).layout.vars());
        WhirProof single = withGroup(new WhirProof(List.of(proof.groups().getFirst())), 0, g -> g);
        assertTrue(bytes(single).length <= ((WhirHidingCommitment) ca).layout.schedule(pcs.parameters()).maxHidingBytes(2), bytes(single).length + " bytes");
    }

    @Test
    void plainProofsKeepTheirFormat() {
        SplittableRandom rng = new SplittableRandom(22);
        Ext2[] p = randomPoint(11, rng);
        byte[] plain = bytes(pcs.open(transcript(), List.of(new PcsOpening(cb, p, Mle.evaluate(b, p)))));
        int header = bytes(new WhirProof(List.of())).length - 4;
        assertEquals(1, java.nio.ByteBuffer.wrap(plain, header, 4).getInt());
        assertEquals(WhirProof.HIDING_FORMAT, java.nio.ByteBuffer.wrap(bytes(proof), header, 4).getInt());
        assertEquals(3, java.nio.ByteBuffer.wrap(bytes(proof), header + 4, 4).getInt());
    }

    @Test
    void budgetIsCountedAndEnforced() {
        SplittableRandom rng = new SplittableRandom(23);
        long[] t = randomTable(4, rng);
        HidingCommitment h = (HidingCommitment) pcs.commitHiding(t, 2, new SplittableRandom(3));
        int budget = h.openingBudget();
        assertTrue(budget >= 2, "at least the budget asked for: " + budget);
        Ext2[] p = randomPoint(4, rng);
        List<PcsOpening> o = List.of(new PcsOpening(h, p, Mle.evaluate(t, p)));
        for (int k = 1; k <= budget; k++) {
            pcs.open(transcript(), o);
            assertEquals(budget - k, h.openingsLeft());
        }
        assertThrows(IllegalStateException.class, () -> pcs.open(transcript(), o));
        assertThrows(IllegalArgumentException.class, () -> pcs.commitHiding(t, 0, new SplittableRandom(3)));
        assertThrows(IllegalArgumentException.class, () -> pcs.commitHiding(t, Integer.MAX_VALUE, new SplittableRandom(3)));
    }

    /** The figures docs/proof-system.md quotes: f′'s arity and the budget it covers, per regime. */
    @Test
    void budgetsOfRealSizes() {
        assertEquals(new HidingLayout(20, 21, 515, 4), HidingLayout.of(WhirParameters.PROVEN_UNIQUE, 20, 1));
        assertEquals(new HidingLayout(20, 21, 1448, 4), HidingLayout.of(WhirParameters.CONJECTURED, 20, 1));
        assertEquals(new HidingLayout(18, 19, 1024, 1), HidingLayout.of(WhirParameters.PROVEN_UNIQUE, 18, 1024));
        assertEquals(new HidingLayout(18, 19, 1424, 2), HidingLayout.of(WhirParameters.CONJECTURED, 18, 1024));
        assertEquals(new HidingLayout(11, 19, 1024, 2), HidingLayout.of(WhirParameters.PROVEN_UNIQUE, 11, 1024));
        assertEquals(new HidingLayout(11, 17, 1372, 1), HidingLayout.of(WhirParameters.CONJECTURED, 11, 1024));
        // g's leaves are f′'s (2^k₀ values, not 2^4; since 2026-12-06): g's count at v = 11 fits, where it took 12.
        assertEquals(11, HidingLayout.of(WhirParameters.PROVEN_UNIQUE, 0, 1).vars(), "a small table's mask is sized by g's needs");
        assertEquals(9, HidingLayout.of(WhirParameters.CONJECTURED, 8, 1).vars());
        assertEquals(2034, HidingLayout.tableFunctionals(WhirParameters.PROVEN_UNIQUE.hidingSchedule(21, 4)));
        assertEquals(724, HidingLayout.tableFunctionals(WhirParameters.CONJECTURED.hidingSchedule(21, 4)));
        assertEquals(256, HidingLayout.tableFunctionals(WhirParameters.PROVEN_UNIQUE.hidingSchedule(21, 1)));
        assertEquals(94, HidingLayout.tableFunctionals(WhirParameters.CONJECTURED.hidingSchedule(21, 1)));
        // The Johnson preset's fewer queries reveal fewer fibres: the same masks cover about twice the openings.
        assertEquals(new HidingLayout(20, 21, 1036, 4), HidingLayout.of(WhirParameters.PROVEN, 20, 1));
        assertEquals(new HidingLayout(18, 19, 1057, 2), HidingLayout.of(WhirParameters.PROVEN, 18, 1024));
        // alexa_v0.1's packed weights (2^19): the largest first fold that covers 1024 openings at v = n + 1 is 3, not 1.
        assertEquals(new HidingLayout(19, 20, 1048, 3), HidingLayout.of(WhirParameters.PROVEN, 19, 1024));
        assertEquals(new HidingLayout(11, 18, 1048, 2), HidingLayout.of(WhirParameters.PROVEN, 11, 1024));
        assertEquals(10, HidingLayout.of(WhirParameters.PROVEN, 0, 1).vars());
        assertEquals(1012, HidingLayout.tableFunctionals(WhirParameters.PROVEN.hidingSchedule(21, 4)));
        assertEquals(130, HidingLayout.tableFunctionals(WhirParameters.PROVEN.hidingSchedule(21, 1)));
        // The registered weights' budget (1024) for alexa_v0.1's 2^18 entries: 2^19 with a first fold of 1, 2^22 with 4.
        assertEquals(WhirParameters.PROVEN.schedule(18).rounds().size() + 1, WhirParameters.PROVEN.hidingSchedule(19, 1).rounds().size());
    }

    /**
     * After a narrow first fold the next domain shrinks by 2^(k₀−1), so the rate halves (2026-12-06, zkbytes26), and the
     * iteration after it keeps its domain (bytes28): alexa_v0.1's weights (v = 19, k₀ = 2) draw 45 and 23 queries after
     * iteration 0 on 2^21 and 2^21 points, where the 4× reduction at iteration 1 drew 45 and 30 (on 2^21, 2^19) and keeping
     * the rate at iteration 0 61 and 36; k₀ = 1 halves it too, k₀ = 3 and the plain fold keep the 4× reduction at iteration 0.
     * Every such schedule keeps its 100 bits ({@code WhirSecurityBitsTest}).
     */
    @Test
    void aNarrowFirstFoldHalvesTheRateAndTheNextOracleKeepsItsDomain() {
        WhirSchedule weights = WhirParameters.PROVEN.hidingSchedule(19, 2);
        assertEquals(List.of(22, 21, 21), weights.rounds().stream().map(WhirSchedule.Round::logDomain).toList());
        assertEquals(List.of(61, 45, 23), weights.rounds().stream().map(WhirSchedule.Round::queries).toList());
        assertEquals(9, weights.finalVars());
        assertTrue(weights.securityBits() >= 100, "100 bits: " + weights.securityBits());
        assertEquals(22, WhirParameters.PROVEN.hidingSchedule(19, 1).rounds().get(1).logDomain());
        assertEquals(22, WhirParameters.PROVEN.hidingSchedule(19, 1).rounds().get(2).logDomain());
        assertEquals(20, WhirParameters.PROVEN.hidingSchedule(19, 3).rounds().get(1).logDomain());
        assertEquals(20, WhirParameters.PROVEN.hidingSchedule(19, 3).rounds().get(2).logDomain());
        assertEquals(List.of(22, 20, 18), WhirParameters.PROVEN.schedule(19).rounds().stream().map(WhirSchedule.Round::logDomain).toList());
    }

    /**
     * After the plain first fold a hiding run's next domain shrinks by 2^(k₀−1) too (rate35): the wake-word models' weights
     * (v = 19 = n + 1, k₀ = 4) re-encode iteration 1 on the plain run's 2^19 points (rate 2^−4, 45 queries where 2^20 drew 36),
     * and iteration 2 shrinks 4× as plain iterations do; iteration 0, and so each opening's budget, is the plain one's.
     */
    @Test
    void aHidingRunsSecondOracleIsAtHalfTheRate() {
        WhirSchedule weights = WhirParameters.PROVEN.hidingSchedule(19, 4);
        assertEquals(List.of(22, 19, 17), weights.rounds().stream().map(WhirSchedule.Round::logDomain).toList());
        assertEquals(List.of(61, 45, 30), weights.rounds().stream().map(WhirSchedule.Round::queries).toList());
        assertEquals(7, weights.finalVars());
        assertTrue(weights.securityBits() >= 100, "100 bits: " + weights.securityBits());
        assertEquals(WhirParameters.PROVEN.schedule(18).rounds().get(1).logDomain(), weights.rounds().get(1).logDomain());
        assertEquals(WhirParameters.PROVEN.schedule(19).rounds().getFirst(), weights.rounds().getFirst());
    }

    @Test
    void rootsHideAndDifferFromPlain() {
        assertNotEquals(Arrays.toString(pcs.commit(a).root()), Arrays.toString(ca.root()));
        assertNotEquals(Arrays.toString(pcs.commitHiding(a, 50, new SplittableRandom(1)).root()),
                Arrays.toString(pcs.commitHiding(a, 50, new SplittableRandom(5)).root()), "fresh randomness, fresh root");
        assertArrayEquals(pcs.commitHiding(a, 50, new SplittableRandom(1)).root(), ca.root(), "deterministic given the randomness");
    }

    @Test
    void proverRefusesAWrongClaim() {
        List<PcsOpening> wrong = List.of(new PcsOpening(ca, openings.get(0).point(), openings.get(0).value().add(1)));
        assertThrows(IllegalArgumentException.class, () -> pcs.open(transcript(), wrong));
    }

    // ---- soundness: every prover-sent value of a hiding group ----

    @Test
    void wrongClaimIsRejected() {
        for (int k : new int[] {0, 2, 3}) {
            List<PcsClaim> wrong = new ArrayList<>(claims);
            PcsClaim c = claims.get(k);
            wrong.set(k, new PcsClaim(c.root(), c.numVars(), c.point(), c.claimedValue().add(1)));
            assertThrows(PcsRejectedException.class, () -> verify(wrong, proof), "claim " + k);
        }
        // a prover that lies about f(r) and shifts g(r) to compensate still fails: ρ comes after both
        WhirProver.Deviation liar = new WhirProver.Deviation() {
            @Override
            public boolean checksClaims() {
                return false;
            }
        };
        List<PcsOpening> lies = new ArrayList<>(openings);
        lies.set(0, new PcsOpening(ca, openings.get(0).point(), openings.get(0).value().add(5)));
        WhirProof lying = WhirProver.open(pcs.parameters(), transcript(), lies, liar);
        assertThrows(PcsRejectedException.class, () -> verify(claims(lies), lying));
        WhirProof shifted = withGroup(lying, 0, g -> {
            Ext2[] mc = g.mask().claims().clone();
            mc[0] = mc[0].sub(5); // would fix the claim only for ρ = 1
            return new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(),
                    new WhirProof.Mask(g.mask().extraVars(), g.mask().root(), g.mask().ood(), mc, g.mask().nonce(), g.mask().firstFold(), g.mask().summed()));
        });
        assertThrows(PcsRejectedException.class, () -> verify(claims(lies), shifted));
    }

    /** The values with one more (1) at the end. */
    static Ext2[] oneMore(Ext2[] values) {
        Ext2[] out = Arrays.copyOf(values, values.length + 1);
        out[values.length] = Ext2.ONE;
        return out;
    }

    /** The mask with each out-of-domain value and each claim value in turn shifted by one. */
    static List<WhirProof.Mask> shiftedMaskValues(WhirProof.Mask m) {
        List<WhirProof.Mask> changed = new ArrayList<>();
        for (int k = 0; k < m.ood().length; k++) {
            Ext2[] ood = m.ood().clone();
            ood[k] = ood[k].add(1);
            changed.add(new WhirProof.Mask(m.extraVars(), m.root(), ood, m.claims(), m.nonce(), m.firstFold(), m.summed()));
        }
        for (int k = 0; k < m.claims().length; k++) {
            Ext2[] cl = m.claims().clone();
            cl[k] = cl[k].add(1);
            changed.add(new WhirProof.Mask(m.extraVars(), m.root(), m.ood(), cl, m.nonce(), m.firstFold(), m.summed()));
        }
        return changed;
    }

    /** The format before summed values (flags 1, 2; bounds proofs in verifying keys made before) still verifies, and still checks each value. */
    @Test
    void theUnsummedFormatStillVerifiesAndChecksEveryValue() throws Exception {
        WhirProof legacy = WhirProver.open(pcs.parameters(), transcript(), openings, new WhirProver.Deviation() {
            @Override
            public boolean sumsMaskValues() {
                return false;
            }
        });
        WhirProof.Mask m = legacy.groups().getFirst().mask();
        assertFalse(m.summed());
        assertEquals(6, m.ood().length, "ĝ at 2 commit points, (f̂′, ĝ) at 2 mask points");
        WhirProof read = (WhirProof) parse(pcs, bytes(legacy));
        assertFalse(read.groups().getFirst().mask().summed());
        verify(claims, read);
        List<WhirProof.Mask> changed = shiftedMaskValues(m);
        changed.add(new WhirProof.Mask(m.extraVars(), m.root(), m.ood(), m.claims(), m.nonce(), m.firstFold(), true));
        for (WhirProof.Mask bad : changed) {
            assertThrows(PcsRejectedException.class, () -> verify(claims,
                    withGroup(legacy, 0, g -> new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(), bad))));
        }
    }

    @Test
    void alteredMaskValuesAreRejected() {
        WhirProof.Mask m = proof.groups().getFirst().mask();
        assertTrue(m.summed(), "a run of one hiding commitment sums g's values (WhirProof.Mask#summed)");
        assertEquals(2, m.ood().length, "f̂′ at 2 mask points");
        assertEquals(1, m.claims().length, "Γ: g at the claims, at the 2 commit points and at the 2 mask points, β-combined");
        List<WhirProof.Mask> changed = shiftedMaskValues(m);
        changed.add(new WhirProof.Mask(m.extraVars(), m.root(), m.ood(), m.claims(), m.nonce(), m.firstFold(), false)); // read unsummed
        byte[] root = m.root().clone();
        root[3] ^= 1;
        changed.add(new WhirProof.Mask(m.extraVars(), root, m.ood(), m.claims(), m.nonce(), m.firstFold(), m.summed()));
        changed.add(new WhirProof.Mask(m.extraVars() + 1, m.root(), m.ood(), m.claims(), m.nonce(), m.firstFold(), m.summed()));
        changed.add(new WhirProof.Mask(m.extraVars(), m.root(), m.ood(), m.claims(), m.nonce(), m.firstFold() == 1 ? 2 : 1, m.summed()));
        changed.add(new WhirProof.Mask(m.extraVars(), m.root(), m.ood(), WhirHidingTest.oneMore(m.claims()), m.nonce(), m.firstFold(), m.summed()));
        for (WhirProof.Mask bad : changed) {
            WhirProof p = withGroup(proof, 0, g -> new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(), bad));
            rejection(p);
        }
    }

    @Test
    void alteredSaltIsRejected() {
        assertEverySaltBinds(proof, this::rejection);
        WhirProof maskSalt = withRound(proof, 0, 0, r -> {
            long[] salts = r.mask().salts().clone();
            salts[0] ^= 1L << 40;
            return new WhirProof.Round(r.sumcheck(), r.powNonces(), r.nextRoot(), r.ood(), r.fibres(), r.paths(), r.combineNonce(), r.salts(),
                    new WhirProof.Opened(r.mask().fibres(), salts, r.mask().paths()), r.queryNonce());
        });
        assertTrue(rejection(maskSalt).contains("fibre openings"));
        WhirProof noSalts = withRound(proof, 0, 0, r -> new WhirProof.Round(r.sumcheck(), r.powNonces(), r.nextRoot(), r.ood(), r.fibres(), r.paths(),
                r.combineNonce(), new long[0], r.mask(), r.queryNonce()));
        assertTrue(rejection(noSalts).contains("salt"));
    }

    /**
     * Each iteration's salts bind: a salt altered is rejected; a later oracle committed unsalted ({@link HidingLayout#unsaltedLaterOracles},
     * 2026-12-06, bytes28) is opened without salts, and salts added to its leaves are rejected (the leaves hash otherwise).
     */
    static void assertEverySaltBinds(WhirProof proof, java.util.function.Function<WhirProof, String> rejection) {
        for (int i = 0; i < proof.groups().getFirst().rounds().size(); i++) {
            WhirProof p = withRound(proof, 0, i, r -> {
                long[] salts = r.salts().length > 0 ? r.salts().clone() : new java.util.SplittableRandom(3).longs(2L * r.fibres().length).toArray();
                salts[salts.length - 1] ^= 1;
                return new WhirProof.Round(r.sumcheck(), r.powNonces(), r.nextRoot(), r.ood(), r.fibres(), r.paths(), r.combineNonce(), salts, r.mask(), r.queryNonce());
            });
            assertTrue(rejection.apply(p).contains("fibre openings"), "iteration " + i);
        }
    }

    @Test
    void alteredFibreIsRejected() {
        for (int i = 0; i < proof.groups().getFirst().rounds().size(); i++) {
            int target = i;
            WhirProver.Deviation d = new WhirProver.Deviation() {
                @Override
                public void fibres(int g, int it, long[][] fibres) {
                    if (g == 0 && it == target) {
                        fibres[0][1] = Goldilocks.add(fibres[0][1], 1);
                    }
                }
            };
            assertTrue(rejection(forge(d)).contains("fibre openings"), "iteration " + i);
        }
        WhirProof maskFibre = withRound(proof, 0, 0, r -> {
            long[][] fibres = Arrays.stream(r.mask().fibres()).map(long[]::clone).toArray(long[][]::new);
            fibres[fibres.length - 1][0] = Goldilocks.add(fibres[fibres.length - 1][0], 1);
            return new WhirProof.Round(r.sumcheck(), r.powNonces(), r.nextRoot(), r.ood(), r.fibres(), r.paths(), r.combineNonce(), r.salts(),
                    new WhirProof.Opened(fibres, r.mask().salts(), r.mask().paths()), r.queryNonce());
        });
        assertTrue(rejection(maskFibre).contains("fibre openings"));
        WhirProof noMask = withRound(proof, 0, 0, r -> new WhirProof.Round(r.sumcheck(), r.powNonces(), r.nextRoot(), r.ood(), r.fibres(), r.paths(),
                r.combineNonce(), r.salts(), null, r.queryNonce()));
        assertTrue(rejection(noMask).contains("mask fibres"));
    }

    /** A wrongly folded oracle, committed and answered consistently (salted like an honest one): the queries catch it. */
    @Test
    void alteredFoldIsRejected() {
        for (int iteration = 0; iteration < proof.groups().getFirst().rounds().size(); iteration++) {
            int target = iteration;
            WhirProver.Deviation d = new WhirProver.Deviation() {
                @Override
                public void folded(int g, int i, ExtVector coefficients) {
                    if (g == 0 && i == target) {
                        coefficients.set(0, coefficients.get(0).add(Ext2.ONE));
                    }
                }
            };
            rejection(forge(d));
        }
    }

    @Test
    void alteredSumcheckAndOodAreRejected() {
        rejection(forge(new WhirProver.Deviation() {
            @Override
            public void sumcheck(int g, int i, int s, Ext2[] message) {
                if (g == 0 && i == 0 && s == 0) {
                    message[1] = message[1].add(Ext2.ONE);
                }
            }
        }));
        rejection(forge(new WhirProver.Deviation() {
            @Override
            public void ood(int g, int i, Ext2[] answers) {
                if (g == 0) {
                    answers[0] = answers[0].add(Ext2.ONE);
                }
            }
        }));
    }

    // ---- hiding and plain are never confused ----

    @Test
    void hidingProofReadAsPlainIsRejected() {
        WhirProof asPlain = withGroup(proof, 0, g -> new WhirProof.Group(g.merkleRoot(), g.commitOod(),
                g.rounds().stream().map(r -> new WhirProof.Round(r.sumcheck(), r.powNonces(), r.nextRoot(), r.ood(), r.fibres(), r.paths(),
                        r.combineNonce(), new long[0], null, r.queryNonce())).toList(), g.finalCoefficients()));
        rejection(asPlain);
    }

    @Test
    void plainProofReadAsHidingIsRejected() {
        // B's plain group dressed as hiding, against B's plain root
        WhirProof.Mask m = proof.groups().getFirst().mask();
        WhirProof dressed = withGroup(proof, 1, g -> new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(),
                new WhirProof.Mask(1, m.root(), m.ood(), new Ext2[] {Ext2.ZERO}, 0, m.firstFold(), m.summed())));
        rejection(dressed);
        // a plain commitment's proof against a hiding commitment's root of the same table
        HidingCommitment hb = (HidingCommitment) pcs.commitHiding(b, 3, new SplittableRandom(9));
        PcsOpening o = openings.get(1);
        WhirProof plainProof = (WhirProof) pcs.open(transcript(), List.of(o));
        PcsClaim onHiding = new PcsOpening(hb, o.point(), o.value()).claim();
        assertThrows(PcsRejectedException.class, () -> verify(List.of(onHiding), plainProof));
        // and a hiding proof against the plain root
        WhirProof hidingProof = (WhirProof) pcs.open(transcript(), List.of(new PcsOpening(hb, o.point(), o.value())));
        assertThrows(PcsRejectedException.class, () -> verify(List.of(o.claim()), hidingProof));
        assertDoesNotThrow(() -> verify(List.of(onHiding), hidingProof));
    }

    @Test
    void everyFlippedBitIsRejectedOrUnparseable() {
        int rejected = WhirPcsTest.BitFlips.of(pcs, bytes(proof), claims, 24, 300, 40).rejected();
        assertTrue(rejected > 100, rejected + " rejected");
    }
}
