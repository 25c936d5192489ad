package dev.verinfer.dft;

import dev.verinfer.field.BranchFree;

/**
 * The radix-2 butterfly (u, v) ↦ (u + ωv, u − ωv) and two stages of them as one radix-4 pass, in {@link BranchFree}
 * arithmetic. An instance holds one thread's scratch rows: runs of at least {@link #MIN_LANES} butterflies go
 * through them in chunks, the twiddle products (a 64×64-bit high product the JIT cannot vectorise) in one scalar
 * loop, then every addition and subtraction in loops over whole rows that the JIT vectorises (the additions were
 * most of the scalar kernel's instructions); shorter runs stay scalar. Not thread-safe: one instance per task.
 */
final class Butterfly {
    /** Runs shorter than this stay scalar (a vector loop needs a few full vectors to pay for its set-up). */
    static final int MIN_LANES = 16;
    /** Butterflies per chunk: four rows of 2 KiB stay in L1 beside the array's lines. */
    private static final int CHUNK = 256;
    /** 2^32 − 1 = 2^64 − p. */
    private static final long EPSILON = 0xFFFF_FFFFL;

    private final long[] x0 = new long[CHUNK];
    private final long[] x1 = new long[CHUNK];
    private final long[] x2 = new long[CHUNK];
    private final long[] x3 = new long[CHUNK];

    /** Butterflies on (a[k + j], a[k + j + half]) with twiddle tw[half + j] for j0 ≤ j &lt; j1. */
    void run(long[] a, long[] tw, int k, int half, int j0, int j1) {
        if (j1 - j0 < MIN_LANES) {
            runScalar(a, tw, k, half, j0, j1);
            return;
        }
        for (int c = j0; c < j1; c += CHUNK) {
            int len = Math.min(CHUNK, j1 - c);
            int i = k + c;
            for (int t = 0; t < len; t++) {
                x1[t] = BranchFree.mul(a[i + half + t], tw[half + c + t]);
            }
            System.arraycopy(a, i, x0, 0, len);
            sumDiff(x0, x1, len);
            System.arraycopy(x0, 0, a, i, len);
            System.arraycopy(x1, 0, a, i + half, len);
        }
    }

    /** {@link #run} one butterfly at a time: short runs, and the reference the row-wise path is tested against. */
    static void runScalar(long[] a, long[] tw, int k, int half, int j0, int j1) {
        for (int j = j0; j < j1; j++) {
            long u = a[k + j];
            long v = BranchFree.mul(a[k + j + half], tw[half + j]);
            a[k + j] = BranchFree.add(u, v);
            a[k + j + half] = BranchFree.sub(u, v);
        }
    }

    /**
     * Two consecutive stages as one radix-4 pass on a block of 4·half at k, for j0 ≤ j &lt; j1 ({@link #radix4Scalar}
     * gives the maths): per chunk the twiddled b1, b2, b3 into rows (ω^3j from {@link Twiddles#cubes}, in order), then s, d = a_0 ± b1 and e, f = b2 ± b3, g = f·2^48,
     * d ± g and s ± e row by row. The inverse's ω₄⁻¹ = −2^48 only swaps d + g and d − g between out_1 and out_3.
     */
    void radix4(long[] a, long[] tw, boolean inverse, int k, int half, int j0, int j1) {
        if (j1 - j0 < MIN_LANES) {
            radix4Scalar(a, tw, inverse, k, half, j0, j1);
            return;
        }
        long[] cubes = Twiddles.cubes(Integer.numberOfTrailingZeros(2 * half), inverse); // ω^3j in order: one loop of three products
        for (int c = j0; c < j1; c += CHUNK) {
            int len = Math.min(CHUNK, j1 - c);
            int i = k + c;
            for (int t = 0; t < len; t++) {
                x1[t] = BranchFree.mul(a[i + half + t], tw[half + c + t]);
                x2[t] = BranchFree.mul(a[i + 2 * half + t], tw[2 * half + c + t]);
                x3[t] = BranchFree.mul(a[i + 3 * half + t], cubes[half + c + t]);
            }
            System.arraycopy(a, i, x0, 0, len);
            sumDiff(x0, x1, len);
            sumDiff(x2, x3, len);
            timesOmega4(x3, len);
            sumDiff(x1, x3, len);
            sumDiff(x0, x2, len);
            System.arraycopy(x0, 0, a, i, len);
            System.arraycopy(x2, 0, a, i + 2 * half, len);
            System.arraycopy(inverse ? x3 : x1, 0, a, i + half, len);
            System.arraycopy(inverse ? x1 : x3, 0, a, i + 3 * half, len);
        }
    }

    /** (x[t], y[t]) ↦ (x[t] + y[t], x[t] − y[t]) for t &lt; len: a loop the JIT vectorises. */
    private static void sumDiff(long[] x, long[] y, int len) {
        for (int t = 0; t < len; t++) {
            long u = x[t];
            long v = y[t];
            x[t] = BranchFree.add(u, v);
            y[t] = BranchFree.sub(u, v);
        }
    }

    /** x[t] ↦ x[t]·2^48 for t &lt; len, branch-free so the loop vectorises ({@link #timesOmega4(long)}). */
    private static void timesOmega4(long[] x, int len) {
        for (int t = 0; t < len; t++) {
            x[t] = timesOmega4(x[t]);
        }
    }

    /**
     * f·2^48 mod p for any word f, canonical: with f = h·2^48 + m·2^16 + l (h, l &lt; 2^16, m &lt; 2^32), 2^64 ≡ ε and
     * 2^96 ≡ −1 give f·2^48 ≡ l·2^48 + m·ε − h, three canonical terms (l·2^48 ≤ 2^64 − 2^48 and m·ε ≤ (2^32 − 1)² are
     * below p) combined by one addition and one subtraction.
     */
    static long timesOmega4(long f) {
        long m = (f >>> 16) & EPSILON;
        return BranchFree.sub(BranchFree.add((f & 0xFFFF) << 48, (m << 32) - m), f >>> 48);
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
    static void radix4Scalar(long[] a, long[] tw, boolean inverse, int k, int half, int j0, int j1) {
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
