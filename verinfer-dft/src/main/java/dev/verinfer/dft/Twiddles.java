package dev.verinfer.dft;

import dev.verinfer.field.Goldilocks;

/**
 * Powers of roots of unity for every stage of a radix-2 transform, shared by all sizes up to
 * 2^{@link #log}: {@code forward[h + j] = ω_{2h}^j} and {@code inverse[h + j] = ω_{2h}^{-j}} for
 * h = 1, 2, 4, …, 2^(log−1) and 0 ≤ j &lt; h. The roots {@link Goldilocks#rootOfUnity} returns are
 * squares of one another, so one table serves every smaller size; it grows on demand and is immutable.
 * Tables up to 2^{@link #KEPT_LOG} stay; a larger one (16 MB and up, 1 GB at 2^26) is held softly, so the collector may
 * clear it under memory pressure rather than keep it for the process's life, and the next transform builds it again
 * (about 0.2 s at 2^26).
 */
final class Twiddles {
    /** The largest table kept for the process's life: 2 × 2^20 longs, 16 MB. */
    static final int KEPT_LOG = 20;
    private static volatile Twiddles kept = build(1);
    private static volatile java.lang.ref.SoftReference<Twiddles> large = new java.lang.ref.SoftReference<>(null);

    final int log;
    final long[] forward;
    final long[] inverse;

    private Twiddles(int log, long[] forward, long[] inverse) {
        this.log = log;
        this.forward = forward;
        this.inverse = inverse;
    }

    /** A table covering transforms of length up to at least 2^log (the caller holds it for its transform). */
    static Twiddles atLeast(int log) {
        Twiddles t = log <= KEPT_LOG ? kept : large.get();
        if (t != null && t.log >= log) {
            return t;
        }
        synchronized (Twiddles.class) {
            if (log <= KEPT_LOG) {
                if (kept.log < log) {
                    kept = build(log);
                }
                return kept;
            }
            t = large.get();
            if (t == null || t.log < log) {
                t = build(log);
                large = new java.lang.ref.SoftReference<>(t);
            }
            return t;
        }
    }

    private static Twiddles build(int log) {
        int n = 1 << log;
        long[] fwd = new long[n];
        long[] inv = new long[n];
        fill(fwd, log, Goldilocks.rootOfUnity(log));
        fill(inv, log, Goldilocks.inverse(Goldilocks.rootOfUnity(log)));
        return new Twiddles(log, fwd, inv);
    }

    /** Top stage by repeated multiplication; each lower stage takes the even powers of the one above. */
    private static void fill(long[] table, int log, long root) {
        int top = 1 << (log - 1);
        long w = 1;
        for (int j = 0; j < top; j++) {
            table[top + j] = w;
            w = Goldilocks.mul(w, root);
        }
        for (int h = top >> 1; h >= 1; h >>= 1) {
            for (int j = 0; j < h; j++) {
                table[h + j] = table[2 * h + 2 * j];
            }
        }
    }
}
