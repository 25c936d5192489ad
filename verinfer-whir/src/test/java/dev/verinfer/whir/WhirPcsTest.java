package dev.verinfer.whir;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WhirPcsTest {
    static final String DOMAIN = "whir-test";
    final WhirPcs pcs = new WhirPcs(parameters());

    /** The preset the fixture and the tamper tests run on ({@link WhirJohnsonPcsTest}: the proven one, 25-byte digests). */
    WhirParameters parameters() {
        return WhirParameters.CONJECTURED;
    }

    /** Another preset, whose commitments and proofs must not pass for this one's. */
    WhirParameters otherParameters() {
        return parameters().equals(WhirParameters.PROVEN) ? WhirParameters.CONJECTURED : WhirParameters.PROVEN;
    }

    static long[] randomTable(int n, SplittableRandom rng) {
        long[] t = new long[1 << n];
        for (int i = 0; i < t.length; i++) {
            t[i] = Goldilocks.random(rng);
        }
        return t;
    }

    static Ext2[] randomPoint(int n, SplittableRandom rng) {
        Ext2[] p = new Ext2[n];
        for (int j = 0; j < n; j++) {
            p[j] = Ext2.random(rng);
        }
        return p;
    }

    static byte[] bytes(PcsOpeningProof proof) {
        ProofWriter w = ProofWriter.begin("WHRT", 1);
        proof.write(w);
        return w.toByteArray();
    }

    static PcsOpeningProof parse(WhirPcs pcs, byte[] bytes) throws MalformedProofException {
        ProofReader r = ProofReader.open(bytes, "WHRT", 1);
        PcsOpeningProof p = pcs.readProof(r);
        r.finish();
        return p;
    }

    /** Verdicts on copies of a proof with one bit flipped each (the first {@code leading} at bytes 0, 1, …, the rest at random bytes). */
    record BitFlips(int rejected, int unparseable) {
        /** Flips {@code trials} copies; fails the test on the first copy the verifier accepts. */
        static BitFlips of(WhirPcs pcs, byte[] proof, List<PcsClaim> claims, long seed, int trials, int leading) {
            SplittableRandom rng = new SplittableRandom(seed);
            int rejected = 0;
            int unparseable = 0;
            for (int trial = 0; trial < trials; trial++) {
                byte[] flipped = proof.clone();
                int pos = trial < leading ? trial : rng.nextInt(proof.length);
                flipped[pos] ^= (byte) (1 << rng.nextInt(8));
                PcsOpeningProof p;
                try {
                    p = parse(pcs, flipped);
                } catch (MalformedProofException e) {
                    unparseable++;
                    continue;
                }
                try {
                    pcs.verify(transcript(), claims, p);
                    fail("accepted a proof with byte " + pos + " flipped");
                } catch (PcsRejectedException e) {
                    rejected++;
                }
            }
            return new BitFlips(rejected, unparseable);
        }
    }

    static Transcript transcript() {
        Transcript t = new Transcript(DOMAIN);
        t.absorbBytes("context", new byte[] {1, 2, 3});
        return t;
    }

    static List<PcsClaim> claims(List<PcsOpening> openings) {
        return openings.stream().map(PcsOpening::claim).toList();
    }

    void verify(List<PcsClaim> claims, PcsOpeningProof proof) throws PcsRejectedException {
        pcs.verify(transcript(), claims, proof);
    }

    String rejection(List<PcsClaim> claims, PcsOpeningProof p) {
        return assertThrows(PcsRejectedException.class, () -> verify(claims, p)).getMessage();
    }

    // ---- the algebra under the scheme ----

    @Test
    void coefficientsFibresAndFoldsAgree() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 6;
        long[] table = randomTable(n, rng);
        long[] coefficients = table.clone();
        Codewords.toCoefficients(coefficients);
        long[] back = coefficients.clone();
        Codewords.toEvaluations(back);
        assertEquals(Arrays.toString(table), Arrays.toString(back));
        Ext2 z = Ext2.random(rng);
        assertEquals(Mle.evaluate(table, Codewords.powers(z, n)), Codewords.univariate(coefficients, z), "f(z, z², …) = f̂(z)");
        int logDomain = n + 2;
        int fold = 3;
        long[] codeword = Codewords.encode(coefficients, logDomain);
        Ext2[] alphas = randomPoint(fold, rng);
        ExtVector folded = Mle.foldLow(table, alphas); // f(α, ·)
        ExtVector foldedCoefficients = folded.copy();
        Codewords.toCoefficients(foldedCoefficients.c0());
        Codewords.toCoefficients(foldedCoefficients.c1());
        for (int j = 0; j < 1 << (logDomain - fold); j += 5) {
            Ext2 y = Ext2.of(Codewords.foldedPoint(logDomain, fold, j));
            assertEquals(Codewords.univariate(foldedCoefficients, y), Codewords.foldFibre(Codewords.fibre(codeword, null, logDomain, fold, j), false, alphas, logDomain, j), "fibre " + j);
        }
    }

    @Test
    void schedulesReachTheTargetAndShrink() {
        for (WhirParameters p : List.of(WhirParameters.PROVEN, WhirParameters.PROVEN_UNIQUE, WhirParameters.CONJECTURED)) {
            for (int n = 0; n <= p.maxNumVars(); n++) {
                WhirSchedule s = p.schedule(n);
                assertTrue(s.securityBits() >= 100, p.soundness() + " n=" + n + ": " + s.securityBits());
                assertTrue(s.finalVars() <= p.finalVars());
                assertEquals(n, s.rounds().stream().mapToInt(WhirSchedule.Round::fold).sum() + s.finalVars());
                for (int m = 2; m <= 4; m++) {
                    assertTrue(s.securityBits(m) >= 100, p.soundness() + " n=" + n + " batch of " + m + ": " + s.securityBits(m));
                }
            }
        }
        assertEquals(127, WhirParameters.PROVEN_UNIQUE.schedule(20).rounds().getFirst().queries(), "14 bits of query grinding");
        assertEquals(148, new WhirParameters(WhirParameters.Soundness.UNIQUE_DECODING, 2, 4, 10, 100).schedule(20).rounds().getFirst().queries());
        assertEquals(0, WhirParameters.PROVEN_UNIQUE.schedule(20).commitOod());
        assertEquals(2, WhirParameters.PROVEN.schedule(20).commitOod());
        assertTrue(WhirParameters.PROVEN.schedule(20).rounds().getFirst().queries() < 64, "Johnson: ≥ 1.35 bits a query at ρ = 1/8");
        assertTrue(WhirParameters.CONJECTURED.schedule(20).rounds().getFirst().queries() < 60);
        assertTrue(new WhirParameters(WhirParameters.Soundness.UNIQUE_DECODING, 2, 4, 4, 80).schedule(20).securityBits() < 100);
        assertTrue(WhirParameters.PROVEN_UNIQUE.schedule(24).rounds().stream().allMatch(r -> r.powBits() == 0), "unique decoding needs no grinding");
        assertTrue(WhirParameters.PROVEN.schedule(25).rounds().stream().allMatch(r -> r.powBits() <= 16 && r.combinePowBits() == 0),
                "Johnson grinding stays cheap: " + WhirParameters.PROVEN.schedule(25));
        assertTrue(WhirParameters.CONJECTURED.schedule(24).rounds().stream().allMatch(r -> r.powBits() <= 12 && r.combinePowBits() <= 12),
                "grinding stays cheap: " + WhirParameters.CONJECTURED.schedule(24));
    }

    /** A 120-bit target needs grinding on a small polynomial already; a wrong nonce is refused. */
    @Test
    void proofOfWorkIsChecked() throws Exception {
        WhirPcs scheme = new WhirPcs(new WhirParameters(WhirParameters.Soundness.CAPACITY_CONJECTURE, 2, 4, 2, 120));
        SplittableRandom rng = new SplittableRandom(12);
        long[] table = randomTable(9, rng);
        Ext2[] point = randomPoint(9, rng);
        List<PcsOpening> o = List.of(new PcsOpening(scheme.commit(table), point, Mle.evaluate(table, point)));
        WhirProof p = (WhirProof) scheme.open(transcript(), o);
        scheme.verify(transcript(), claims(o), p);
        WhirProof.Round r = p.groups().getFirst().rounds().getFirst();
        assertTrue(r.powNonces().length > 0 && r.combineNonce() > 0);
        r.powNonces()[0] += 1;
        assertTrue(assertThrows(PcsRejectedException.class, () -> scheme.verify(transcript(), claims(o), p)).getMessage().contains("proof of work"));
        r.powNonces()[0] -= 1;
        WhirProof.Round changed = new WhirProof.Round(r.sumcheck(), r.powNonces(), r.nextRoot(), r.ood(), r.fibres(), r.paths(), r.combineNonce() + 1);
        List<WhirProof.Round> rounds = new ArrayList<>(p.groups().getFirst().rounds());
        rounds.set(0, changed);
        WhirProof.Group g = p.groups().getFirst();
        WhirProof q = new WhirProof(List.of(new WhirProof.Group(g.merkleRoot(), g.commitOod(), rounds, g.finalCoefficients())));
        assertTrue(assertThrows(PcsRejectedException.class, () -> scheme.verify(transcript(), claims(o), q)).getMessage().contains("proof of work"));
    }

    /** The nonce ground before each iteration's queries: present with the presets, refused when changed or dropped. */
    @Test
    void queryProofOfWorkIsChecked() {
        WhirProof p = (WhirProof) proof;
        WhirProof.Group g = p.groups().getFirst();
        for (int i = 0; i < g.rounds().size(); i++) {
            WhirProof.Round r = g.rounds().get(i);
            assertTrue(r.queryNonce() > 0, "iteration " + i + " ground a nonce");
            for (long changed : new long[] {r.queryNonce() + 1, 0}) {
                List<WhirProof.Round> rounds = new ArrayList<>(g.rounds());
                rounds.set(i, r.withQueryNonce(changed));
                WhirProof q = new WhirProof(List.of(new WhirProof.Group(g.merkleRoot(), g.commitOod(), rounds, g.finalCoefficients(), null, g.batch())));
                String why = rejection(claims, q);
                assertTrue(why.contains("query proof of work"), "iteration " + i + " nonce " + changed + ": " + why);
            }
        }
    }

    // ---- honest openings ----

    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void honestBatchedOpeningsVerifyForEverySizeUpTo14(WhirParameters.Soundness soundness) throws Exception {
        WhirPcs scheme = new WhirPcs(switch (soundness) {
            case UNIQUE_DECODING -> WhirParameters.PROVEN_UNIQUE;
            case CAPACITY_CONJECTURE -> WhirParameters.CONJECTURED;
            case JOHNSON_BOUND -> WhirParameters.PROVEN;
        });
        SplittableRandom rng = new SplittableRandom(1);
        List<PcsOpening> openings = new ArrayList<>();
        for (int n = 0; n <= 14; n++) {
            long[] table = randomTable(n, rng);
            PcsCommitment c = scheme.commit(table);
            assertEquals(32, c.root().length);
            assertEquals(n, c.numVars());
            for (int k = 0; k < n % 3 + 1; k++) {
                Ext2[] point = randomPoint(n, rng);
                openings.add(new PcsOpening(c, point, Mle.evaluate(table, point)));
            }
        }
        Transcript proverSide = transcript();
        PcsOpeningProof proof = parse(scheme, bytes(scheme.open(proverSide, openings)));
        Transcript verifierSide = transcript();
        scheme.verify(verifierSide, claims(openings), proof);
        assertEquals(proverSide.challengeExt("after"), verifierSide.challengeExt("after"), "transcripts end in the same state");
    }

    @Test
    void booleanPointsGiveTableEntries() throws Exception {
        SplittableRandom rng = new SplittableRandom(2);
        long[] table = randomTable(6, rng);
        PcsCommitment c = pcs.commit(table);
        List<PcsOpening> openings = new ArrayList<>();
        for (int x : new int[] {0, 1, 37, 63}) {
            Ext2[] point = new Ext2[6];
            for (int j = 0; j < 6; j++) {
                point[j] = ((x >>> j) & 1) == 1 ? Ext2.ONE : Ext2.ZERO;
            }
            openings.add(new PcsOpening(c, point, Ext2.of(table[x])));
        }
        verify(claims(openings), pcs.open(transcript(), openings));
    }

    @Test
    void proverRefusesWrongInput() {
        SplittableRandom rng = new SplittableRandom(3);
        long[] table = randomTable(5, rng);
        PcsCommitment c = pcs.commit(table);
        Ext2[] point = randomPoint(5, rng);
        Ext2 value = Mle.evaluate(table, point);
        assertThrows(IllegalArgumentException.class, () -> pcs.open(transcript(), List.of(new PcsOpening(c, point, value.add(1)))));
        assertThrows(IllegalArgumentException.class, () -> pcs.open(transcript(), List.of(new PcsOpening(c, randomPoint(4, rng), value))));
        assertThrows(IllegalArgumentException.class, () -> new WhirPcs(otherParameters()).open(transcript(), List.of(new PcsOpening(c, point, value))));
        assertThrows(IllegalArgumentException.class, () -> pcs.commit(new long[3]));
        assertThrows(IllegalArgumentException.class, () -> pcs.commit(new long[] {Goldilocks.P}));
    }

    @Test
    void commitmentIsDeterministicAndBindsTheTable() {
        SplittableRandom rng = new SplittableRandom(5);
        long[] table = randomTable(9, rng);
        assertTrue(Arrays.equals(pcs.commit(table).root(), pcs.commit(table.clone()).root()));
        long[] other = table.clone();
        other[100] = Goldilocks.add(other[100], 1);
        assertTrue(!Arrays.equals(pcs.commit(table).root(), pcs.commit(other).root()));
        assertTrue(!Arrays.equals(pcs.commit(table).root(), new WhirPcs(otherParameters()).commit(table).root()));
    }

    // ---- a fixed batch: two points on A (n = 11), one on B (n = 17, several iterations), one on C (n = 3) ----

    List<PcsOpening> openings;
    List<PcsClaim> claims;
    PcsOpeningProof proof;
    long[] otherTable;
    PcsCommitment other;

    @BeforeAll
    void fixture() {
        SplittableRandom rng = new SplittableRandom(4);
        long[] a = randomTable(11, rng);
        long[] b = randomTable(17, rng);
        long[] c = randomTable(3, rng);
        PcsCommitment ca = pcs.commit(a);
        PcsCommitment cb = pcs.commit(b);
        PcsCommitment cc = pcs.commit(c);
        Ext2[] p1 = randomPoint(11, rng);
        Ext2[] p2 = randomPoint(11, rng);
        Ext2[] p3 = randomPoint(17, rng);
        Ext2[] p4 = randomPoint(3, rng);
        openings = List.of(new PcsOpening(ca, p1, Mle.evaluate(a, p1)), new PcsOpening(cb, p3, Mle.evaluate(b, p3)),
                new PcsOpening(ca, p2, Mle.evaluate(a, p2)), new PcsOpening(cc, p4, Mle.evaluate(c, p4)));
        claims = claims(openings);
        proof = pcs.open(transcript(), openings);
        otherTable = randomTable(11, rng);
        other = pcs.commit(otherTable);
    }

    PcsOpeningProof forge(List<PcsOpening> openings, WhirProver.Deviation d) {
        return WhirProver.open(pcs.parameters(), transcript(), openings, d);
    }

    @Test
    void fixtureVerifiesAndTheForgerWithoutDeviationIsHonest() throws Exception {
        assertEquals(1, ((WhirProof) proof).groups().size(), "A, B and C in one run");
        assertEquals(3, ((WhirProof) proof).groups().getFirst().components());
        assertTrue(((WhirProof) proof).groups().getFirst().rounds().size() >= 2, "the run (B's 17 variables) exercises the main loop");
        assertTrue(((WhirProof) proof).groups().getFirst().rounds().getFirst().ood().length > 0, "and its out-of-domain samples");
        assertDoesNotThrow(() -> verify(claims, proof));
        assertEquals(Arrays.toString(bytes(proof)), Arrays.toString(bytes(forge(openings, new WhirProver.Deviation() {}))));
        assertDoesNotThrow(() -> verify(claims, parse(pcs, bytes(proof))));
    }

    /** A false claim, proved by a prover that runs every step honestly on it: the sumcheck's end cannot match. */
    @Test
    void wrongEvaluationClaimIsRejected() {
        for (int i = 0; i < openings.size(); i++) {
            List<PcsOpening> altered = new ArrayList<>(openings);
            PcsOpening o = openings.get(i);
            altered.set(i, new PcsOpening(o.commitment(), o.point(), o.value().add(new Ext2(0, 1))));
            List<PcsClaim> alteredClaims = claims(altered);
            assertThrows(PcsRejectedException.class, () -> verify(alteredClaims, proof), "honest proof, claim " + i);
            WhirProver.Deviation lenient = new WhirProver.Deviation() {
                @Override
                public boolean checksClaims() {
                    return false;
                }
            };
            rejection(alteredClaims, forge(altered, lenient));
        }
    }

    @Test
    void changedPointIsRejected() {
        PcsClaim c = claims.get(2);
        for (int j : new int[] {0, 5, 10}) {
            Ext2[] p = c.point().clone();
            p[j] = p[j].add(1);
            List<PcsClaim> altered = new ArrayList<>(claims);
            altered.set(2, new PcsClaim(c.root(), c.numVars(), p, c.claimedValue()));
            assertThrows(PcsRejectedException.class, () -> verify(altered, proof), "coordinate " + j);
        }
    }

    /** A valid opening of another polynomial presented under A's root: only the commitment digest can object. */
    @Test
    void claimAgainstAnotherPolynomialsRootIsRejected() throws Exception {
        PcsClaim a = claims.get(0);
        Ext2 otherValue = Mle.evaluate(otherTable, a.point());
        PcsOpeningProof ofOther = pcs.open(transcript(), List.of(new PcsOpening(other, a.point(), otherValue)));
        verify(List.of(new PcsClaim(other.root(), 11, a.point(), otherValue)), ofOther);
        assertTrue(rejection(List.of(new PcsClaim(a.root(), 11, a.point(), otherValue)), ofOther).contains("of which 0 match"));
        assertThrows(PcsRejectedException.class, () -> verify(List.of(claims.get(1), claims.get(0), claims.get(2), claims.get(3)), proof));
    }

    /** An altered round message, the rest derived honestly from it. */
    @Test
    void alteredSumcheckMessageIsRejected() {
        for (int group = 0; group < 1; group++) {
            int target = group;
            for (int[] at : new int[][] {{0, 0}, {0, 1}, {0, 3}, {1, 0}, {1, 2}, {2, 0}}) {
                WhirProver.Deviation d = new WhirProver.Deviation() {
                    @Override
                    public void sumcheck(int g, int i, int s, Ext2[] message) {
                        if (g == target && i == at[0] && s == at[1]) {
                            message[at[1] % 2] = message[at[1] % 2].add(new Ext2(3, 4));
                        }
                    }
                };
                PcsOpeningProof forged = forge(openings, d);
                if (((WhirProof) forged).groups().get(group).rounds().size() > at[0] && ((WhirProof) forged).groups().get(group).rounds().get(at[0]).sumcheck().length > 2 * at[1]) {
                    rejection(claims, forged);
                }
            }
        }
    }

    /** A wrongly folded next oracle (committed consistently, answered consistently): the shift queries catch it. */
    @Test
    void alteredFoldIsRejected() {
        int iterations = ((WhirProof) proof).groups().getFirst().rounds().size();
        for (int iteration = 0; iteration < iterations; iteration++) { // the last one alters the final polynomial sent in the clear
            int target = iteration;
            WhirProver.Deviation d = new WhirProver.Deviation() {
                @Override
                public void folded(int g, int i, ExtVector coefficients) {
                    if (i == target) {
                        coefficients.set(1, coefficients.get(1).add(Ext2.ONE));
                    }
                }
            };
            rejection(claims, forge(openings, d));
        }
    }

    @Test
    void alteredOutOfDomainAnswerIsRejected() {
        WhirProver.Deviation d = new WhirProver.Deviation() {
            @Override
            public void ood(int g, int i, Ext2[] answers) {
                if (g == 0) {
                    answers[0] = answers[0].add(Ext2.ONE);
                }
            }
        };
        rejection(claims, forge(openings, d));
    }

    @Test
    void alteredQueryAnswerIsRejected() {
        for (int group = 0; group < 1; group++) {
            for (int iteration = 0; iteration < 3; iteration++) {
                int tg = group;
                int ti = iteration;
                WhirProver.Deviation d = new WhirProver.Deviation() {
                    @Override
                    public void fibres(int g, int i, long[][] fibres) {
                        if (g == tg && i == ti) {
                            long[] f = fibres[fibres.length / 2];
                            f[f.length - 1] = Goldilocks.add(f[f.length - 1], 1);
                        }
                    }
                };
                WhirProof forged = (WhirProof) forge(openings, d);
                if (forged.groups().get(group).rounds().size() > iteration) {
                    assertTrue(rejection(claims, forged).contains("fibre openings"), "group " + group + " iteration " + iteration);
                }
            }
        }
    }

    @Test
    void alteredMerklePathIsRejected() throws Exception {
        WhirProof honest = (WhirProof) proof;
        WhirProof.Round r = honest.groups().getFirst().rounds().getFirst();
        assertTrue(r.paths().siblingCount() > 0);
        // a proof of group 0 with round 0 alone ends with round 0's siblings (then the final polynomial, if any)
        WhirProof.Group g0 = honest.groups().getFirst();
        WhirProof justFirstRound = new WhirProof(List.of(new WhirProof.Group(g0.merkleRoot(), g0.commitOod(), List.of(r), new Ext2[0], null, g0.batch())));
        int end = bytes(justFirstRound).length - 4 - 8; // the final polynomial's length, then round 0's combination nonce
        int siblingBytes = pcs.parameters().digestBytes() * r.paths().siblingCount();
        byte[] b = bytes(proof);
        SplittableRandom rng = new SplittableRandom(8);
        for (int trial = 0; trial < 30; trial++) {
            byte[] flipped = b.clone();
            int pos = end - 1 - rng.nextInt(siblingBytes);
            flipped[pos] ^= (byte) (1 << rng.nextInt(8));
            assertTrue(rejection(claims, parse(pcs, flipped)).contains("fibre openings"), "byte " + pos);
        }
    }

    /** A batched component's iteration-0 fibre altered after its Merkle proof was made: its own tree rejects it. */
    @Test
    void alteredBatchedComponentFibreIsRejected() {
        for (int component = 1; component < 3; component++) {
            int target = component;
            WhirProver.Deviation d = new WhirProver.Deviation() {
                @Override
                public void batchFibres(int g, int j, long[][] fibres) {
                    if (j == target) {
                        long[] f = fibres[fibres.length - 1];
                        f[0] = Goldilocks.add(f[0], 1);
                    }
                }
            };
            assertTrue(rejection(claims, forge(openings, d)).contains("fibre openings"), "component " + component);
        }
    }

    /** Cross values are claims too: a wrong one, sent and carried through honestly, makes F's constraint false. */
    @Test
    void alteredCrossValueIsRejected() {
        int count = ((WhirProof) proof).groups().getFirst().batch().cross().length;
        for (int k : new int[] {0, count / 2, count - 1}) {
            WhirProver.Deviation d = new WhirProver.Deviation() {
                @Override
                public void cross(int g, Ext2[] values) {
                    values[k] = values[k].add(Ext2.ONE);
                }
            };
            assertTrue(rejection(claims, forge(openings, d)).contains("final polynomial does not meet the sumcheck claim"), "cross value " + k);
        }
    }

    /** A batched component's Merkle siblings, root, answers or the batch nonce altered in the proof object. */
    @Test
    void alteredBatchPartIsRejected() {
        WhirProof p = (WhirProof) proof;
        WhirProof.Group g = p.groups().getFirst();
        WhirProof.Batch b = g.batch();
        List<WhirProof.Batch> changed = new ArrayList<>();
        WhirProof.Opened o = b.openings().getFirst();
        changed.add(new WhirProof.Batch(b.others(), b.cross(), b.nonce() + 1, b.openings()));
        long[][] fewer = Arrays.copyOf(o.fibres(), o.fibres().length - 1);
        changed.add(new WhirProof.Batch(b.others(), b.cross(), b.nonce(), List.of(new WhirProof.Opened(fewer, o.salts(), o.paths()), b.openings().get(1))));
        byte[] root = b.others().getFirst().merkleRoot().clone();
        root[0] ^= 1;
        changed.add(new WhirProof.Batch(List.of(new WhirProof.Component(root, b.others().getFirst().commitOod()), b.others().get(1)), b.cross(), b.nonce(),
                b.openings()));
        Ext2[] ood = b.others().get(1).commitOod().clone();
        ood[0] = ood[0].add(Ext2.ONE);
        changed.add(new WhirProof.Batch(List.of(b.others().getFirst(), new WhirProof.Component(b.others().get(1).merkleRoot(), ood)), b.cross(), b.nonce(),
                b.openings()));
        changed.add(new WhirProof.Batch(b.others(), Arrays.copyOf(b.cross(), b.cross().length - 1), b.nonce(), b.openings()));
        changed.add(new WhirProof.Batch(b.others().subList(0, 1), b.cross(), b.nonce(), b.openings().subList(0, 1)));
        for (WhirProof.Batch c : changed) {
            rejection(claims, new WhirProof(List.of(new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients(), null, c))));
        }
        rejection(claims, new WhirProof(List.of(new WhirProof.Group(g.merkleRoot(), g.commitOod(), g.rounds(), g.finalCoefficients()))));
    }

    /** Openings of two plain commitments in the other order, or as two runs, are refused. */
    @Test
    void plainClaimsOutOfOrderOrSplitAreRejected() {
        List<PcsClaim> swapped = List.of(claims.get(1), claims.get(0), claims.get(2), claims.get(3));
        assertTrue(rejection(swapped, proof).contains("match"));
        WhirProof p = (WhirProof) proof;
        WhirProof two = new WhirProof(List.of(p.groups().getFirst(), p.groups().getFirst()));
        assertTrue(rejection(claims, two).contains("plain runs"));
    }

    @Test
    void otherTranscriptIsRejected() {
        assertThrows(PcsRejectedException.class, () -> pcs.verify(new Transcript(DOMAIN), claims, proof));
        assertThrows(PcsRejectedException.class, () -> new WhirPcs(otherParameters()).verify(transcript(), claims, proof));
    }

    @Test
    void wrongShapesAreRejected() {
        PcsClaim c = claims.get(1);
        for (PcsClaim bad : List.of(new PcsClaim(c.root(), 8, c.point(), c.claimedValue()), new PcsClaim(new byte[31], 17, c.point(), c.claimedValue()),
                new PcsClaim(c.root(), 99, new Ext2[99], c.claimedValue()), new PcsClaim(c.root(), 17, new Ext2[17], c.claimedValue()))) {
            assertThrows(PcsRejectedException.class, () -> verify(List.of(claims.get(0), bad, claims.get(2), claims.get(3)), proof));
        }
        assertThrows(PcsRejectedException.class, () -> verify(List.of(claims.get(0), claims.get(2), claims.get(3)), proof), "claim missing");
        assertThrows(PcsRejectedException.class, () -> verify(List.of(claims.get(0), claims.get(1), claims.get(3)), proof), "claim dropped");
        assertThrows(PcsRejectedException.class, () -> verify(List.of(), proof));
    }

    @Test
    void everyFlippedBitIsRejectedOrUnparseable() {
        BitFlips flips = BitFlips.of(pcs, bytes(proof), claims, 6, 400, 64);
        assertTrue(flips.rejected() > 100 && flips.unparseable() > 0, flips.rejected() + " rejected, " + flips.unparseable() + " unparseable");
    }

    @Test
    void everyTruncationIsUnparseable() {
        byte[] b = bytes(proof);
        SplittableRandom rng = new SplittableRandom(9);
        for (int trial = 0; trial < 200; trial++) {
            int cut = trial < 40 ? trial : rng.nextInt(b.length);
            byte[] shorter = Arrays.copyOf(b, cut);
            assertThrows(MalformedProofException.class, () -> parse(pcs, shorter), "cut at " + cut);
        }
    }

    @Test
    void hugeDeclaredLengthsAreRefusedBeforeAllocation() {
        ProofWriter w = ProofWriter.begin("WHRT", 1);
        w.writeInt(1).writeBytes(new byte[32]).writeInt(0).writeInt(1).writeInt(1 << 20);
        assertThrows(MalformedProofException.class, () -> parse(pcs, w.toByteArray()));
        ProofWriter v = ProofWriter.begin("WHRT", 1);
        v.writeInt(Integer.MAX_VALUE);
        assertThrows(MalformedProofException.class, () -> parse(pcs, v.toByteArray()));
    }

    @Test
    void proofOfA20VariablePolynomialIsSmall() throws Exception {
        SplittableRandom rng = new SplittableRandom(7);
        long[] table = randomTable(20, rng);
        for (WhirParameters p : List.of(WhirParameters.PROVEN, WhirParameters.PROVEN_UNIQUE, WhirParameters.CONJECTURED)) {
            WhirPcs scheme = new WhirPcs(p);
            PcsCommitment c = scheme.commit(table);
            Ext2[] point = randomPoint(20, rng);
            List<PcsOpening> o = List.of(new PcsOpening(c, point, Mle.evaluate(table, point)));
            byte[] b = bytes(scheme.open(transcript(), o));
            System.out.println("WHIR " + p.soundness() + " 2^20 opening: " + b.length + " bytes");
            assertTrue(b.length < (p == WhirParameters.PROVEN_UNIQUE ? 300_000 : p == WhirParameters.PROVEN ? 120_000 : 80_000), p.soundness() + ": " + b.length);
            scheme.verify(transcript(), claims(o), parse(scheme, b));
        }
    }
}
