package dev.verinfer.dft;

import dev.verinfer.field.Goldilocks;

/**
 * Powers of roots of unity for every stage of a radix-2 transform, shared by all sizes up to
 * 2^{@link #log}: {@code forward[h + j] = ω_{2h}^j} and {@code inverse[h + j] = ω_{2h}^{-j}} for
 * h = 1, 2, 4, …, 2^(log−1) and 0 ≤ j &lt; h. The roots {@link Goldilocks#rootOfUnity} returns are
 * squares of one another, so one table serves every smaller size; it grows on demand and is immutable.
 */
final class Twiddles {
    private static volatile Twiddles cached = build(1);

    final int log;
    final long[] forward;
    final long[] inverse;

    private Twiddles(int log, long[] forward, long[] inverse) {
        this.log = log;
        this.forward = forward;
        this.inverse = inverse;
    }

    /** A table covering transforms of length up to at least 2^log. */
    static Twiddles atLeast(int log) {
        Twiddles t = cached;
        if (t.log >= log) {
            return t;
        }
        synchronized (Twiddles.class) {
            if (cached.log < log) {
                cached = build(log);
            }
            return cached;
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
