package dev.verinfer.zkml.layout;

import dev.verinfer.field.Ext2;

/**
 * Multilinear indicators of real (unpadded) regions, in closed form for the verifier.
 * {@code prefix(r, d)} = Σ_{i<d} eq(r, i) over the |r|-variable hypercube (r[0] the least significant
 * bit): walking the bits of d from the top, every 1-bit contributes "this bit is 0, the rest free"
 * (eq sums to 1 over the free lower bits), so the cost is O(|r|).
 */
public final class Indicators {
    private Indicators() {}

    public static Ext2 prefix(Ext2[] r, int offset, int numVars, long d) {
        if (d >= (1L << numVars)) {
            return Ext2.ONE;
        }
        Ext2 sum = Ext2.ZERO;
        Ext2 fixed = Ext2.ONE; // eq of the bits above the current one with d's bits
        for (int j = numVars - 1; j >= 0; j--) {
            Ext2 rj = r[offset + j];
            if (((d >>> j) & 1) == 1) {
                sum = sum.add(fixed.mul(Ext2.ONE.sub(rj)));
                fixed = fixed.mul(rj);
            } else {
                fixed = fixed.mul(Ext2.ONE.sub(rj));
            }
        }
        return sum;
    }

    /** The indicator of a padded tensor's real region at {@code point} (length shape.numVars()). */
    public static Ext2 realRegion(PaddedShape shape, Ext2[] point) {
        Ext2 product = Ext2.ONE;
        for (int d = 0; d < shape.rank(); d++) {
            product = product.mul(prefix(point, shape.firstVar(d), shape.bits(d), shape.dim(d)));
        }
        return product;
    }

    /** The 0/1 table of a padded tensor's real region (for the prover). */
    public static long[] realRegionTable(PaddedShape shape) {
        long[] out = new long[shape.paddedSize()];
        long n = shape.realSize();
        for (long i = 0; i < n; i++) {
            out[shape.paddedIndex(i)] = 1;
        }
        return out;
    }
}
