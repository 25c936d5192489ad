package dev.verinfer.dft;

import dev.verinfer.field.Goldilocks;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NttTest {
    static long[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = Goldilocks.random(rng);
        }
        return a;
    }

    /** Horner evaluation of the polynomial with coefficients c at x. */
    static long evaluate(long[] c, long x) {
        long acc = 0;
        for (int k = c.length - 1; k >= 0; k--) {
            acc = Goldilocks.add(Goldilocks.mul(acc, x), c[k]);
        }
        return acc;
    }

    /** The O(n²) definition: out[i] = Σ_k c[k]·(shift·ω^i)^k. */
    static long[] naive(long[] c, long shift) {
        int n = c.length;
        long omega = Goldilocks.rootOfUnity(Integer.numberOfTrailingZeros(n));
        long[] out = new long[n];
        long x = shift;
        for (int i = 0; i < n; i++) {
            out[i] = evaluate(c, x);
            x = Goldilocks.mul(x, omega);
        }
        return out;
    }

    @Property(tries = 200)
    void forwardMatchesNaiveDft(@ForAll @IntRange(min = 0, max = 8) int log, @ForAll long seed) {
        long[] c = random(1 << log, seed);
        long[] a = c.clone();
        Ntt.forward(a);
        assertArrayEquals(naive(c, 1), a);
    }

    /** The textbook radix-2 transform (bit reversal, then one stage per span, twiddles by repeated multiplication). */
    static long[] radix2(long[] c, boolean inverse) {
        int n = c.length;
        int log = Integer.numberOfTrailingZeros(n);
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[log == 0 ? 0 : Integer.reverse(i) >>> (32 - log)] = c[i];
        }
        for (int s = 1; s <= log; s++) {
            long w = Goldilocks.rootOfUnity(s);
            long step = inverse ? Goldilocks.inverse(w) : w;
            int half = 1 << (s - 1);
            for (int k = 0; k < n; k += 2 * half) {
                long tw = 1;
                for (int j = 0; j < half; j++) {
                    long u = a[k + j];
                    long v = Goldilocks.mul(a[k + j + half], tw);
                    a[k + j] = Goldilocks.add(u, v);
                    a[k + j + half] = Goldilocks.sub(u, v);
                    tw = Goldilocks.mul(tw, step);
                }
            }
        }
        return a;
    }

    /**
     * The radix-4 passes (block-wise and wide, with an odd last stage or not) give exactly the radix-2
     * transform, forward and inverse (before the inverse's 1/n scaling), up to 2^16 entries.
     */
    @Property(tries = 40)
    void radix4PassesMatchRadix2(@ForAll @IntRange(min = 0, max = 16) int log, @ForAll long seed) {
        long[] c = random(1 << log, seed);
        long[] a = c.clone();
        Ntt.forward(a);
        assertArrayEquals(radix2(c, false), a);
        long[] b = c.clone();
        Ntt.inverse(b);
        long[] unscaled = radix2(c, true);
        long invN = Goldilocks.inverse(1L << log);
        for (int i = 0; i < unscaled.length; i++) {
            unscaled[i] = Goldilocks.mul(unscaled[i], invN);
        }
        assertArrayEquals(unscaled, b);
    }

    /**
     * The padded transform at every gap (2^log points from 2^logC coefficients, so its block passes start at sixteenths,
     * quarters or halves of every size) and the inverse of its output: exactly the radix-2 transforms, up to 2^16 points.
     */
    @Property(tries = 60)
    void paddedAtEveryGapMatchesRadix2(@ForAll @IntRange(min = 0, max = 16) int log, @ForAll @IntRange(min = 0, max = 16) int logC, @ForAll long seed) {
        int c = 1 << Math.min(log, logC);
        long[] coefficients = random(c, seed);
        long[] padded = Ntt.forwardPadded(coefficients, log);
        assertArrayEquals(radix2(java.util.Arrays.copyOf(coefficients, 1 << log), false), padded);
        long[] back = padded.clone();
        Ntt.inverse(back);
        assertArrayEquals(java.util.Arrays.copyOf(coefficients, 1 << log), back);
    }

    @Property(tries = 200)
    void inverseUndoesForward(@ForAll @IntRange(min = 0, max = 14) int log, @ForAll long seed) {
        long[] c = random(1 << log, seed);
        long[] a = c.clone();
        Ntt.forward(a);
        Ntt.inverse(a);
        assertArrayEquals(c, a);
        Ntt.inverse(a);
        Ntt.forward(a);
        assertArrayEquals(c, a);
    }

    @Property(tries = 200)
    void cosetForwardMatchesShiftedEvaluation(@ForAll @IntRange(min = 0, max = 8) int log, @ForAll long seed) {
        long[] c = random(1 << log, seed);
        long shift = Goldilocks.random(new SplittableRandom(seed ^ 0x5eed)) | 1; // odd, hence non-zero
        long[] a = c.clone();
        Ntt.cosetForward(a, shift);
        assertArrayEquals(naive(c, shift), a);
        Ntt.cosetInverse(a, shift);
        assertArrayEquals(c, a);
    }

    @Test
    void cosetUsesTheMultiplicativeGenerator() {
        long[] c = random(64, 7);
        long[] a = c.clone();
        Ntt.cosetForward(a, Goldilocks.MULTIPLICATIVE_GENERATOR);
        assertArrayEquals(naive(c, Goldilocks.MULTIPLICATIVE_GENERATOR), a);
    }

    /** 2^17 and 2^18 exercise the block-wise stages, the wide stages and their parallel split. */
    /** The zero-extended transform equals forward() of the padded array, across block-wise and wide stages. */
    @Property(tries = 60)
    void forwardPaddedMatchesForwardOfZeroExtension(@ForAll @IntRange(min = 0, max = 14) int log, @ForAll @IntRange(min = 0, max = 4) int extra,
                                                    @ForAll long seed) {
        long[] c = random(1 << log, seed);
        long[] padded = new long[1 << (log + extra)];
        System.arraycopy(c, 0, padded, 0, c.length);
        Ntt.forward(padded);
        assertArrayEquals(padded, Ntt.forwardPadded(c, log + extra));
    }

    /** The sparse transform equals forward() of the dense coefficients, repeated exponents added, any number of terms. */
    @Property(tries = 60)
    void forwardSparseMatchesForwardOfTheDenseArray(@ForAll @IntRange(min = 0, max = 16) int log, @ForAll @IntRange(min = 0, max = 300) int terms,
                                                    @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] exponents = new int[terms];
        long[] values = new long[terms];
        long[] dense = new long[1 << log];
        for (int k = 0; k < terms; k++) {
            exponents[k] = k % 6 == 5 ? exponents[k - 1] : rng.nextInt(1 << log);
            values[k] = Goldilocks.random(rng);
            dense[exponents[k]] = Goldilocks.add(dense[exponents[k]], values[k]);
        }
        Ntt.forward(dense);
        assertArrayEquals(dense, Ntt.forwardSparse(exponents, values, log));
    }

    /**
     * Past 2^17 entries the wide stages run first in L2-sized blocks, then across the array: forward and inverse are
     * still exactly the radix-2 transform (the inverse before its 1/n scaling), with an odd last stage or not.
     */
    @ParameterizedTest
    @ValueSource(ints = {18, 19, 20})
    void blockedWideStagesMatchRadix2(int log) {
        long[] c = random(1 << log, log);
        long[] a = c.clone();
        Ntt.forward(a);
        assertArrayEquals(radix2(c, false), a);
        long[] padded = Ntt.forwardPadded(java.util.Arrays.copyOf(c, 1 << (log - 3)), log);
        assertArrayEquals(radix2(java.util.Arrays.copyOf(java.util.Arrays.copyOf(c, 1 << (log - 3)), 1 << log), false), padded);
        long[] b = c.clone();
        Ntt.inverse(b);
        Ntt.forward(b);
        assertArrayEquals(c, b);
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 18})
    void largeTransformMatchesHornerAtSampledPoints(int log) {
        long[] c = random(1 << log, 3);
        long[] a = c.clone();
        Ntt.forward(a);
        long omega = Goldilocks.rootOfUnity(log);
        SplittableRandom rng = new SplittableRandom(4);
        for (int s = 0; s < 24; s++) {
            int i = s < 4 ? new int[] {0, 1, (1 << log) - 1, 1 << (log - 1)}[s] : rng.nextInt(1 << log);
            assertEquals(evaluate(c, Goldilocks.pow(omega, i)), a[i], "evaluation " + i);
        }
        Ntt.inverse(a);
        assertArrayEquals(c, a);
    }

    @Test
    void batchMatchesSingleTransforms() {
        long[][] rows = new long[9][];
        long[][] expected = new long[9][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = random(1 << (r + 2), r);
            expected[r] = rows[r].clone();
            Ntt.forward(expected[r]);
        }
        long[][] original = new long[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            original[r] = rows[r].clone();
        }
        Ntt.forwardBatch(rows);
        assertArrayEquals(expected, rows);
        Ntt.inverseBatch(rows);
        assertArrayEquals(original, rows);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> Ntt.forward(new long[3]));
        assertThrows(IllegalArgumentException.class, () -> Ntt.inverse(new long[0]));
        assertThrows(IllegalArgumentException.class, () -> Ntt.cosetForward(new long[4], 0));
        assertThrows(IllegalArgumentException.class, () -> Ntt.forwardPadded(new long[8], 2));
        assertThrows(IllegalArgumentException.class, () -> Ntt.forwardPadded(new long[3], 4));
    }
}
