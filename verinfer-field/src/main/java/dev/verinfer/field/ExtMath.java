package dev.verinfer.field;

/**
 * Allocation-free arithmetic in F_p[X]/(X² − 7) on coordinate pairs (a0, a1), for hot loops over
 * {@link ExtVector}s where {@link Ext2} records would allocate. Results are canonical coordinates.
 */
public final class ExtMath {
    private ExtMath() {}

    /** The constant coordinate of (a0 + a1X)(b0 + b1X): a0b0 + 7·a1b1. */
    public static long mulC0(long a0, long a1, long b0, long b1) {
        return BranchFree.add(BranchFree.mul(a0, b0), mulByW(BranchFree.mul(a1, b1)));
    }

    /** The X coordinate of (a0 + a1X)(b0 + b1X): a0b1 + a1b0. */
    public static long mulC1(long a0, long a1, long b0, long b1) {
        return BranchFree.add(BranchFree.mul(a0, b1), BranchFree.mul(a1, b0));
    }

    /** Writes (a0 + a1X)(b0 + b1X) to (out0[i], out1[i]) with three base multiplications (Karatsuba). */
    public static void mul(long a0, long a1, long b0, long b1, long[] out0, long[] out1, int i) {
        long t0 = BranchFree.mul(a0, b0);
        long t1 = BranchFree.mul(a1, b1);
        long cross = BranchFree.mul(BranchFree.add(a0, a1), BranchFree.add(b0, b1));
        out0[i] = BranchFree.add(t0, mulByW(t1));
        out1[i] = BranchFree.sub(BranchFree.sub(cross, t0), t1);
    }

    /**
     * The fold of a multilinear table in its lowest variable at r = (r0, r1), entries i in [from, to):
     * d[i] = s[2i] + r·(s[2i + 1] − s[2i]), with Karatsuba for the extension product; {@code s1 == null}
     * is a base-field table (two base multiplications). A whole range per call, so the loop is compiled
     * as one unit with the base/extension test outside it, whether or not the JIT inlines this method.
     */
    public static void foldRange(long[] s0, long[] s1, long r0, long r1, long[] d0, long[] d1, int from, int to) {
        if (s1 == null) {
            for (int i = from; i < to; i++) {
                long lo0 = s0[2 * i];
                long e0 = BranchFree.sub(s0[2 * i + 1], lo0);
                d0[i] = BranchFree.add(lo0, BranchFree.mul(r0, e0));
                d1[i] = BranchFree.mul(r1, e0);
            }
            return;
        }
        long rs = BranchFree.add(r0, r1);
        for (int i = from; i < to; i++) {
            long lo0 = s0[2 * i];
            long lo1 = s1[2 * i];
            long e0 = BranchFree.sub(s0[2 * i + 1], lo0);
            long e1 = BranchFree.sub(s1[2 * i + 1], lo1);
            long t0 = BranchFree.mul(r0, e0);
            long t1 = BranchFree.mul(r1, e1);
            long cross = BranchFree.mul(rs, BranchFree.add(e0, e1));
            d0[i] = BranchFree.add(lo0, BranchFree.add(t0, mulByW(t1)));
            d1[i] = BranchFree.add(lo1, BranchFree.sub(BranchFree.sub(cross, t0), t1));
        }
    }

    /** Multiplication by the non-residue W = 7. */
    public static long mulByW(long a) {
        return BranchFree.mulBy7(a);
    }
}
