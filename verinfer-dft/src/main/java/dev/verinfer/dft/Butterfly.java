package dev.verinfer.dft;

import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Goldilocks;

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
    /**
     * The shortest sixteenth a transform hands {@link #radix16}: on shorter ones sixteen rows of a few vectors cost more
     * in loop set-up than the nine products they save (2^5: slower than two radix-4 passes; 2^7: faster).
     */
    static final int MIN_SIXTEENTH = 1 << 7;
    /** Entries per row of a radix-16 chunk: sixteen rows of 1 KiB stay in L1 beside the array's lines. */
    private static final int CHUNK16 = 128;
    /** e with ω₁₆ = {@link Goldilocks#rootOfUnity}(4) = 2^e: 2 has order 192 in Goldilocks, so every 16th root of unity is a power of 2. */
    static final int OMEGA16_LOG2 = log2Of(Goldilocks.rootOfUnity(4));
    /** The 4-bit reversal: row s of a radix-16 chunk holds the sixteenth at REVERSE4[s]. */
    private static final int[] REVERSE4 = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};
    /** The row of {@link #dft4}'s output X_q, forward (ω₄ = 2^48) and inverse (ω₄⁻¹ = −2^48). */
    private static final int[] POSITION_FORWARD = {0, 2, 1, 3};
    private static final int[] POSITION_INVERSE = {0, 3, 1, 2};
    /** 2^32 − 1 = 2^64 − p. */
    private static final long EPSILON = 0xFFFF_FFFFL;

    private final long[] x0 = new long[CHUNK];
    private final long[] x1 = new long[CHUNK];
    private final long[] x2 = new long[CHUNK];
    private final long[] x3 = new long[CHUNK];
    /** A radix-16 pass's sixteen rows of {@link #CHUNK16}, made on its first call. */
    private long[][] rows16;

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
                x1[t] = product(a[i + half + t], tw[half + c + t]);
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
            long v = product(a[k + j + half], tw[half + j]);
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
                x1[t] = product(a[i + half + t], tw[half + c + t]);
                x2[t] = product(a[i + 2 * half + t], tw[2 * half + c + t]);
                x3[t] = product(a[i + 3 * half + t], cubes[half + c + t]);
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

    /**
     * Four consecutive stages as one radix-16 pass on a block of 16·h at k, for j0 ≤ j &lt; j1 (16 ≤ h ≤
     * 2^{@link Twiddles#SIXTEENTH_LOG}). With a_m at k + j + m·h (each sixteenth the size-h transform of one residue class, in
     * bit-reversed order) the four radix-2 stages give out_q at k + j + q·h, out_q = Σ_s ω₁₆^(qs)·c_s with c_s = ω_{16h}^(js)·a_{r(s)}
     * (r the 4-bit reversal; ω₁₆ = ω_{16h}^h; the inverse tables' roots are the inverses): 15 general twiddle products per
     * 16 entries ({@link Twiddles#sixteenths}, in order) where two radix-4 passes take 24, then the 16-point transform of
     * the rows c_s as 4 × 4: four 4-point transforms over s₂ (s = s₁ + 4s₂), the nine inner twiddles ω₁₆^(q₀s₁) — powers
     * of 2 in Goldilocks ({@link #timesTwoTo(long, int)}: shifts, additions, one subtraction, in loops the JIT vectorises) —
     * and four 4-point transforms over s₁, out_(q₀ + 4q₁). Every operation is exact and canonical: the values of the stages.
     */
    void radix16(long[] a, boolean inverse, int k, int h, int j0, int j1) {
        long[] tw = Twiddles.sixteenths(inverse);
        for (int c = j0; c < j1; c += CHUNK16) {
            radix16Chunk(a, tw, inverse, k + c, h, c, Math.min(CHUNK16, j1 - c));
        }
    }

    /** One chunk of {@link #radix16}: sixteenths j in [c, c + len) at i = k + c. */
    private void radix16Chunk(long[] a, long[] tw, boolean inverse, int i, int h, int c, int len) {
        long[][] x = rows16 == null ? (rows16 = new long[16][CHUNK16]) : rows16;
        int[] pos = inverse ? POSITION_INVERSE : POSITION_FORWARD;
        int e = inverse ? 192 - OMEGA16_LOG2 : OMEGA16_LOG2; // the pass's ω₁₆ = 2^e
        System.arraycopy(a, i, x[0], 0, len);
        for (int s = 1; s < 16; s++) {
            long[] row = x[s];
            int w = ((s - 1) << (Twiddles.SIXTEENTH_LOG + 1)) + h + c;
            int from = i + REVERSE4[s] * h;
            for (int t = 0; t < len; t++) {
                row[t] = product(a[from + t], tw[w + t]);
            }
        }
        for (int s1 = 0; s1 < 4; s1++) {
            dft4(x[s1], x[s1 + 4], x[s1 + 8], x[s1 + 12], len); // D_s₁[q₀] in row s₁ + 4·pos[q₀]
        }
        for (int q0 = 1; q0 < 4; q0++) {
            for (int s1 = 1; s1 < 4; s1++) {
                timesTwoTo(x[s1 + 4 * pos[q0]], len, e * q0 * s1 % 192);
            }
        }
        for (int q0 = 0; q0 < 4; q0++) {
            int r = 4 * pos[q0];
            dft4(x[r], x[r + 1], x[r + 2], x[r + 3], len); // out_(q₀ + 4q₁) in row r + pos[q₁]
            for (int q1 = 0; q1 < 4; q1++) {
                System.arraycopy(x[r + pos[q1]], 0, a, i + (q0 + 4 * q1) * h, len);
            }
        }
    }

    /**
     * The 4-point transform X_q = Σ_s ω₄^(qs)·y_s of rows y0..y3 in place, X_q left in row pos[q]: (y0 ± y2), (y1 ± y3), the
     * difference y1 − y3 times 2^48, then the sums and differences. The forward ω₄ = 2^48 leaves X1 in y2 and X3 in y3; the
     * inverse's ω₄⁻¹ = −2^48 only swaps them ({@link #POSITION_INVERSE}).
     */
    private static void dft4(long[] y0, long[] y1, long[] y2, long[] y3, int len) {
        sumDiff(y0, y2, len);
        sumDiff(y1, y3, len);
        timesOmega4(y3, len);
        sumDiff(y0, y1, len);
        sumDiff(y2, y3, len);
    }

    /**
     * x[t] ↦ x[t]·2^e mod p for t &lt; len and 0 ≤ e &lt; 192 (canonical x): one branch-free loop per case of
     * {@link #timesTwoTo(long, int)} and sign, each in a method of its own so the JIT vectorises it (the cases' loops in one
     * method stayed scalar, as slow as a product).
     */
    static void timesTwoTo(long[] x, int len, int e) {
        int r = e % 96;
        boolean negate = e >= 96; // 2^96 ≡ −1
        if (r == 0) {
            if (negate) {
                negate(x, len);
            }
        } else if (r <= 32) {
            if (negate) {
                lowNegated(x, len, r);
            } else {
                low(x, len, r);
            }
        } else if (r <= 64) {
            if (negate) {
                middleNegated(x, len, r);
            } else {
                middle(x, len, r);
            }
        } else if (negate) {
            highNegated(x, len, r);
        } else {
            high(x, len, r);
        }
    }

    private static void negate(long[] x, int len) {
        for (int t = 0; t < len; t++) {
            x[t] = BranchFree.neg(x[t]);
        }
    }

    /** r in (0, 32]: m·2^32 + l·2^r + h·ε. */
    private static void low(long[] x, int len, int r) {
        int low = 32 - r;
        long mask = (1L << low) - 1;
        int top = 64 - r;
        for (int t = 0; t < len; t++) {
            long f = x[t];
            long h = f >>> top;
            x[t] = BranchFree.add(BranchFree.add(((f >>> low) & EPSILON) << 32, (f & mask) << r), (h << 32) - h);
        }
    }

    private static void lowNegated(long[] x, int len, int r) {
        int low = 32 - r;
        long mask = (1L << low) - 1;
        int top = 64 - r;
        for (int t = 0; t < len; t++) {
            long f = x[t];
            long h = f >>> top;
            x[t] = BranchFree.sub(BranchFree.neg(BranchFree.add(((f >>> low) & EPSILON) << 32, (f & mask) << r)), (h << 32) - h);
        }
    }

    /** r in (32, 64]: l·2^r + m·ε − h. */
    private static void middle(long[] x, int len, int r) {
        int low = 64 - r;
        long mask = (1L << low) - 1;
        int top = 96 - r;
        for (int t = 0; t < len; t++) {
            long f = x[t];
            long m = (f >>> low) & EPSILON;
            x[t] = BranchFree.sub(BranchFree.add((f & mask) << r, (m << 32) - m), f >>> top);
        }
    }

    private static void middleNegated(long[] x, int len, int r) {
        int low = 64 - r;
        long mask = (1L << low) - 1;
        int top = 96 - r;
        for (int t = 0; t < len; t++) {
            long f = x[t];
            long m = (f >>> low) & EPSILON;
            x[t] = BranchFree.sub(f >>> top, BranchFree.add((f & mask) << r, (m << 32) - m));
        }
    }

    /** r in (64, 96): (l·2^(r−64))·ε − h. */
    private static void high(long[] x, int len, int r) {
        int top = 96 - r;
        long mask = (1L << top) - 1;
        int up = r - 64;
        for (int t = 0; t < len; t++) {
            long f = x[t];
            long l = (f & mask) << up;
            x[t] = BranchFree.sub((l << 32) - l, f >>> top);
        }
    }

    private static void highNegated(long[] x, int len, int r) {
        int top = 96 - r;
        long mask = (1L << top) - 1;
        int up = r - 64;
        for (int t = 0; t < len; t++) {
            long f = x[t];
            long l = (f & mask) << up;
            x[t] = BranchFree.sub(f >>> top, (l << 32) - l);
        }
    }

    /**
     * f·2^e mod p for canonical f and 0 ≤ e &lt; 192, from 2^64 ≡ ε = 2^32 − 1 and 2^96 ≡ −1 (so 2^(96 + r) ≡ −2^r), as
     * canonical terms combined by additions and subtractions, no product:
     * r = e mod 96 in (0, 32]: f = h·2^(64−r) + m·2^(32−r) + l gives f·2^r ≡ m·2^32 + l·2^r + h·ε;
     * r in (32, 64]: f = h·2^(96−r) + m·2^(64−r) + l gives l·2^r + m·ε − h (the {@link #timesOmega4} split, r = 48);
     * r in (64, 96): f = h·2^(96−r) + l gives (l·2^(r−64))·ε − h. Every term is below p
     * (l·2^r ≤ 2^64 − 2^32 for r ≥ 32, m·2^32 ≤ 2^64 − 2^32, m·ε and h·ε ≤ (2^32 − 1)², h &lt; 2^63).
     */
    static long timesTwoTo(long f, int e) {
        long[] x = {f};
        timesTwoTo(x, 1, e);
        return x[0];
    }

    private static int log2Of(long powerOfTwo) {
        long v = 1;
        for (int e = 0; e < 192; e++, v = Goldilocks.mul(v, 2)) {
            if (v == powerOfTwo) {
                return e;
            }
        }
        throw new IllegalStateException("not a power of 2");
    }

    /**
     * a·b mod p for canonical a, b: {@link BranchFree#mul}'s reduction (a·b = hi·2^64 + lo ≡ lo − hh + hl·ε with hi = hh·2^32 + hl)
     * with the carry of t0 + hl·ε taken by one unsigned comparison, which the JIT turns into a conditional move in these
     * loops, instead of BranchFree's six-operation carry: ≈ 1.8 against 2.4 ns a product in a loop over rows (the same value).
     */
    static long product(long a, long b) {
        long lo = a * b;
        long hi = Math.unsignedMultiplyHigh(a, b);
        long hh = hi >>> 32;
        long hl = hi & EPSILON;
        long t0 = lo - hh;
        if (Long.compareUnsigned(lo, hh) < 0) {
            t0 -= EPSILON; // borrowed 2^64 ≡ ε (probability ≈ 2^−32: a predicted branch); lo − hh + 2^64 ≥ 2^63 > ε
        }
        long t1 = (hl << 32) - hl; // hl·ε ≤ (2^32 − 1)²
        long t2 = t0 + t1;
        t2 += Long.compareUnsigned(t2, t1) < 0 ? EPSILON : 0; // carried 2^64 ≡ ε; t2 + ε then stays below 2^64
        return Long.compareUnsigned(t2, Goldilocks.P) >= 0 ? t2 - Goldilocks.P : t2;
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
            quad(a, i, half, inverse, product(a[i + half], tw[half + j]), product(a[i + 2 * half], tw[2 * half + j]),
                    product(a[i + 3 * half], tw[2 * half + 3 * j]));
        }
        for (; j < j1; j++) {
            int i = k + j;
            quad(a, i, half, inverse, product(a[i + half], tw[half + j]), product(a[i + 2 * half], tw[2 * half + j]),
                    BranchFree.neg(product(a[i + 3 * half], tw[3 * j])));
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
