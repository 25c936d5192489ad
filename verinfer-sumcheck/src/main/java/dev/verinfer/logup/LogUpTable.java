package dev.verinfer.logup;

import dev.verinfer.poly.Mle;

/**
 * One table of a LogUp argument: row j is the tuple (columns[0][j], …), counted {@code multiplicities[j]}
 * times by the witness (see {@link Multiplicities#count}). Columns and multiplicities have one
 * power-of-two length and canonical entries.
 */
public record LogUpTable(long[][] columns, long[] multiplicities) {
    public LogUpTable {
        if (columns.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        int n = columns[0].length;
        Mle.numVars(n);
        for (long[] c : columns) {
            if (c.length != n) {
                throw new IllegalArgumentException("table columns differ in length: " + c.length + " vs " + n);
            }
        }
        if (multiplicities.length != n) {
            throw new IllegalArgumentException("multiplicities have length " + multiplicities.length + ", the table " + n);
        }
        columns = columns.clone();
    }

    @Override
    public long[][] columns() {
        return columns.clone();
    }

    public int numColumns() {
        return columns.length;
    }

    public int numVars() {
        return Mle.numVars(columns[0].length);
    }
}
