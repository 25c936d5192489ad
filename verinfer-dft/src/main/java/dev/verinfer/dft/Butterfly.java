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
}
