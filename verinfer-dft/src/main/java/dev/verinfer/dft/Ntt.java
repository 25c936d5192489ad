package dev.verinfer.dft;

import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;

import java.util.Arrays;

/**
 * Radix-2 number-theoretic transforms over Goldilocks, in place on {@code long[]} of power-of-two
 * length ≤ 2^32, natural order in and out.
 *
 * <p>{@link #forward} maps coefficients c to evaluations a[i] = Σ_k c[k]·ω^(ik) with ω the primitive
 * n-th root {@link Goldilocks#rootOfUnity}(log n); {@link #inverse} undoes it. The coset variants
 * evaluate on shift·⟨ω⟩ instead. Decimation in time after a bit-reversal permutation; the first
 * stages run block by block so each block stays in L1, and large transforms and batches spread over
 * the {@link Parallelism} workers.
 */
public final class Ntt {
    /** Stages whose butterflies stay inside blocks of this many elements (16 KiB; 32 KiB for an even stage count) run block-wise. */
    private static final int BLOCK = 1 << 11;
    /**
     * Wide stages whose butterflies stay inside blocks of this many elements (1 MiB, within a core's L2) run block by
     * block on transforms larger than it: a block's passes then stream it from L2 instead of the whole array from memory.
     */
    private static final int L2_BLOCK = 1 << 17;
    /** Below this many butterflies a stage is not worth splitting across threads. */
    private static final int MIN_PARALLEL = 1 << 13;

    private Ntt() {}

    /** Coefficients → evaluations on ⟨ω⟩. */
    public static void forward(long[] a) {
        transform(a, false);
    }

    /** Evaluations on ⟨ω⟩ → coefficients. */
    public static void inverse(long[] a) {
        transform(a, true);
        scale(a, Goldilocks.inverse(a.length));
    }

    /** Coefficients → evaluations a[i] = f(shift·ω^i) on the coset shift·⟨ω⟩ (shift ≠ 0). */
    public static void cosetForward(long[] a, long shift) {
        multiplyByPowers(a, nonZero(shift));
        forward(a);
    }

    /** Evaluations on the coset shift·⟨ω⟩ → coefficients. */
    public static void cosetInverse(long[] a, long shift) {
        inverse(a);
        multiplyByPowers(a, Goldilocks.inverse(nonZero(shift)));
    }

    /** {@link #forward} on every row; rows may differ in length. Parallel over rows. */
    public static void forwardBatch(long[][] rows) {
        Parallelism.forEachChunk(rows.length, 1, (from, to) -> {
            for (int r = from; r < to; r++) {
                forward(rows[r]);
            }
        });
    }

    /** {@link #inverse} on every row; rows may differ in length. Parallel over rows. */
    public static void inverseBatch(long[][] rows) {
        Parallelism.forEachChunk(rows.length, 1, (from, to) -> {
            for (int r = from; r < to; r++) {
                inverse(rows[r]);
            }
        });
    }

    /**
     * The evaluations on ⟨ω⟩, |⟨ω⟩| = 2^logSize, of the polynomial with these coefficients (a power-of-two
     * count ≤ 2^logSize), as {@link #forward} of the zero-extended coefficients, in a new array. After the
     * bit reversal the g = 2^logSize / count entries of each block of g hold one coefficient and zeros,
     * and the first log g stages turn (u, 0) into (u, u): the blocks are filled with their coefficient
     * directly and only the last log(count) stages run. Each cache block is filled just before its block-wise
     * stages, so the fill's writes are still in cache when the stages read them.
     */
    public static long[] forwardPadded(long[] coefficients, int logSize) {
        int c = coefficients.length;
        if (Integer.bitCount(c) != 1 || logSize < 0 || logSize > 30 || c > 1 << logSize) {
            throw new IllegalArgumentException(c + " coefficients do not fit a power-of-two NTT of length 2^" + logSize);
        }
        long[] a = new long[1 << logSize];
        int logC = Integer.numberOfTrailingZeros(c);
        int gap = a.length / c;
        int shift = 32 - logC;
        Parallelism.RangeBody fill = (from, to) -> {
            for (int r = from / gap; r < to / gap; r++) {
                long v = coefficients[logC == 0 ? 0 : Integer.reverse(r) >>> shift];
                Arrays.fill(a, r * gap, (r + 1) * gap, v);
            }
        };
        stages(a, Twiddles.of(logSize, false), false, gap, fill);
        return a;
    }

    /**
     * The evaluations on ⟨ω⟩, |⟨ω⟩| = 2^logSize, of Σ_k values[k]·X^(exponents[k]) (exponents in [0, 2^logSize), repeats
     * add up): {@link #forward} of that sparse coefficient array, in a new array. After the bit reversal and s stages,
     * block b of 2^s entries holds the size-2^s transform of the coefficients c[β + 2^(logSize−s)·i] (β the (logSize − s)-bit
     * reversal of b), a[b·2^s + t] = Σ_i c[β + 2^(logSize−s)·i]·ω_{2^s}^(i·t): each term adds its 2^s values there
     * directly (q·2^s products, s the largest with q·2^s ≤ 2^logSize) and only the other stages run.
     */
    public static long[] forwardSparse(int[] exponents, long[] values, int logSize) {
        if (logSize < 0 || logSize > 30 || exponents.length != values.length) {
            throw new IllegalArgumentException(exponents.length + " exponents, " + values.length + " values, 2^" + logSize + " points");
        }
        int n = 1 << logSize;
        int s = 0;
        while (s < logSize && (long) exponents.length << (s + 1) <= n) {
            s++;
        }
        int first = 1 << s;
        int high = logSize - s;
        long[] a = new long[n];
        long root = Goldilocks.rootOfUnity(s);
        for (int k = 0; k < exponents.length; k++) {
            int j = exponents[k];
            if (j < 0 || j >= n) {
                throw new IllegalArgumentException("exponent " + j + " outside [0, 2^" + logSize + ")");
            }
            int beta = j & ((1 << high) - 1);
            int at = (high == 0 ? 0 : Integer.reverse(beta) >>> (32 - high)) * first;
            long step = Goldilocks.pow(root, j >>> high);
            long v = values[k];
            for (int t = 0; t < first; t++) {
                a[at + t] = BranchFree.add(a[at + t], v);
                v = BranchFree.mul(v, step);
            }
        }
        if (first < n) {
            stages(a, Twiddles.of(logSize, false), false, first, null);
        }
        return a;
    }

    private static void transform(long[] a, boolean inverse) {
        int n = a.length;
        if (Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("NTT length must be a power of two: " + n);
        }
        if (n == 1) {
            return;
        }
        int log = Integer.numberOfTrailingZeros(n);
        long[] tw = Twiddles.of(log, inverse);
        bitReverse(a, log);
        stages(a, tw, inverse, 1, null);
    }

    /**
     * The stages of butterfly span 2·first, 4·first, …, n on a bit-reversed array ({@code tw} the inverse tables if
     * {@code inverse}), after {@code prepare} (if not null) has written each range a[from, to) (multiples of first).
     */
    private static void stages(long[] a, long[] tw, boolean inverse, int first, Parallelism.RangeBody prepare) {
        int n = a.length;
        // An odd count of block-wise stages would leave a radix-2 stage in every block: twice the block (still in L1)
        // pairs them up, and the wide stages get the parity of the whole transform (one fewer pass).
        boolean odd = first < Math.min(n, BLOCK) && BLOCK < n && Integer.numberOfTrailingZeros(BLOCK / first) % 2 == 1;
        int block = Math.min(n, odd ? 2 * BLOCK : BLOCK);
        if (first < block) {
            int blocks = n / block;
            // With a fill, G = min(8, blocks) blocks a stride blocks/G apart run in a row: their slots differ in the top
            // log G bits, so the bit-reversed gather reads the same cache lines for them (one line in G used otherwise).
            int group = prepare == null ? 1 : Math.min(8, blocks);
            int stride = blocks / group;
            Parallelism.forEachChunk(blocks, Math.max(1, MIN_PARALLEL / block), (from, to) -> {
                Butterfly butterfly = new Butterfly();
                for (int i = from; i < to; i++) {
                    int b = i / group + i % group * stride;
                    if (prepare != null) {
                        prepare.run(b * block, (b + 1) * block);
                    }
                    blockStages(butterfly, a, tw, inverse, b * block, block, first);
                }
            });
        } else if (prepare != null) {
            Parallelism.forEachChunk(n / first, Math.max(1, MIN_PARALLEL / first), (from, to) -> prepare.run(from * first, to * first));
        }
        int half = Math.max(first, block);
        if (n > L2_BLOCK && 4 * half <= L2_BLOCK) {
            int from = half;
            int len = half; // half·4^m: its stages from `from` on are whole radix-16 and radix-4 passes
            while (4 * len <= L2_BLOCK) {
                len <<= 2;
            }
            int span = len;
            Parallelism.forEachChunk(n / span, 1, (lo, hi) -> {
                Butterfly butterfly = new Butterfly();
                for (int b = lo; b < hi; b++) {
                    blockStages(butterfly, a, tw, inverse, b * span, span, from);
                }
            });
            half = span;
        }
        for (; 2 * half < n; half <<= 2) {
            wideStagePair(a, tw, inverse, half);
        }
        if (half < n) {
            wideStage(a, tw, half);
        }
    }

    /**
     * All stages with butterfly span in [2·first, len] on a[start, start + len): four at a time (radix 16) where the
     * sixteenths are long enough for row-wise passes, else two at a time (radix 4), an odd last one alone.
     */
    private static void blockStages(Butterfly butterfly, long[] a, long[] tw, boolean inverse, int start, int len, int first) {
        int half = first;
        while (4 * half <= len) {
            if (half >= Butterfly.MIN_SIXTEENTH && 16 * half <= len && half <= 1 << Twiddles.SIXTEENTH_LOG) {
                for (int k = start; k < start + len; k += 16 * half) {
                    butterfly.radix16(a, inverse, k, half, 0, half);
                }
                half <<= 4;
            } else {
                for (int k = start; k < start + len; k += 4 * half) {
                    butterfly.radix4(a, tw, inverse, k, half, 0, half);
                }
                half <<= 2;
            }
        }
        if (half < len) {
            for (int k = start; k < start + len; k += 2 * half) {
                butterfly.run(a, tw, k, half, 0, half);
            }
        }
    }

    /** One stage of span 2·half over the whole array, split by butterfly index across threads. */
    private static void wideStage(long[] a, long[] tw, int half) {
        acrossGroups(a.length / 2, half, MIN_PARALLEL, (butterfly, group, j0, j1) -> butterfly.run(a, tw, 2 * group * half, half, j0, j1));
    }

    /**
     * The stages of span 2·half and 4·half in one pass over the array: each quadruple
     * (k + j, k + j + h, k + j + 2h, k + j + 3h), k a multiple of 4h, gets both stages while it is in registers
     * ({@link Butterfly#radix4}: the values of two {@link #wideStage} passes, half the memory traffic).
     */
    private static void wideStagePair(long[] a, long[] tw, boolean inverse, int half) {
        acrossGroups(a.length / 4, half, MIN_PARALLEL / 2,
                (butterfly, group, j0, j1) -> butterfly.radix4(a, tw, inverse, 4 * group * half, half, j0, j1));
    }

    /** A run of butterfly indices [j0, j1) inside one group of {@code half} indices, on the chunk's own {@link Butterfly}. */
    @FunctionalInterface
    private interface GroupRun {
        void run(Butterfly butterfly, int group, int j0, int j1);
    }

    /** Splits [0, count) across threads and hands each chunk to {@code body} cut at group boundaries (multiples of half). */
    private static void acrossGroups(int count, int half, int minChunk, GroupRun body) {
        Parallelism.forEachChunk(count, minChunk, (from, to) -> {
            Butterfly butterfly = new Butterfly();
            int i = from;
            while (i < to) {
                int group = i / half;
                int j = i - group * half;
                int end = Math.min(to, (group + 1) * half);
                body.run(butterfly, group, j, j + end - i);
                i = end;
            }
        });
    }

    private static void bitReverse(long[] a, int log) {
        int shift = 32 - log;
        for (int i = 0; i < a.length; i++) {
            int r = Integer.reverse(i) >>> shift;
            if (i < r) {
                long x = a[i];
                a[i] = a[r];
                a[r] = x;
            }
        }
    }

    private static void scale(long[] a, long c) {
        for (int i = 0; i < a.length; i++) {
            a[i] = Butterfly.product(a[i], c);
        }
    }

    private static void multiplyByPowers(long[] a, long c) {
        long power = 1;
        for (int i = 0; i < a.length; i++) {
            a[i] = Butterfly.product(a[i], power);
            power = Butterfly.product(power, c);
        }
    }

    private static long nonZero(long shift) {
        if (Goldilocks.canonical(shift) == 0) {
            throw new IllegalArgumentException("coset shift must be non-zero");
        }
        return shift;
    }
}
