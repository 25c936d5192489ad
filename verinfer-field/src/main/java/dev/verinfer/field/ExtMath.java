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

    /** Multiplication by the non-residue W = 7. */
    public static long mulByW(long a) {
        return BranchFree.mulBy7(a);
    }
}
