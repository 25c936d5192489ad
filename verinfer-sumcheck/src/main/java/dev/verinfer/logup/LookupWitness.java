package dev.verinfer.logup;

import dev.verinfer.poly.Mle;

/**
 * One group of look-ups: row i is the tuple (columns[0][i], …, columns[C−1][i]), counted with weight
 * selector[i] (normally 0 or 1; {@code null} means every row counts once), looked up in table
 * {@code table} of the argument. Padding rows get selector 0 and then need not be in the table. All
 * arrays have the same power-of-two length and canonical entries.
 */
public record LookupWitness(long[][] columns, long[] selector, int table) {
    public LookupWitness {
        if (table < 0) {
            throw new IllegalArgumentException("negative table index " + table);
        }
        if (columns.length == 0) {
            throw new IllegalArgumentException("a look-up needs at least one column");
        }
        int n = columns[0].length;
        Mle.numVars(n);
        for (long[] c : columns) {
            if (c.length != n) {
                throw new IllegalArgumentException("witness columns differ in length: " + c.length + " vs " + n);
            }
        }
        if (selector != null && selector.length != n) {
            throw new IllegalArgumentException("selector length " + selector.length + " differs from column length " + n);
        }
        columns = columns.clone();
    }

    /** A group of the first (or only) table. */
    public LookupWitness(long[][] columns, long[] selector) {
        this(columns, selector, 0);
    }

    /** A group of the first (or only) table in which every row counts. */
    public static LookupWitness of(long[]... columns) {
        return new LookupWitness(columns, null);
    }

    @Override
    public long[][] columns() {
        return columns.clone();
    }

    public int numColumns() {
        return columns.length;
    }

    public int length() {
        return columns[0].length;
    }

    public int numVars() {
        return Mle.numVars(length());
    }

    public boolean hasSelector() {
        return selector != null;
    }
}
