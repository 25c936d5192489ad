package dev.verinfer.dft;

import dev.verinfer.field.Goldilocks;

/**
 * Powers of roots of unity for every stage of a radix-2 transform in one direction, shared by all sizes up to the
 * table's: {@code forward[h + j] = ω_{2h}^j} and {@code inverse[h + j] = ω_{2h}^{-j}} for h = 1, 2, 4, …, 2^(log−1) and
 * 0 ≤ j &lt; h. The roots {@link Goldilocks#rootOfUnity} returns are squares of one another, so one table serves every
 * smaller size; it grows on demand and is immutable. Tables up to 2^{@link #KEPT_LOG} stay; a larger one (16 MB and up,
 * 512 MB at 2^26) is held softly, so the collector may clear it under memory pressure rather than keep it for the
 * process's life, and the next transform builds it again (about 0.1 s at 2^26). The two directions are held apart: a
 * hiding commitment's codeword (2^26 points for a 23-variable f′ at R = 3) needs the forward table of its size only,
 * the inverse transforms of tables only the size of the tables (2^23), where one table of both had taken 1 GB.
 */
final class Twiddles {
    /** The largest table kept for the process's life: 2^20 longs, 8 MB per direction. */
    static final int KEPT_LOG = 20;
    private static final Twiddles FORWARD = new Twiddles(false, false);
    private static final Twiddles INVERSE = new Twiddles(true, false);
    private static final Twiddles FORWARD_CUBES = new Twiddles(false, true);
    private static final Twiddles INVERSE_CUBES = new Twiddles(true, true);

    private final boolean inverse;
    /** Whether the table holds the cubes ({@link #cubes}) rather than the powers ({@link #of}). */
    private final boolean cubes;
    private volatile long[] kept;
    private volatile java.lang.ref.SoftReference<long[]> large = new java.lang.ref.SoftReference<>(null);

    private Twiddles(boolean inverse, boolean cubes) {
        this.inverse = inverse;
        this.cubes = cubes;
        this.kept = build(1);
    }

    /** A table of the inverse ({@code inverse}) or forward powers covering transforms of length up to at least 2^log (the caller holds it for its transform). */
    static long[] of(int log, boolean inverse) {
        return (inverse ? INVERSE : FORWARD).atLeast(log);
    }

    /**
     * A table t of length at least 2^log with t[h + j] = ω_{4h}^(3j) (the inverse's: ω_{4h}^(−3j)) for h = 1, 2, …,
     * 2^(log − 1) and 0 ≤ j &lt; h: the third twiddle of a radix-4 pass on quarters of h ({@link Butterfly#radix4}) read in
     * order, where {@link #of}'s table holds it every third entry (ω_{4h}^(3j) = tw[2h + 3j], or −tw[3j] once 3j ≥ 2h, since
     * ω_{4h}^(2h) = −1). Half the length of the powers a transform of 4h reads, kept and held softly as they are.
     */
    static long[] cubes(int log, boolean inverse) {
        return (inverse ? INVERSE_CUBES : FORWARD_CUBES).atLeast(log);
    }

    /** The largest sixteenth h {@link #sixteenths} covers: 2^13, a radix-16 pass on blocks of 2^17 (the L2 block). */
    static final int SIXTEENTH_LOG = 13;

    /**
     * A table t with t[(s − 1)·2^14 + h + j] = ω_{16h}^(js) (the inverse's: ω_{16h}^(−js)) for 1 ≤ s ≤ 15, h = 1, 2, …,
     * 2^{@link #SIXTEENTH_LOG} and 0 ≤ j &lt; h: the fifteen twiddles of a radix-16 pass on sixteenths of h
     * ({@link Butterfly#radix16}), each read in order. 15·2^14 entries (1.9 MB) a direction, both built on first use and kept.
     */
    static long[] sixteenths(boolean inverse) {
        return inverse ? Sixteenths.INVERSE : Sixteenths.FORWARD;
    }

    /** The {@link #sixteenths} tables, built when a radix-16 pass first needs them. */
    private static final class Sixteenths {
        static final long[] FORWARD = build(false);
        static final long[] INVERSE = build(true);

        private static long[] build(boolean inverse) {
            long[] table = new long[15 << (SIXTEENTH_LOG + 1)];
            for (int log = 0; log <= SIXTEENTH_LOG; log++) {
                int h = 1 << log;
                long root = Goldilocks.rootOfUnity(log + 4);
                long step = inverse ? Goldilocks.inverse(root) : root;
                long w = 1;
                for (int j = 0; j < h; j++) {
                    long power = 1;
                    for (int s = 1; s < 16; s++) {
                        power = Goldilocks.mul(power, w);
                        table[((s - 1) << (SIXTEENTH_LOG + 1)) + h + j] = power;
                    }
                    w = Goldilocks.mul(w, step);
                }
            }
            return table;
        }
    }

    private long[] atLeast(int log) {
        long[] t = log <= KEPT_LOG ? kept : large.get();
        if (t != null && t.length >= 1L << log) {
            return t;
        }
        synchronized (this) {
            if (log <= KEPT_LOG) {
                if (kept.length < 1 << log) {
                    kept = build(log);
                }
                return kept;
            }
            t = large.get();
            if (t == null || t.length < 1L << log) {
                t = build(log);
                large = new java.lang.ref.SoftReference<>(t);
            }
            return t;
        }
    }

    private long[] build(int log) {
        long[] table = new long[1 << log];
        if (cubes) {
            long[] tw = of(log + 1, inverse);
            for (int h = 1; h < table.length; h <<= 1) {
                for (int j = 0; j < h; j++) {
                    table[h + j] = 3 * j < 2 * h ? tw[2 * h + 3 * j] : Goldilocks.neg(tw[3 * j]);
                }
            }
            return table;
        }
        long root = Goldilocks.rootOfUnity(log);
        fill(table, log, inverse ? Goldilocks.inverse(root) : root);
        return table;
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
