package dev.verinfer.dft;

import dev.verinfer.field.BranchFree;

/** The radix-2 butterfly (u, v) ↦ (u + ωv, u − ωv) and two stages of them as one radix-4 pass, in {@link BranchFree} arithmetic. */
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
     * Two consecutive stages as one radix-4 pass on a block of 4·half at k, for j0 ≤ j &lt; j1: the span-2·half
     * butterflies on (k + j, k + j + half) and (k + j + 2·half, k + j + 3·half) with ω^2j = tw[half + j], then the
     * span-4·half ones on (k + j, k + j + 2·half) with ω^j = tw[2·half + j] and on (k + j + half, k + j + 3·half)
     * with ω^j·ω₄, where ω = ω_{4·half} (inverse tables: its inverse) and ω₄ = ω^half a primitive 4th root of unity.
     * Expanded, with a_m at k + j + m·half and b1 = ω^2j·a_1, b2 = ω^j·a_2, b3 = ω^3j·a_3:
     * out_0 = (a_0 + b1) + (b2 + b3), out_2 = (a_0 + b1) − (b2 + b3), out_1 = (a_0 − b1) + ω₄·(b2 − b3) and
     * out_3 = (a_0 − b1) − ω₄·(b2 − b3): the same values with three twiddle products instead of four, and
     * ω₄ = 2^48 (2^96 ≡ −1 mod p; the inverse tables' ω₄ is −2^48) is a shift. ω^3j is in the same stage's
     * table: tw[2·half + 3j] while 3j &lt; 2·half, else −tw[3j] since ω^(2·half) = −1. At j = 0 every twiddle is 1.
     */
    static void radix4(long[] a, long[] tw, boolean inverse, int k, int half, int j0, int j1) {
        int j = j0;
        if (j == 0 && j1 > 0) {
            quad(a, k, half, inverse, a[k + half], a[k + 2 * half], a[k + 3 * half]);
            j = 1;
        }
        int wrap = Math.max(j, Math.min(j1, (2 * half + 2) / 3)); // the first j with 3j ≥ 2·half
        for (; j < wrap; j++) {
            int i = k + j;
            quad(a, i, half, inverse, BranchFree.mul(a[i + half], tw[half + j]), BranchFree.mul(a[i + 2 * half], tw[2 * half + j]),
                    BranchFree.mul(a[i + 3 * half], tw[2 * half + 3 * j]));
        }
        for (; j < j1; j++) {
            int i = k + j;
            quad(a, i, half, inverse, BranchFree.mul(a[i + half], tw[half + j]), BranchFree.mul(a[i + 2 * half], tw[2 * half + j]),
                    BranchFree.neg(BranchFree.mul(a[i + 3 * half], tw[3 * j])));
        }
    }

    /** The radix-4 outputs at i, i + half, i + 2·half, i + 3·half from a_0 = a[i] and the twiddled b1, b2, b3. */
    private static void quad(long[] a, int i, int half, boolean inverse, long b1, long b2, long b3) {
        long a0 = a[i];
        long s = BranchFree.add(a0, b1);
        long d = BranchFree.sub(a0, b1);
        long e = BranchFree.add(b2, b3);
        long f = inverse ? BranchFree.sub(b3, b2) : BranchFree.sub(b2, b3); // ω₄⁻¹ = −ω₄: the difference negated
        long g = BranchFree.reduce128(f >>> 16, f << 48); // f·2^48
        a[i] = BranchFree.add(s, e);
        a[i + 2 * half] = BranchFree.sub(s, e);
        a[i + half] = BranchFree.add(d, g);
        a[i + 3 * half] = BranchFree.sub(d, g);
    }
}
