package dev.verinfer.pcs;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.transcript.Transcript;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PcsTest {
    static final String DOMAIN = "pcs-test";
    final TensorPcs pcs = new TensorPcs();

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

    /** The definition: f(r) = Σ_x f[x]·Π_j (x_j ? r_j : 1 − r_j), bit j of x being variable j. */
    static Ext2 naiveEvaluate(long[] table, Ext2[] r) {
        Ext2 sum = Ext2.ZERO;
        for (int x = 0; x < table.length; x++) {
            Ext2 weight = Ext2.of(table[x]);
            for (int j = 0; j < r.length; j++) {
                weight = weight.mul(((x >>> j) & 1) == 1 ? r[j] : Ext2.ONE.sub(r[j]));
            }
            sum = sum.add(weight);
        }
        return sum;
    }

    static byte[] bytes(PcsOpeningProof proof) {
        ProofWriter w = ProofWriter.begin("PCST", 1);
        proof.write(w);
        return w.toByteArray();
    }

    PcsOpeningProof parse(byte[] bytes) throws MalformedProofException {
        ProofReader r = ProofReader.open(bytes, "PCST", 1);
        PcsOpeningProof p = pcs.readProof(r);
        r.finish();
        return p;
    }

    static Transcript transcript() {
        Transcript t = new Transcript(DOMAIN);
        t.absorbBytes("context", new byte[] {1, 2, 3});
        return t;
    }

    void verify(List<PcsClaim> claims, PcsOpeningProof proof) throws PcsRejectedException {
        pcs.verify(transcript(), claims, proof);
    }

    static List<PcsClaim> claims(List<PcsOpening> openings) {
        return openings.stream().map(PcsOpening::claim).toList();
    }

    // ---- honest openings ----

    @Test
    void honestBatchedOpeningsVerifyForEverySizeUpTo16() throws Exception {
        SplittableRandom rng = new SplittableRandom(1);
        List<PcsOpening> openings = new ArrayList<>();
        for (int n = 0; n <= 16; n++) {
            long[] table = randomTable(n, rng);
            PcsCommitment c = pcs.commit(table);
            assertEquals(32, c.root().length);
            assertEquals(n, c.numVars());
            int points = n % 3 + 1;
            for (int k = 0; k < points; k++) {
                Ext2[] point = randomPoint(n, rng);
                Ext2 value = naiveEvaluate(table, point);
                openings.add(new PcsOpening(c, point, value));
            }
        }
        Transcript proverSide = transcript();
        PcsOpeningProof proof = parse(bytes(pcs.open(proverSide, openings)));
        Transcript verifierSide = transcript();
        pcs.verify(verifierSide, claims(openings), proof);
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
    void proverRefusesAWrongValueOrPoint() {
        SplittableRandom rng = new SplittableRandom(3);
        long[] table = randomTable(5, rng);
        PcsCommitment c = pcs.commit(table);
        Ext2[] point = randomPoint(5, rng);
        Ext2 value = naiveEvaluate(table, point);
        assertThrows(IllegalArgumentException.class, () -> pcs.open(transcript(), List.of(new PcsOpening(c, point, value.add(1)))));
        assertThrows(IllegalArgumentException.class, () -> pcs.open(transcript(), List.of(new PcsOpening(c, randomPoint(4, rng), value))));
        assertThrows(IllegalArgumentException.class, () -> pcs.commit(new long[3]));
        assertThrows(IllegalArgumentException.class, () -> pcs.commit(new long[] {Goldilocks.P}));
    }

    // ---- a fixed batch: two points on A (n = 11), one on B (n = 12), one on C (n = 3) ----

    List<PcsOpening> openings;
    List<PcsClaim> claims;
    PcsOpeningProof proof;
    PcsCommitment other;
    long[] otherTable;

    @BeforeAll
    void fixture() {
        SplittableRandom rng = new SplittableRandom(4);
        long[] a = randomTable(11, rng);
        long[] b = randomTable(12, rng);
        long[] c = randomTable(3, rng);
        PcsCommitment ca = pcs.commit(a);
        PcsCommitment cb = pcs.commit(b);
        PcsCommitment cc = pcs.commit(c);
        Ext2[] p1 = randomPoint(11, rng);
        Ext2[] p2 = randomPoint(11, rng);
        Ext2[] p3 = randomPoint(12, rng);
        Ext2[] p4 = randomPoint(3, rng);
        openings = List.of(new PcsOpening(ca, p1, naiveEvaluate(a, p1)), new PcsOpening(cb, p3, naiveEvaluate(b, p3)),
                new PcsOpening(ca, p2, naiveEvaluate(a, p2)), new PcsOpening(cc, p4, naiveEvaluate(c, p4)));
        claims = claims(openings);
        proof = pcs.open(transcript(), openings);
        otherTable = randomTable(11, rng);
        other = pcs.commit(otherTable);
    }

    /** A tamper hook for a forged proof; may modify the group's rows and columns in place. */
    interface Tamper {
        void apply(int group, ExtVector proximityRow, List<ExtVector> evaluationRows, long[][] columns);
    }

    /**
     * A cheating prover: follows the Fiat–Shamir steps for {@code claims} but computes every row and
     * column from {@code data} (one commitment per group), letting {@code rowTamper} alter rows before
     * they are absorbed and {@code columnTamper} alter the opened columns. Its proofs differ from honest
     * ones exactly where the hooks say, so a rejection must come from the check under test.
     */
    TensorOpeningProof forge(List<PcsClaim> claims, List<PcsCommitment> data, Tamper rowTamper, Tamper columnTamper) {
        Transcript t = transcript();
        TensorPcsParameters params = pcs.parameters();
        List<int[]> groups = ClaimGroups.of(claims);
        TensorTranscript.absorbClaims(t, params, claims);
        List<ExtVector> combiners = new ArrayList<>();
        for (PcsCommitment c : data) {
            combiners.add(TensorTranscript.combiner(t, ((TensorCommitment) c).layout));
        }
        List<ExtVector> us = new ArrayList<>();
        List<List<ExtVector>> ws = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            TensorCommitment c = (TensorCommitment) data.get(g);
            ExtVector u = RowAlgebra.combineRows(c.table, c.layout, combiners.get(g));
            List<ExtVector> w = new ArrayList<>();
            for (int k : groups.get(g)) {
                Ext2[] high = java.util.Arrays.copyOfRange(claims.get(k).point(), c.layout.logCols(), c.numVars());
                w.add(RowAlgebra.combineRows(c.table, c.layout, dev.verinfer.poly.Mle.eqTable(high)));
            }
            rowTamper.apply(g, u, w, null);
            TensorTranscript.absorbRows(t, u, w);
            us.add(u);
            ws.add(w);
        }
        List<TensorOpeningProof.Group> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            TensorCommitment c = (TensorCommitment) data.get(g);
            int[] idx = TensorTranscript.columns(t, params, c.layout);
            long[][] columns = c.columns(idx);
            columnTamper.apply(g, us.get(g), ws.get(g), columns);
            out.add(new TensorOpeningProof.Group(us.get(g), ws.get(g), columns, c.tree.open(idx)));
        }
        return new TensorOpeningProof(out);
    }

    static final Tamper NONE = (g, u, w, c) -> {};

    List<PcsCommitment> fixtureData() {
        return List.of(openings.get(0).commitment(), openings.get(1).commitment(), openings.get(3).commitment());
    }

    static String rejection(List<PcsClaim> claims, PcsOpeningProof p, PcsTest test) {
        return assertThrows(PcsRejectedException.class, () -> test.verify(claims, p)).getMessage();
    }

    @Test
    void fixtureVerifiesAndTheForgerWithoutTamperingIsHonest() {
        assertDoesNotThrow(() -> verify(claims, proof));
        assertDoesNotThrow(() -> verify(claims, forge(claims, fixtureData(), NONE, NONE)));
        assertTrue(TensorLayout.of(11, pcs.parameters()).logCols() > 0 && TensorLayout.of(12, pcs.parameters()).logCols() > 0);
    }

    @Test
    void alteredClaimedValueIsRejected() {
        for (int i = 0; i < claims.size(); i++) {
            List<PcsClaim> altered = new ArrayList<>(claims);
            PcsClaim c = claims.get(i);
            altered.set(i, new PcsClaim(c.root(), c.numVars(), c.point(), c.claimedValue().add(new Ext2(0, 1))));
            assertThrows(PcsRejectedException.class, () -> verify(altered, proof), "claim " + i);
            assertTrue(rejection(altered, forge(altered, fixtureData(), NONE, NONE), this).contains("claimed"), "forged, claim " + i);
        }
    }

    @Test
    void changedPointIsRejected() {
        PcsClaim c = claims.get(2);
        Ext2[] highPoint = c.point().clone();
        highPoint[c.numVars() - 1] = highPoint[c.numVars() - 1].add(1); // a row variable
        Ext2[] lowPoint = c.point().clone();
        lowPoint[0] = lowPoint[0].add(1); // a column variable
        for (Ext2[] p : List.of(highPoint, lowPoint)) {
            List<PcsClaim> altered = new ArrayList<>(claims);
            altered.set(2, new PcsClaim(c.root(), c.numVars(), p, c.claimedValue()));
            assertThrows(PcsRejectedException.class, () -> verify(altered, proof));
            assertThrows(PcsRejectedException.class, () -> verify(altered, forge(altered, fixtureData(), NONE, NONE)), "forged");
        }
    }

    /** A valid opening of another polynomial, presented under A's root: only the Merkle check can object. */
    @Test
    void claimAgainstAnotherPolynomialsRootIsRejected() {
        PcsClaim a = claims.get(0);
        Ext2 otherValue = naiveEvaluate(otherTable, a.point());
        List<PcsClaim> underA = List.of(new PcsClaim(a.root(), 11, a.point(), otherValue));
        assertDoesNotThrow(() -> verify(List.of(new PcsClaim(other.root(), 11, a.point(), otherValue)), forge(
                List.of(new PcsClaim(other.root(), 11, a.point(), otherValue)), List.of(other), NONE, NONE)));
        assertTrue(rejection(underA, forge(underA, List.of(other), NONE, NONE), this).contains("column openings"));
        // honest claims re-ordered name the commitments in another order
        assertThrows(PcsRejectedException.class, () -> verify(List.of(claims.get(1), claims.get(0), claims.get(2), claims.get(3)), proof));
    }

    @Test
    void alteredProximityRowIsRejected() {
        for (int group = 0; group < 3; group++) {
            int target = group;
            Tamper t = (g, u, w, c) -> {
                if (g == target) {
                    u.c1()[u.length() / 2] = Goldilocks.add(u.c1()[u.length() / 2], 1);
                }
            };
            assertTrue(rejection(claims, forge(claims, fixtureData(), t, NONE), this).contains("proximity row"), "group " + group);
        }
    }

    /** Alters w without changing ⟨eq(r_low), w⟩, so only the column checks can catch it. */
    @Test
    void alteredEvaluationRowIsRejectedEvenWhenTheValueStillMatches() {
        for (int group = 0; group < 2; group++) {
            int target = group;
            PcsClaim claim = claims.get(group == 0 ? 2 : 1);
            int logCols = TensorLayout.of(claim.numVars(), pcs.parameters()).logCols();
            ExtVector eqLow = dev.verinfer.poly.Mle.eqTable(java.util.Arrays.copyOf(claim.point(), logCols));
            Tamper t = (g, u, ws, c) -> {
                if (g == target) {
                    ExtVector w = ws.get(ws.size() - 1);
                    Ext2 delta = new Ext2(5, 9);
                    w.set(0, w.get(0).add(delta.mul(eqLow.get(1))));
                    w.set(1, w.get(1).sub(delta.mul(eqLow.get(0))));
                    assertEquals(claim.claimedValue(), RowAlgebra.innerProduct(eqLow, w), "the value check alone would pass");
                }
            };
            assertTrue(rejection(claims, forge(claims, fixtureData(), t, NONE), this).contains("evaluation row"), "group " + group);
        }
    }

    @Test
    void alteredColumnEntryIsRejected() {
        for (int group = 0; group < 3; group++) {
            int target = group;
            Tamper t = (g, u, w, columns) -> {
                if (g == target) {
                    long[] column = columns[columns.length / 2];
                    column[column.length - 1] = Goldilocks.add(column[column.length - 1], 1);
                }
            };
            assertThrows(PcsRejectedException.class, () -> verify(claims, forge(claims, fixtureData(), NONE, t)), "group " + group);
        }
    }

    /** Two genuine columns swapped: each is consistent with its own index only. */
    @Test
    void swappedColumnsAreRejected() {
        Tamper t = (g, u, w, columns) -> {
            long[] tmp = columns[0];
            columns[0] = columns[1];
            columns[1] = tmp;
        };
        assertThrows(PcsRejectedException.class, () -> verify(claims, forge(claims, fixtureData(), NONE, t)));
    }

    @Test
    void alteredMerklePathIsRejected() throws Exception {
        TensorOpeningProof honest = (TensorOpeningProof) proof;
        assertTrue(honest.groups().get(0).paths().siblingCount() > 0);
        // the full proof and one holding only group 0 agree up to the end of group 0, whose last bytes are its siblings
        int end = bytes(new TensorOpeningProof(List.of(honest.groups().get(0)))).length;
        int siblingBytes = 32 * honest.groups().get(0).paths().siblingCount();
        byte[] b = bytes(proof);
        SplittableRandom rng = new SplittableRandom(8);
        for (int trial = 0; trial < 40; trial++) {
            byte[] flipped = b.clone();
            int pos = end - 1 - rng.nextInt(siblingBytes);
            flipped[pos] ^= (byte) (1 << rng.nextInt(8));
            PcsOpeningProof p = parse(flipped);
            assertTrue(rejection(claims, p, this).contains("column openings"), "byte " + pos);
        }
    }

    @Test
    void otherTranscriptIsRejected() {
        assertThrows(PcsRejectedException.class, () -> pcs.verify(new Transcript(DOMAIN), claims, proof));
    }

    @Test
    void wrongShapesAreRejected() {
        PcsClaim c = claims.get(1);
        for (PcsClaim bad : List.of(new PcsClaim(c.root(), 8, c.point(), c.claimedValue()), new PcsClaim(new byte[31], 12, c.point(), c.claimedValue()),
                new PcsClaim(c.root(), 99, new Ext2[99], c.claimedValue()), new PcsClaim(c.root(), 12, new Ext2[12], c.claimedValue()))) {
            assertThrows(PcsRejectedException.class, () -> verify(List.of(claims.get(0), bad, claims.get(2), claims.get(3)), proof));
        }
        assertThrows(PcsRejectedException.class, () -> verify(List.of(claims.get(0), claims.get(2), claims.get(3)), proof), "claim missing");
        assertThrows(PcsRejectedException.class, () -> verify(List.of(claims.get(0), claims.get(1), claims.get(3)), proof), "evaluation row extra");
        assertThrows(PcsRejectedException.class, () -> verify(List.of(), proof));
    }

    @Test
    void everyFlippedBitIsRejectedOrUnparseable() {
        byte[] b = bytes(proof);
        SplittableRandom rng = new SplittableRandom(6);
        int rejected = 0;
        int unparseable = 0;
        for (int trial = 0; trial < 400; trial++) {
            byte[] flipped = b.clone();
            int pos = trial < 64 ? trial : rng.nextInt(b.length); // the header and group framing, then anywhere
            flipped[pos] ^= (byte) (1 << rng.nextInt(8));
            PcsOpeningProof p;
            try {
                p = parse(flipped);
            } catch (MalformedProofException e) {
                unparseable++;
                continue;
            }
            try {
                verify(claims, p);
                fail("accepted a proof with byte " + pos + " flipped");
            } catch (PcsRejectedException e) {
                rejected++;
            }
        }
        assertTrue(rejected > 100 && unparseable > 0, rejected + " rejected, " + unparseable + " unparseable");
    }

    // ---- parameters ----

    @Test
    void standardParametersReach100Bits() {
        assertTrue(TensorPcsParameters.STANDARD.provenSecurityBits() >= 100, "" + TensorPcsParameters.STANDARD.provenSecurityBits());
        assertTrue(new TensorPcsParameters(2, 140).provenSecurityBits() < 100);
        assertEquals(100.0, TensorPcsParameters.CONJECTURED.conjecturedSecurityBits());
        assertTrue(TensorPcsParameters.CONJECTURED.provenSecurityBits() < 40, "the conjectured set must not pass as proven");
        assertEquals(13, TensorLayout.of(20, TensorPcsParameters.STANDARD).logCols());
    }

    @Test
    void proofOfA20VariablePolynomialIsAFewHundredKilobytes() throws Exception {
        SplittableRandom rng = new SplittableRandom(7);
        long[] table = randomTable(20, rng);
        PcsCommitment c = pcs.commit(table);
        Ext2[] point = randomPoint(20, rng);
        List<PcsOpening> o = List.of(new PcsOpening(c, point, dev.verinfer.poly.Mle.evaluate(table, point)));
        PcsOpeningProof p = pcs.open(transcript(), o);
        int size = bytes(p).length;
        assertTrue(size < 480_000, "proof bytes: " + size);
        verify(claims(o), parse(bytes(p)));
    }
}
