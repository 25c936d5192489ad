package dev.verinfer.logup;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;

import java.util.Arrays;
import java.util.List;

/**
 * The prover's multiplicity vector: m[j] = Σ of the selector weights of the witness rows equal to
 * table row j (rows repeated in the table are all counted at their first occurrence). Rows are matched
 * by an open-addressing hash index over the table; the look-ups run in parallel.
 */
public final class Multiplicities {
    private static final int PARALLEL_CHUNK = 1 << 12;

    private Multiplicities() {}

    /** Counts every group's selected rows; throws if a selected row is not in the table. */
    public static long[] count(long[][] tableColumns, List<LookupWitness> groups) {
        TupleIndex index = new TupleIndex(tableColumns);
        long[] m = new long[tableColumns[0].length];
        for (int g = 0; g < groups.size(); g++) {
            LookupWitness w = groups.get(g);
            if (w.numColumns() != tableColumns.length) {
                throw new IllegalArgumentException("group " + g + " has " + w.numColumns() + " columns, the table " + tableColumns.length);
            }
            long[][] cols = w.columns();
            long[] sel = w.selector();
            int[] rows = new int[w.length()];
            Parallelism.forEachChunk(rows.length, PARALLEL_CHUNK, (from, to) -> {
                for (int i = from; i < to; i++) {
                    rows[i] = sel != null && sel[i] == 0 ? -1 : index.find(cols, i);
                }
            });
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] >= 0) {
                    m[rows[i]] = Goldilocks.add(m[rows[i]], sel == null ? 1 : sel[i]);
                } else if (sel == null || sel[i] != 0) {
                    throw new IllegalArgumentException("look-up group " + g + " row " + i + " is not in the table");
                }
            }
        }
        return m;
    }

    /** Counts single groups of witness columns (all rows selected). */
    public static long[] count(long[][] tableColumns, long[][]... witnessGroups) {
        return count(tableColumns, Arrays.stream(witnessGroups).map(LookupWitness::of).toList());
    }

    /** Table row lookup: slots hold row indices, probed linearly from a hash of the tuple. */
    private static final class TupleIndex {
        private final long[][] table;
        private final int[] slots;
        private final int mask;

        TupleIndex(long[][] table) {
            this.table = table;
            int n = table[0].length;
            int capacity = Integer.highestOneBit(Math.max(2, n) * 2) * 2;
            slots = new int[capacity];
            Arrays.fill(slots, -1);
            mask = capacity - 1;
            for (int j = 0; j < n; j++) {
                int s = hash(table, j) & mask;
                while (slots[s] >= 0 && !sameRow(table, j, slots[s])) {
                    s = (s + 1) & mask;
                }
                if (slots[s] < 0) {
                    slots[s] = j; // a repeated row keeps its first index
                }
            }
        }

        /** The table row equal to row i of {@code cols}, or −1. */
        int find(long[][] cols, int i) {
            int s = hash(cols, i) & mask;
            while (slots[s] >= 0) {
                int j = slots[s];
                boolean equal = true;
                for (int c = 0; c < cols.length && equal; c++) {
                    equal = cols[c][i] == table[c][j];
                }
                if (equal) {
                    return j;
                }
                s = (s + 1) & mask;
            }
            return -1;
        }

        private boolean sameRow(long[][] t, int a, int b) {
            for (long[] col : t) {
                if (col[a] != col[b]) {
                    return false;
                }
            }
            return true;
        }

        private static int hash(long[][] cols, int i) {
            long h = 0x9E3779B97F4A7C15L;
            for (long[] c : cols) {
                h = (h ^ c[i]) * 0xBF58476D1CE4E5B9L;
                h ^= h >>> 31;
            }
            return (int) (h ^ (h >>> 32));
        }
    }
}
