package dev.verinfer.dft;

import dev.verinfer.field.BranchFree;

/** The radix-2 butterfly (u, v) ↦ (u + ωv, u − ωv) over a run of indices, in {@link BranchFree} arithmetic. */
final class Butterfly {
    private Butterfly() {}

    /** Butterflies on (a[k + j], a[k + j + half]) with twiddle tw[half + j] for j0 ≤ j &lt; j1. */
    static void run(long[] a, long[] tw, int k, int half, int j0, int j1) {
        for (int j = j0; j < j1; j++) {
            long u = a[k + j];
            long v = BranchFree.mul(a[k + j + half], tw[half + j]);
            a[k + j] = BranchFree.add(u, v);
            a[k + j + half] = BranchFree.sub(u, v);
        }
    }

    /**
     * Two consecutive stages on a block of 4·half at k: for j0 ≤ j &lt; j1, the span-2·half butterflies on
     * (k + j, k + j + half) and (k + j + 2·half, k + j + 3·half) with tw[half + j], then the span-4·half
     * butterflies on (k + j, k + j + 2·half) with tw[2·half + j] and (k + j + half, k + j + 3·half) with
     * tw[3·half + j].
     */
    static void runPair(long[] a, long[] tw, int k, int half, int j0, int j1) {
        int h2 = 2 * half;
        for (int j = j0; j < j1; j++) {
            int i0 = k + j;
            long w1 = tw[half + j];
            long x0 = a[i0];
            long x1 = BranchFree.mul(a[i0 + half], w1);
            long x2 = a[i0 + h2];
            long x3 = BranchFree.mul(a[i0 + h2 + half], w1);
            long y0 = BranchFree.add(x0, x1);
            long y1 = BranchFree.sub(x0, x1);
            long y2 = BranchFree.add(x2, x3);
            long y3 = BranchFree.sub(x2, x3);
            long v2 = BranchFree.mul(y2, tw[h2 + j]);
            long v3 = BranchFree.mul(y3, tw[h2 + half + j]);
            a[i0] = BranchFree.add(y0, v2);
            a[i0 + h2] = BranchFree.sub(y0, v2);
            a[i0 + half] = BranchFree.add(y1, v3);
            a[i0 + h2 + half] = BranchFree.sub(y1, v3);
        }
    }
}
