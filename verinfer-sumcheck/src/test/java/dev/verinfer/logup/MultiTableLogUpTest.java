package dev.verinfer.logup;

import dev.verinfer.field.Ext2;
import dev.verinfer.poly.Mle;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several tables (of different widths and sizes) in one LogUp argument: complete, and no table lends rows to another. */
class MultiTableLogUpTest {
    /** Groups drawing rows from their own table; honest multiplicities per table. */
    record Statement(List<LookupWitness> groups, List<LogUpTable> tables) {
        LogUpShape shape() {
            return LogUpShape.of(groups, tables);
        }
    }

    static Statement statement(SplittableRandom rng, int[] tableColumns, int[] tableVars, int groupsPerTable) {
        List<long[][]> raw = new ArrayList<>();
        for (int k = 0; k < tableColumns.length; k++) {
            raw.add(LogUpTest.table(rng, tableColumns[k], tableVars[k]));
        }
        List<LookupWitness> groups = new ArrayList<>();
        for (int k = 0; k < raw.size(); k++) {
            long[][] t = raw.get(k);
            for (int g = 0; g < groupsPerTable; g++) {
                int vars = rng.nextInt(7);
                long[][] cols = new long[t.length][1 << vars];
                long[] sel = new long[1 << vars];
                for (int i = 0; i < 1 << vars; i++) {
                    int j = rng.nextInt(t[0].length);
                    for (int c = 0; c < t.length; c++) {
                        cols[c][i] = t[c][j];
                    }
                    sel[i] = rng.nextInt(5) == 0 ? 0 : 1;
                }
                groups.add(new LookupWitness(cols, sel, k));
            }
        }
        return new Statement(groups, tablesWithCounts(raw, groups));
    }

    static List<LogUpTable> tablesWithCounts(List<long[][]> raw, List<LookupWitness> groups) {
        List<LogUpTable> tables = new ArrayList<>();
        for (int k = 0; k < raw.size(); k++) {
            int table = k;
            tables.add(new LogUpTable(raw.get(k), Multiplicities.count(raw.get(k), groups.stream().filter(g -> g.table() == table).toList())));
        }
        return tables;
    }

    @Property(tries = 20)
    void honestMultiTableProofsVerifyAndClaimTheTrueEvaluations(@ForAll @IntRange(min = 1, max = 1_000_000) int seed) throws LogUpRejectedException {
        SplittableRandom rng = new SplittableRandom(seed);
        Statement s = statement(rng, new int[] {1, 2, 3}, new int[] {rng.nextInt(8), rng.nextInt(8), rng.nextInt(8)}, 2);
        LogUpProverResult res = LogUpProver.prove(LogUpTest.transcript(), s.groups, s.tables);
        LogUpClaims claims = LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), res.proof());
        assertEquals(s.tables.size(), claims.tables().size());
        for (int k = 0; k < s.tables.size(); k++) {
            TableClaim tc = claims.tables().get(k);
            LogUpVerifier.checkPublicTable(tc, s.tables.get(k).columns());
            assertEquals(Mle.evaluate(s.tables.get(k).multiplicities(), tc.point()), tc.multiplicityEvaluation());
        }
        for (int g = 0; g < s.groups.size(); g++) {
            LookupWitness w = s.groups.get(g);
            GroupClaim gc = claims.groups().get(g);
            for (int c = 0; c < w.numColumns(); c++) {
                assertEquals(Mle.evaluate(w.columns()[c], gc.point()), gc.columnEvaluations()[c]);
            }
        }
    }

    @Property(tries = 200)
    void treesFollowTheBinaryDigitsOfTheTotalAndHoldWholeBlocks(@ForAll @IntRange(min = 1, max = 1_000_000) int seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<LogUpShape.GroupShape> groups = new ArrayList<>();
        for (int g = 0, n = 1 + rng.nextInt(12); g < n; g++) {
            groups.add(new LogUpShape.GroupShape(rng.nextInt(12), true, 0));
        }
        LogUpShape shape = new LogUpShape(List.of(new LogUpShape.TableShape(1, rng.nextInt(12))), groups);
        long total = 0;
        for (int b = 0; b < shape.numBlocks(); b++) {
            total += 1L << shape.blockVars(b);
        }
        int[] vars = shape.treeVars();
        assertEquals(Long.bitCount(total), vars.length);
        long covered = 0;
        for (int v : vars) {
            covered += 1L << v;
        }
        assertEquals(total, covered, "the trees are exactly the blocks: no padding leaf");
        long[] offsets = shape.offsets();
        long[] starts = shape.treeStarts();
        for (int b = 0; b < shape.numBlocks(); b++) {
            int t = shape.treeOf(offsets[b]);
            long size = 1L << shape.blockVars(b);
            assertTrue(offsets[b] >= starts[t] && offsets[b] + size <= starts[t] + (1L << vars[t]), "block " + b + " straddles a tree boundary");
            assertEquals(0, (offsets[b] - starts[t]) % size, "block " + b + " is not aligned in its tree");
        }
    }

    @Test
    void aRowOfAnotherTableIsNotInThisOne() {
        // Two one-column tables, [0, 16) and [100, 116): a group of table 1 looks up 3 (a row of table 0 only),
        // and the prover counts it in table 0's multiplicities, so the plain (untagged) sums would balance.
        long[][] low = {RangeTable.values(4)};
        long[][] high = {new long[16]};
        for (int j = 0; j < 16; j++) {
            high[0][j] = 100 + j;
        }
        List<LookupWitness> groups = List.of(new LookupWitness(new long[][] {{3, 5}}, null, 0), new LookupWitness(new long[][] {{3, 101}}, null, 1));
        long[] mLow = new long[16];
        mLow[3] = 2;
        mLow[5] = 1;
        long[] mHigh = new long[16];
        mHigh[1] = 1;
        List<LogUpTable> tables = List.of(new LogUpTable(low, mLow), new LogUpTable(high, mHigh));
        LogUpProverResult res = LogUpProver.prove(LogUpTest.transcript(), groups, tables);
        LogUpRejectedException e = assertThrows(LogUpRejectedException.class,
                () -> LogUpVerifier.verify(LogUpTest.transcript(), LogUpShape.of(groups, tables), res.proof()));
        assertTrue(e.getMessage().contains("balance"), e.getMessage());
    }

    @Test
    void alteredTableLeavesAndSwappedTablesAreRejected() throws LogUpRejectedException {
        SplittableRandom rng = new SplittableRandom(11);
        Statement s = statement(rng, new int[] {1, 2}, new int[] {3, 5}, 2);
        LogUpProof proof = LogUpProver.prove(LogUpTest.transcript(), s.groups, s.tables).proof();
        LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), proof);
        for (int k = 0; k < 2; k++) {
            for (int e = 0; e < proof.tableEvaluations().get(k).length; e++) {
                List<Ext2[]> te = new ArrayList<>(proof.tableEvaluations());
                Ext2[] bad = te.get(k).clone();
                bad[e] = bad[e].add(1);
                te.set(k, bad);
                LogUpProof altered = new LogUpProof(proof.roots(), proof.layers(), proof.groupEvaluations(), te);
                assertThrows(LogUpRejectedException.class, () -> LogUpVerifier.verify(LogUpTest.transcript(), s.shape(), altered));
            }
        }
        // The same groups claimed against each other's table: another statement, rejected.
        LogUpShape swapped = new LogUpShape(List.of(new LogUpShape.TableShape(2, 5), new LogUpShape.TableShape(1, 3)),
                s.groups.stream().map(g -> new LogUpShape.GroupShape(g.numVars(), true, 1 - g.table())).toList());
        assertThrows(LogUpRejectedException.class, () -> LogUpVerifier.verify(LogUpTest.transcript(), swapped, proof));
    }

    @Test
    void oneTableStatementsAreUnchangedByTagging() throws LogUpRejectedException {
        // Table 0 has tag 0: a one-table argument is the plain LogUp of before.
        long[] values = {1, 2, 3, 1};
        List<LookupWitness> groups = List.of(LookupWitness.of(values));
        long[][] table = {RangeTable.values(2)};
        LogUpProverResult res = LogUpProver.prove(LogUpTest.transcript(), groups, table, Multiplicities.count(table, groups));
        LogUpClaims claims = LogUpVerifier.verify(LogUpTest.transcript(), LogUpTest.shapeOf(groups, table), res.proof());
        assertEquals(RangeTable.evaluate(claims.table().point()), claims.table().columnEvaluations()[0]);
    }
}
