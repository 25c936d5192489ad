package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
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
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static dev.verinfer.whir.WhirPcsTest.bytes;
import static dev.verinfer.whir.WhirPcsTest.claims;
import static dev.verinfer.whir.WhirPcsTest.parse;
import static dev.verinfer.whir.WhirPcsTest.randomPoint;
import static dev.verinfer.whir.WhirPcsTest.randomTable;
import static dev.verinfer.whir.WhirPcsTest.transcript;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built hiding batch ({@link HidingBatch}, docs/proof-system.md "Hiding commitments", item 9): a proof's hiding
 * commitments in one zero-knowledge run — a reusable commitment (the weights, two claims, one off the face), two commitments
 * for one opening (a witness, and M with several claims) — beside a plain commitment in its own run. Every value the run
 * sends is checked: each cross value, each member's mask values, the leaves and salts of each f′_j and g_j, the ρ and μ
 * nonces, reordered and dropped members, and flipped bytes are all rejected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WhirHidingBatchTest {
    final WhirPcs pcs = new WhirPcs(WhirParameters.CONJECTURED);
    List<PcsOpening> openings;
    List<PcsClaim> claims;
    WhirProof proof;
    int batchGroup;

    @BeforeAll
    void fixture() {
        openings = fresh();
        claims = claims(openings);
        proof = WhirProver.open(pcs.parameters(), transcript(), openings);
        batchGroup = 0;
    }

    /** The openings, on commitments made afresh from the same seeds (the same roots: a commitment for one opening is spent once opened). */
    List<PcsOpening> fresh() {
        SplittableRandom rng = new SplittableRandom(77);
        long[] weights = randomTable(10, rng);
        long[] witness = randomTable(9, rng);
        long[] m = randomTable(9, rng);
        long[] plain = randomTable(8, rng);
        WhirHidingCommitment cw = (WhirHidingCommitment) pcs.commitHiding(weights, 8, new SplittableRandom(1));
        WhirHidingCommitment cx = (WhirHidingCommitment) pcs.commitHidingOnce(witness, 1, false, new SplittableRandom(2));
        // M as a zero-knowledge proof commits it: the narrowest first fold its arity covers, narrower leaves than the plain fold's
        WhirHidingCommitment cm = (WhirHidingCommitment) pcs.commitHidingOnce(m, 1, true, new SplittableRandom(3));
        assertTrue(cm.layout.firstFold() < HidingLayout.of(pcs.parameters(), 9, 1).firstFold(), cm.layout.toString());
        assertEquals(HidingLayout.of(pcs.parameters(), 9, 1).vars(), cm.layout.vars(), "the same arity");
        PcsCommitment cp = pcs.commit(plain);
        List<PcsOpening> os = new ArrayList<>();
        Ext2[] pw = randomPoint(10, rng);
        os.add(new PcsOpening(cx, randomPoint(9, rng), null));
        os.add(new PcsOpening(cw, pw, Mle.evaluate(weights, pw)));
        os.add(new PcsOpening(cp, randomPoint(8, rng), null));
        Ext2[] off = randomPoint(11, rng); // off the face: f′(r, β, 0, …) = f(r) + β·h(r)
        os.add(new PcsOpening(cw, off, cw.evaluate(off)));
        for (int k = 0; k < 5; k++) {
            os.add(new PcsOpening(cm, randomPoint(9, rng), null));
        }
        List<PcsOpening> out = new ArrayList<>();
        for (PcsOpening o : os) {
            Ext2 value = o.value() != null ? o.value()
                    : o.commitment() == cx ? Mle.evaluate(witness, o.point()) : o.commitment() == cm ? Mle.evaluate(m, o.point()) : Mle.evaluate(plain, o.point());
            out.add(new PcsOpening(o.commitment(), o.point(), value));
        }
        return out;
    }

    void verify(List<PcsClaim> cs, PcsOpeningProof p) throws PcsRejectedException {
        pcs.verify(transcript(), cs, p);
    }

    String rejection(PcsOpeningProof p) {
        return assertThrows(PcsRejectedException.class, () -> verify(claims, p)).getMessage();
    }

    WhirProof.Group batch() {
        return proof.groups().get(batchGroup);
    }

    /** The proof with the batch group changed. */
    WhirProof with(UnaryOperator<WhirProof.Group> change) {
        List<WhirProof.Group> groups = new ArrayList<>(proof.groups());
        groups.set(batchGroup, change.apply(groups.get(batchGroup)));
        return new WhirProof(groups);
    }

    static WhirProof.Group withBatch(WhirProof.Group g, WhirProof.MaskedBatch b) {
        return new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(), g.mask(), null, b);
    }

    static WhirProof.Group withMember(WhirProof.Group g, int j, WhirProof.HidingMember m) {
        List<WhirProof.HidingMember> others = new ArrayList<>(g.maskedBatch().others());
        others.set(j - 1, m);
        return withBatch(g, new WhirProof.MaskedBatch(others, g.maskedBatch().cross(), g.maskedBatch().nonce()));
    }

    static WhirProof.Group withRound0(WhirProof.Group g, UnaryOperator<WhirProof.Round> change) {
        List<WhirProof.Round> rounds = new ArrayList<>(g.rounds());
        rounds.set(0, change.apply(rounds.getFirst()));
        return new WhirProof.Group(g.merkleRoot(), g.commitOod(), rounds, g.finalCoefficients(), g.mask(), null, g.maskedBatch());
    }

    static WhirProof.Group withMask0(WhirProof.Group g, WhirProof.Mask m) {
        return new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(), m, null, g.maskedBatch());
    }

    /** The proof's bytes by part (bench, {@code verinfer.trace}): every tree kind of the batch appears and the parts sum to the size. */
    @Test
    void theBytesByPartSumToTheProof() {
        java.util.Map<String, Long> parts = proof.sections();
        assertEquals(bytes(proof).length - bytes(new WhirProof(List.of())).length + 4, parts.values().stream().mapToLong(Long::longValue).sum());
        for (String tree : List.of("once (f′, g) pair", "reusable f′", "per-proof g", "plain")) {
            assertTrue(parts.getOrDefault("iteration-0 " + tree + " leaves: Merkle siblings", 0L) > 0, tree);
        }
        assertTrue(parts.get("cross values") > 0 && parts.get("mask values (out of domain, at the claims)") > 0 && parts.get("roots, answers, nonces, lengths") > 0);
    }

    @Test
    void theHidingCommitmentsShareOneRunThatVerifiesAndRoundTrips() throws Exception {
        assertEquals(2, proof.groups().size(), "the hiding batch, then the plain run");
        assertNotNull(batch().maskedBatch());
        assertEquals(3, batch().components());
        assertTrue(batch().once(), "member 0 is the witness, a commitment for one opening");
        assertTrue(batch().maskedBatch().others().get(0).maskLeaves() != null, "member 1 is the weights, with g's own tree");
        Transcript proverSide = transcript();
        WhirProof fresh = (WhirProof) pcs.open(proverSide, fresh());
        Transcript verifierSide = transcript();
        pcs.verify(verifierSide, claims, parse(pcs, bytes(fresh)));
        assertEquals(proverSide.challengeExt("after"), verifierSide.challengeExt("after"), "transcripts end in the same state");
        assertDoesNotThrow(() -> verify(claims, parse(pcs, bytes(proof))));
    }

    /**
     * An honest run reads the values it sends before ρ off its iteration 0's contractions (HidingOpening.ConstraintValues); any
     * deviation, even one changing nothing, makes it evaluate them on the coefficients and tables instead: the same proof.
     */
    @Test
    void theMaskValuesReadOffTheContractionsAreTheEvaluatedOnes() {
        WhirProof evaluated = WhirProver.open(pcs.parameters(), transcript(), fresh(), new WhirProver.Deviation() {});
        assertEquals(java.util.HexFormat.of().formatHex(bytes(proof)), java.util.HexFormat.of().formatHex(bytes(evaluated)));
    }

    @Test
    void wrongClaimsAreRejected() {
        for (int k = 0; k < claims.size(); k++) {
            List<PcsClaim> wrong = new ArrayList<>(claims);
            PcsClaim c = wrong.get(k);
            wrong.set(k, new PcsClaim(c.root(), c.numVars(), c.point(), c.claimedValue().add(1)));
            assertThrows(PcsRejectedException.class, () -> verify(wrong, proof), "claim " + k);
        }
        List<PcsOpening> wrong = new ArrayList<>(fresh());
        PcsOpening o = wrong.getFirst();
        wrong.set(0, new PcsOpening(o.commitment(), o.point(), o.value().add(1)));
        WhirProof forged = WhirProver.open(pcs.parameters(), transcript(), wrong, new WhirProver.Deviation() {
            @Override
            public boolean checksClaims() {
                return false;
            }
        });
        assertThrows(PcsRejectedException.class, () -> verify(claims(wrong), forged));
    }

    @Test
    void everyCrossValueIsChecked() {
        Ext2[] cross = batch().maskedBatch().cross();
        assertTrue(cross.length > 0);
        for (int k = 0; k < cross.length; k++) {
            Ext2[] changed = cross.clone();
            changed[k] = changed[k].add(1);
            WhirProof.MaskedBatch b = batch().maskedBatch();
            rejection(with(g -> withBatch(g, new WhirProof.MaskedBatch(b.others(), changed, b.nonce()))));
        }
    }

    @Test
    void everyMemberMaskValueIsChecked() {
        for (WhirProof.Mask bad : WhirHidingTest.shiftedMaskValues(batch().mask())) {
            rejection(with(g -> withMask0(g, bad)));
        }
        for (int j = 1; j < batch().components(); j++) {
            WhirProof.HidingMember m = batch().maskedBatch().others().get(j - 1);
            List<WhirProof.Mask> changed = WhirHidingTest.shiftedMaskValues(m.mask());
            WhirProof.Mask mm = m.mask();
            changed.add(new WhirProof.Mask(mm.extraVars() + 1, mm.root(), mm.ood(), mm.claims(), 0, mm.firstFold()));
            changed.add(new WhirProof.Mask(mm.extraVars(), mm.root(), mm.ood(), mm.claims(), 0, mm.firstFold() == 1 ? 2 : 1));
            changed.add(new WhirProof.Mask(mm.extraVars(), mm.root(), mm.ood(), mm.claims(), 1, mm.firstFold()));
            if (mm.root().length > 0) {
                byte[] root = mm.root().clone();
                root[5] ^= 1;
                changed.add(new WhirProof.Mask(mm.extraVars(), root, mm.ood(), mm.claims(), 0, mm.firstFold()));
            }
            for (WhirProof.Mask bad : changed) {
                int member = j;
                rejection(with(g -> withMember(g, member, new WhirProof.HidingMember(m.merkleRoot(), m.commitOod(), bad, m.leaves(), m.maskLeaves()))));
            }
            byte[] root = m.merkleRoot().clone();
            root[0] ^= 1;
            int member = j;
            rejection(with(g -> withMember(g, member, new WhirProof.HidingMember(root, m.commitOod(), m.mask(), m.leaves(), m.maskLeaves()))));
            Ext2[] ood = m.commitOod().clone();
            ood[0] = ood[0].add(1);
            rejection(with(g -> withMember(g, member, new WhirProof.HidingMember(m.merkleRoot(), ood, m.mask(), m.leaves(), m.maskLeaves()))));
        }
    }

    /** Each opened leaf's value and salt, of every member's f′ (pairs included) and g tree; missing salts or leaves. */
    @Test
    void everyMemberLeafAndSaltIsChecked() {
        List<UnaryOperator<WhirProof.Opened>> changes = List.of(
                o -> new WhirProof.Opened(flipValue(o.fibres()), o.salts(), o.paths()),
                o -> new WhirProof.Opened(flipLastValue(o.fibres()), o.salts(), o.paths()),
                o -> new WhirProof.Opened(o.fibres(), flip(o.salts(), 0), o.paths()),
                o -> new WhirProof.Opened(o.fibres(), flip(o.salts(), o.salts().length - 1), o.paths()),
                o -> new WhirProof.Opened(o.fibres(), new long[0], o.paths()));
        int checked = 0;
        for (UnaryOperator<WhirProof.Opened> change : changes) {
            // member 0: round 0's own leaves (the witness's (f′, g) pairs)
            rejection(with(g -> withRound0(g, r -> {
                WhirProof.Opened o = change.apply(new WhirProof.Opened(r.fibres(), r.salts(), r.paths()));
                return new WhirProof.Round(r.sumcheck(), r.powNonces(), r.nextRoot(), r.ood(), o.fibres(), o.paths(), r.combineNonce(), o.salts(), r.mask(), r.queryNonce());
            })));
            checked++;
            for (int j = 1; j < batch().components(); j++) {
                WhirProof.HidingMember m = batch().maskedBatch().others().get(j - 1);
                int member = j;
                rejection(with(g -> withMember(g, member, new WhirProof.HidingMember(m.merkleRoot(), m.commitOod(), m.mask(), change.apply(m.leaves()), m.maskLeaves()))));
                checked++;
                if (m.maskLeaves() != null) {
                    rejection(with(g -> withMember(g, member, new WhirProof.HidingMember(m.merkleRoot(), m.commitOod(), m.mask(), m.leaves(), change.apply(m.maskLeaves())))));
                    rejection(with(g -> withMember(g, member, new WhirProof.HidingMember(m.merkleRoot(), m.commitOod(), m.mask(), m.leaves(), null))));
                    checked += 2;
                }
            }
        }
        assertTrue(checked >= 20);
    }

    @Test
    void theNoncesAreChecked() {
        WhirProof.Mask m = batch().mask();
        rejection(with(g -> withMask0(g, new WhirProof.Mask(m.extraVars(), m.root(), m.ood(), m.claims(), m.nonce() + 1, m.firstFold()))));
        WhirProof.MaskedBatch b = batch().maskedBatch();
        rejection(with(g -> withBatch(g, new WhirProof.MaskedBatch(b.others(), b.cross(), b.nonce() + 1))));
    }

    @Test
    void reorderedOrDroppedMembersAreRejected() {
        WhirProof.MaskedBatch b = batch().maskedBatch();
        List<WhirProof.HidingMember> swapped = List.of(b.others().get(1), b.others().get(0));
        rejection(with(g -> withBatch(g, new WhirProof.MaskedBatch(swapped, b.cross(), b.nonce()))));
        rejection(with(g -> withBatch(g, new WhirProof.MaskedBatch(b.others().subList(0, 1), b.cross(), b.nonce()))));
        int keep = b.cross().length / 2; // as many cross values as two members would carry, or fewer
        rejection(with(g -> withBatch(g, new WhirProof.MaskedBatch(b.others().subList(0, 1), java.util.Arrays.copyOf(b.cross(), keep), b.nonce()))));
        rejection(with(g -> withBatch(g, null)));
        // The batch's members opened as their own runs are not what the claims' proof holds either.
        List<PcsClaim> fewer = claims.stream().filter(c -> !java.util.Arrays.equals(c.root(), claims.getFirst().root())).toList();
        assertThrows(PcsRejectedException.class, () -> verify(fewer, proof));
    }

    @Test
    void everyFlippedBitIsRejectedOrUnparseable() {
        int rejected = WhirPcsTest.BitFlips.of(pcs, bytes(proof), claims, 25, 300, 40).rejected();
        assertTrue(rejected > 100, rejected + " rejected");
    }

    private static long[][] flipValue(long[][] fibres) {
        long[][] out = fibres.clone();
        out[0] = out[0].clone();
        out[0][0] = dev.verinfer.field.Goldilocks.add(out[0][0], 1);
        return out;
    }

    private static long[][] flipLastValue(long[][] fibres) {
        long[][] out = fibres.clone();
        int k = out.length - 1;
        out[k] = out[k].clone();
        out[k][out[k].length - 1] = dev.verinfer.field.Goldilocks.add(out[k][out[k].length - 1], 1);
        return out;
    }

    private static long[] flip(long[] values, int k) {
        long[] out = values.clone();
        out[k] ^= 1L << 7;
        return out;
    }
}
