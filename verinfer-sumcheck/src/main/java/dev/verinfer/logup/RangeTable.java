package dev.verinfer.logup;

import dev.verinfer.field.Ext2;

/**
 * The identity table [0, 2^k) used for range checks, and its MLE in closed form: since entry i is
 * Σ_j 2^j·i_j, its multilinear extension is Σ_j 2^j·x_j, which the verifier evaluates in O(k).
 */
public final class RangeTable {
    private RangeTable() {}

    /** The column 0, 1, …, 2^bits − 1. */
    public static long[] values(int bits) {
        if (bits < 0 || bits > 30) {
            throw new IllegalArgumentException("range table bits outside [0, 30]: " + bits);
        }
        long[] t = new long[1 << bits];
        for (int i = 0; i < t.length; i++) {
            t[i] = i;
        }
        return t;
    }

    /** The MLE of {@link #values(int)} with bits = point.length, at {@code point}: Σ_j 2^j·point[j]. */
    public static Ext2 evaluate(Ext2[] point) {
        Ext2 sum = Ext2.ZERO;
        for (int j = point.length - 1; j >= 0; j--) {
            sum = sum.add(sum).add(point[j]);
        }
        return sum;
    }
}
