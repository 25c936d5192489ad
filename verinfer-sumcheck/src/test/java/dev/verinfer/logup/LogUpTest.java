package dev.verinfer.logup;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.SumcheckProof;
import dev.verinfer.transcript.Transcript;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogUpTest {
    /** A look-up statement: the table, the groups, and the honest multiplicities. */
    record Statement(long[][] table, List<LookupWitness> groups, long[] multiplicities) {
        LogUpShape shape() {
            return shapeOf(groups, table);
        }
    }

    /** The shape of a one-table statement. */
    static LogUpShape shapeOf(List<LookupWitness> groups, long[][] table) {
        return LogUpShape.of(groups, List.of(new LogUpTable(table, new long[table[0].length])));
    }

    /** A table of 2^tableVars distinct rows (column 0 = index, others pseudo-random functions of it). */
    static long[][] table(SplittableRandom rng, int columns, int tableVars) {
        long[][] t = new long[columns][1 << tableVars];
        t[0] = RangeTable.values(tableVars);
        for (int c = 1; c < columns; c++) {
            for (int j = 0; j < t[c].length; j++) {
                t[c][j] = Goldilocks.random(rng);
            }
        }
        return t;
    }

    /** Groups of the given sizes drawing random table rows; with a selector, about a quarter are padding rows of junk. */
    static Statement statement(SplittableRandom rng, int columns, int tableVars, int[] groupVars, boolean selectors) {
        long[][] t = table(rng, columns, tableVars);
        List<LookupWitness> groups = new ArrayList<>();
        for (int gv : groupVars) {
            long[][] cols = new long[columns][1 << gv];
            long[] sel = selectors ? new long[1 << gv] : null;
            for (int i = 0; i < 1 << gv; i++) {
                boolean padding = selectors && rng.nextInt(4) == 0;
                int j = rng.nextInt(t[0].length);
                for (int c = 0; c < columns; c++) {
                    cols[c][i] = padding ? Goldilocks.random(rng) : t[c][j];
                }
                if (selectors) {
                    sel[i] = padding ? 0 : 1;
                }
            }
            groups.add(new LookupWitness(cols, sel));
        }
        return new Statement(t, groups, Multiplicities.count(t, groups));
    }

    static Transcript transcript() {
        Transcript t = new Transcript("logup-test");
        t.absorbBytes("multiplicity-commitment", new byte[] {1, 2, 3});
        return t;
    }

    /** The checks LogUpVerifier leaves to its caller, done here against the true vectors. */
    static void callerChecks(LogUpClaims claims, long[][] publicTable, long[] committedMultiplicities, List<LookupWitness> committedGroups) throws LogUpRejectedException {
        TableClaim tc = claims.table();
        LogUpVerifier.checkPublicTable(tc, publicTable);
        if (!Mle.evaluate(committedMultiplicities, tc.point()).equals(tc.multiplicityEvaluation())) {
            throw new LogUpRejectedException("multiplicity evaluation");
        }
        for (int g = 0; g < committedGroups.size(); g++) {
            GroupClaim gc = claims.groups().get(g);
            LookupWitness w = committedGroups.get(g);
            for (int c = 0; c < w.numColumns(); c++) {
                if (!Mle.evaluate(w.columns()[c], gc.point()).equals(gc.columnEvaluations()[c])) {
                    throw new LogUpRejectedException("group " + g + " column " + c + " evaluation");
                }
            }
            Ext2 sel = w.hasSelector() ? Mle.evaluate(w.selector(), gc.point()) : Ext2.ONE;
            if (!sel.equals(gc.selectorEvaluation())) {
                throw new LogUpRejectedException("group " + g + " selector evaluation");
            }
        }
    }

    static LogUpClaims verifyFully(Statement s, LogUpProof proof) throws LogUpRejectedException {
        LogUpClaims claims = LogUpVerifier.verify(transcript(), s.shape(), proof);
        callerChecks(claims, s.table, s.multiplicities, s.groups);
        return claims;
    }

    static int[] randomGroupVars(SplittableRandom rng, int count, int maxVars) {
        int[] v = new int[count];
        for (int i = 0; i < count; i++) {
            v[i] = rng.nextInt(maxVars + 1);
        }
        return v;
    }

    @Property(tries = 40)
    void honestProofsVerifyAndClaimsAreTheInputsMles(@ForAll @IntRange(min = 1, max = 3) int columns, @ForAll @IntRange(min = 0, max = 7) int tableVars,
                                                     @ForAll @IntRange(min = 1, max = 4) int groupCount, @ForAll boolean selectors, @ForAll long seed) throws LogUpRejectedException {
        SplittableRandom rng = new SplittableRandom(seed);
        Statement s = statement(rng, columns, tableVars, randomGroupVars(rng, groupCount, 9), selectors);
        LogUpProverResult res = LogUpProver.prove(transcript(), s.groups, s.table, s.multiplicities);
        callerChecks(res.claims(), s.table, s.multiplicities, s.groups); // the prover's claims are the true MLE values
        LogUpClaims verified = verifyFully(s, res.proof());
        assertEquals(s.groups.size(), verified.groups().size());
        for (int g = 0; g < s.groups.size(); g++) {
            GroupClaim a = res.claims().groups().get(g);
            GroupClaim b = verified.groups().get(g);
            assertArrayEquals(a.point(), b.point());
            assertEquals(s.groups.get(g).numVars(), b.point().length);
            assertArrayEquals(a.columnEvaluations(), b.columnEvaluations());
            assertEquals(a.selectorEvaluation(), b.selectorEvaluation());
        }
        assertArrayEquals(res.claims().table().point(), verified.table().point());
        assertEquals(tableVars, verified.table().point().length);
        assertArrayEquals(res.claims().table().columnEvaluations(), verified.table().columnEvaluations());
        assertEquals(res.claims().table().multiplicityEvaluation(), verified.table().multiplicityEvaluation());
    }

    @Test
    void singleColumnRangeCheckWithClosedFormTable() throws LogUpRejectedException {
        SplittableRandom rng = new SplittableRandom(1);
        long[] range = RangeTable.values(8);
        long[] values = new long[1 << 10];
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextInt(256);
        }
        List<LookupWitness> groups = List.of(LookupWitness.of(values));
        long[][] table = {range};
        long[] m = Multiplicities.count(table, new long[][] {values});
        LogUpProverResult res = LogUpProver.prove(transcript(), groups, table, m);
        LogUpClaims claims = LogUpVerifier.verify(transcript(), shapeOf(groups, table), res.proof());
        assertEquals(RangeTable.evaluate(claims.table().point()), claims.table().columnEvaluations()[0]);
        assertEquals(Mle.evaluate(values, claims.groups().getFirst().point()), claims.groups().getFirst().columnEvaluations()[0]);
        assertEquals(Ext2.ONE, claims.groups().getFirst().selectorEvaluation());
    }

    @Property(tries = 20)
    void valueOutsideTheTableIsRejected(@ForAll @IntRange(min = 1, max = 2) int columns, @ForAll boolean selectors, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Statement s = statement(rng, columns, 5, new int[] {6, 3}, selectors);
        LookupWitness victim = s.groups.getFirst();
        long[][] cols = victim.columns();
        int i = selectedRow(victim, rng);
        cols[0] = cols[0].clone();
        cols[0][i] = 1000 + rng.nextInt(1000); // column 0 of the table is [0, 32)
        List<LookupWitness> bad = List.of(new LookupWitness(cols, victim.selector()), s.groups.get(1));
        assertThrows(IllegalArgumentException.class, () -> Multiplicities.count(s.table, bad));
        LogUpProverResult res = LogUpProver.prove(transcript(), bad, s.table, s.multiplicities);
        Statement claimed = new Statement(s.table, bad, s.multiplicities);
        assertThrows(LogUpRejectedException.class, () -> verifyFully(claimed, res.proof()));
    }

    @Property(tries = 20)
    void movedMultiplicityIsRejected(@ForAll boolean selectors, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Statement s = statement(rng, 2, 4, new int[] {5, 2}, selectors);
        long[] m = s.multiplicities.clone();
        int from = 0;
        while (m[from] == 0) {
            from++;
        }
        int to = (from + 1 + rng.nextInt(m.length - 1)) % m.length;
        m[from]--;
        m[to]++;
        LogUpProverResult res = LogUpProver.prove(transcript(), s.groups, s.table, m);
        Statement claimed = new Statement(s.table, s.groups, m);
        assertThrows(LogUpRejectedException.class, () -> verifyFully(claimed, res.proof()));
    }

    @Test
    void alteredTableEntryIsCaughtByTheCallersTableCheck() {
        SplittableRandom rng = new SplittableRandom(3);
        Statement s = statement(rng, 1, 5, new int[] {}, false);
        // The prover swaps a table entry for an out-of-range value that it then looks up.
        long[][] fakeTable = {s.table[0].clone()};
        fakeTable[0][7] = 12345;
        long[] w = new long[1 << 6];
        for (int i = 0; i < w.length; i++) {
            w[i] = fakeTable[0][rng.nextInt(fakeTable[0].length)];
        }
        w[0] = 12345;
        List<LookupWitness> groups = List.of(LookupWitness.of(w));
        long[] m = Multiplicities.count(fakeTable, groups);
        LogUpProverResult res = LogUpProver.prove(transcript(), groups, fakeTable, m);
        // The GKR itself is consistent, but the table claim is not the public table's MLE.
        LogUpClaims claims = assertDoesNotThrow(() -> LogUpVerifier.verify(transcript(), shapeOf(groups, s.table), res.proof()));
        LogUpRejectedException e = assertThrows(LogUpRejectedException.class, () -> callerChecks(claims, s.table, m, groups));
        assertTrue(e.getMessage().contains("table column"), e.getMessage());
    }

    @Test
    void everyAlteredProverMessageIsRejected() {
        SplittableRandom rng = new SplittableRandom(4);
        Statement s = statement(rng, 2, 4, new int[] {5, 3, 0}, true);
        LogUpProof proof = LogUpProver.prove(transcript(), s.groups, s.table, s.multiplicities).proof();
        assertDoesNotThrow(() -> verifyFully(s, proof));
        List<LogUpProof> altered = new ArrayList<>();
        for (int t = 0; t < proof.roots().size(); t++) {
            for (int part = 0; part < 2; part++) {
                List<LogUpProof.Fraction> roots = new ArrayList<>(proof.roots());
                LogUpProof.Fraction f = roots.get(t);
                roots.set(t, part == 0 ? new LogUpProof.Fraction(f.numerator().add(1), f.denominator()) : new LogUpProof.Fraction(f.numerator(), f.denominator().add(1)));
                altered.add(new LogUpProof(roots, proof.layers(), proof.groupEvaluations(), proof.tableEvaluations()));
            }
        }
        for (int i = 0; i < proof.layers().size(); i++) {
            LogUpProof.GkrLayer layer = proof.layers().get(i);
            Ext2[][] rounds = layer.sumcheck().rounds();
            for (int r = 0; r < rounds.length; r++) {
                for (int e = 0; e < rounds[r].length; e++) {
                    Ext2[][] bad = layer.sumcheck().rounds();
                    bad[r][e] = bad[r][e].add(Ext2.random(rng));
                    altered.add(withLayer(proof, i, new LogUpProof.GkrLayer(new SumcheckProof(bad), layer.evaluations())));
                }
            }
            for (int e = 0; e < layer.evaluations().length; e++) {
                Ext2[] bad = layer.evaluations();
                bad[e] = bad[e].add(Ext2.random(rng));
                altered.add(withLayer(proof, i, new LogUpProof.GkrLayer(layer.sumcheck(), bad)));
            }
        }
        for (int g = 0; g < proof.groupEvaluations().size(); g++) {
            for (int e = 0; e < proof.groupEvaluations().get(g).length; e++) {
                List<Ext2[]> ge = new ArrayList<>(proof.groupEvaluations());
                Ext2[] bad = ge.get(g).clone();
                bad[e] = bad[e].add(1);
                ge.set(g, bad);
                altered.add(new LogUpProof(proof.roots(), proof.layers(), ge, proof.tableEvaluations()));
            }
        }
        for (int e = 0; e < proof.tableEvaluations().getFirst().length; e++) {
            Ext2[] bad = proof.tableEvaluations().getFirst();
            bad[e] = bad[e].add(1);
            altered.add(new LogUpProof(proof.roots(), proof.layers(), proof.groupEvaluations(), List.<Ext2[]>of(bad)));
        }
        assertTrue(altered.size() > 50, "altered " + altered.size());
        for (int k = 0; k < altered.size(); k++) {
            LogUpProof bad = altered.get(k);
            assertThrows(LogUpRejectedException.class, () -> LogUpVerifier.verify(transcript(), s.shape(), bad), "alteration " + k);
        }
    }

    @Test
    void largeProofsAreIdenticalAcrossThreadCountsAndVerify() throws LogUpRejectedException {
        SplittableRandom rng = new SplittableRandom(9);
        Statement s = statement(rng, 2, 10, new int[] {15, 13, 8}, true);
        int saved = Parallelism.threads();
        try {
            Parallelism.setThreads(1);
            LogUpProverResult serial = LogUpProver.prove(transcript(), s.groups, s.table, s.multiplicities);
            assertArrayEquals(s.multiplicities, Multiplicities.count(s.table, s.groups));
            Parallelism.setThreads(4);
            assertArrayEquals(s.multiplicities, Multiplicities.count(s.table, s.groups));
            LogUpProverResult parallel = LogUpProver.prove(transcript(), s.groups, s.table, s.multiplicities);
            ProofWriter a = ProofWriter.begin("LGUP", 1);
            serial.proof().write(a);
            ProofWriter b = ProofWriter.begin("LGUP", 1);
            parallel.proof().write(b);
            assertArrayEquals(a.toByteArray(), b.toByteArray());
            verifyFully(s, parallel.proof());
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    @Test
    void transcriptDivergenceIsRejected() {
        SplittableRandom rng = new SplittableRandom(5);
        Statement s = statement(rng, 1, 4, new int[] {5}, false);
        LogUpProof proof = LogUpProver.prove(transcript(), s.groups, s.table, s.multiplicities).proof();
        Transcript other = new Transcript("logup-test");
        other.absorbBytes("multiplicity-commitment", new byte[] {1, 2, 4});
        assertThrows(LogUpRejectedException.class, () -> LogUpVerifier.verify(other, s.shape(), proof));
    }

    @Test
    void flippedProofBytesAreRejectedOrUnparsable() {
        SplittableRandom rng = new SplittableRandom(6);
        Statement s = statement(rng, 2, 3, new int[] {4, 2}, true);
        LogUpProof proof = LogUpProver.prove(transcript(), s.groups, s.table, s.multiplicities).proof();
        ProofWriter w = ProofWriter.begin("LGUP", 1);
        proof.write(w);
        byte[] bytes = w.toByteArray();
        assertDoesNotThrow(() -> verifyFully(s, parse(bytes, s.shape())));
        int trials = Math.max(1500, bytes.length);
        for (int trial = 0; trial < trials; trial++) {
            byte[] flipped = bytes.clone();
            int pos = trial < bytes.length ? trial : rng.nextInt(bytes.length);
            flipped[pos] ^= (byte) (1 << rng.nextInt(8));
            Exception e = assertThrows(Exception.class, () -> verifyFully(s, parse(flipped, s.shape())), "flip at byte " + pos);
            assertTrue(e instanceof LogUpRejectedException || e instanceof MalformedProofException, e.toString());
        }
    }

    static LogUpProof parse(byte[] bytes, LogUpShape shape) throws MalformedProofException {
        ProofReader r = ProofReader.open(bytes, "LGUP", 1);
        LogUpProof p = LogUpProof.read(r, shape);
        r.finish();
        return p;
    }

    @Test
    void multiplicitiesCountSelectedRowsAndRejectStrangers() {
        long[][] table = {{0, 1, 2, 3}, {10, 11, 12, 13}};
        long[][] cols = {{1, 1, 3, 9}, {11, 11, 13, 99}};
        long[] sel = {1, 1, 1, 0};
        assertArrayEquals(new long[] {0, 2, 0, 1}, Multiplicities.count(table, List.of(new LookupWitness(cols, sel))));
        assertThrows(IllegalArgumentException.class, () -> Multiplicities.count(table, cols));
        long[][] wrongPair = {{1, 2}, {12, 12}};
        assertThrows(IllegalArgumentException.class, () -> Multiplicities.count(table, wrongPair));
    }

    @Test
    void rangeTableClosedFormIsItsMle() {
        SplittableRandom rng = new SplittableRandom(8);
        for (int k = 0; k <= 10; k++) {
            Ext2[] p = new Ext2[k];
            for (int j = 0; j < k; j++) {
                p[j] = Ext2.random(rng);
            }
            assertEquals(Mle.evaluate(RangeTable.values(k), p), RangeTable.evaluate(p));
        }
    }

    static int selectedRow(LookupWitness w, SplittableRandom rng) {
        while (true) {
            int i = rng.nextInt(w.length());
            if (!w.hasSelector() || w.selector()[i] == 1) {
                return i;
            }
        }
    }

    static LogUpProof withLayer(LogUpProof proof, int i, LogUpProof.GkrLayer layer) {
        List<LogUpProof.GkrLayer> layers = new ArrayList<>(proof.layers());
        layers.set(i, layer);
        return new LogUpProof(proof.roots(), layers, proof.groupEvaluations(), proof.tableEvaluations());
    }
}
