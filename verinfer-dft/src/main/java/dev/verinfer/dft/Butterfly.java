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
     * Two stages on the quadruples (a[k + j], a[k + j + h], a[k + j + 2h], a[k + j + 3h]), h = half:
     * the span-2h butterflies (twiddle tw[h + j]) on both pairs, then the span-4h ones (tw[2h + j] and
     * tw[3h + j]), for j0 ≤ j &lt; j1, with the four values kept in registers.
     */
    static void runPair(long[] a, long[] tw, int k, int half, int j0, int j1) {
        for (int j = j0; j < j1; j++) {
            int i0 = k + j;
            int i1 = i0 + half;
            int i2 = i1 + half;
            int i3 = i2 + half;
            long w = tw[half + j];
            long x0 = a[i0];
            long v = BranchFree.mul(a[i1], w);
            long x1 = BranchFree.sub(x0, v);
            x0 = BranchFree.add(x0, v);
            long x2 = a[i2];
            v = BranchFree.mul(a[i3], w);
            long x3 = BranchFree.sub(x2, v);
            x2 = BranchFree.add(x2, v);
            v = BranchFree.mul(x2, tw[2 * half + j]);
            a[i0] = BranchFree.add(x0, v);
            a[i2] = BranchFree.sub(x0, v);
            v = BranchFree.mul(x3, tw[3 * half + j]);
            a[i1] = BranchFree.add(x1, v);
            a[i3] = BranchFree.sub(x1, v);
        }
    }
}
