package dev.verinfer.field;

/**
 * Allocation-free arithmetic in F_p[X]/(X² − 7) on coordinate pairs (a0, a1), for hot loops over
 * {@link ExtVector}s where {@link Ext2} records would allocate. Results are canonical coordinates.
 */
public final class ExtMath {
    /** The non-residue W = 7 (X² = W). */
    private static final long W = Ext2.W;

    private ExtMath() {}

    /** The constant coordinate of (a0 + a1X)(b0 + b1X): a0b0 + 7·a1b1, the product a1b1 reduced, then one more reduction. */
    public static long mulC0(long a0, long a1, long b0, long b1) {
        return BranchFree.mulMulAdd(a0, b0, BranchFree.mul(a1, b1), W, 0);
    }

    /** The X coordinate of (a0 + a1X)(b0 + b1X): a0b1 + a1b0, with one reduction. */
    public static long mulC1(long a0, long a1, long b0, long b1) {
        return BranchFree.mulMulAdd(a0, b1, a1, b0, 0);
    }

    /**
     * Writes (a0 + a1X)(b0 + b1X) to (out0[i], out1[i]): each coordinate a sum of two 128-bit products reduced
     * once ({@link BranchFree#mulMulAdd}; three reductions in all, fewer than Karatsuba's three products and
     * seven additions).
     */
    public static void mul(long a0, long a1, long b0, long b1, long[] out0, long[] out1, int i) {
        out0[i] = mulC0(a0, a1, b0, b1);
        out1[i] = mulC1(a0, a1, b0, b1);
    }

    /**
     * The fold of a multilinear table in its lowest variable at r = (r0, r1), entries i in [from, to):
     * d[i] = s[2i] + r·(s[2i + 1] − s[2i]), with e = s[2i + 1] − s[2i]: d0 = lo0 + r0·e0 + 7r1·e1 and
     * d1 = lo1 + r0·e1 + r1·e0, each reduced once ({@link BranchFree#mulMulAdd}, 7r1 computed once);
     * {@code s1 == null} is a base-field table (d0 = lo0 + r0·e0, d1 = r1·e0). A whole range per call, so the loop
     * is compiled as one unit with the base/extension test outside it, whether or not the JIT inlines this method.
     */
    public static void foldRange(long[] s0, long[] s1, long r0, long r1, long[] d0, long[] d1, int from, int to) {
        if (s1 == null) {
            for (int i = from; i < to; i++) {
                long lo0 = s0[2 * i];
                long e0 = BranchFree.sub(s0[2 * i + 1], lo0);
                d0[i] = BranchFree.mulAdd(r0, e0, lo0);
                d1[i] = BranchFree.mul(r1, e0);
            }
            return;
        }
        long r1w = mulByW(r1);
        for (int i = from; i < to; i++) {
            long lo0 = s0[2 * i];
            long lo1 = s1[2 * i];
            long e0 = BranchFree.sub(s0[2 * i + 1], lo0);
            long e1 = BranchFree.sub(s1[2 * i + 1], lo1);
            d0[i] = BranchFree.mulMulAdd(r0, e0, r1w, e1, lo0);
            d1[i] = BranchFree.mulMulAdd(r0, e1, r1, e0, lo1);
        }
    }

    /** Multiplication by the non-residue W = 7. */
    public static long mulByW(long a) {
        return BranchFree.mulBy7(a);
    }
}
