package dev.verinfer.dft;

import dev.verinfer.field.Goldilocks;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The row-wise (vectorised) butterflies against the scalar ones, on every kind of run a transform hands them. */
class ButterflyTest {
    private static final int LOG = 14;

    /** f·2^48 for any word f (canonical or not) is the field product of f mod p and 2^48. */
    @Property(tries = 2000)
    void timesOmega4IsMultiplicationBy2To48(@ForAll long f) {
        long expected = Goldilocks.mul(Long.remainderUnsigned(f, Goldilocks.P), 1L << 48);
        assertEquals(expected, Butterfly.timesOmega4(f));
    }

    /** The radix-4 pass's third twiddles in order: ω_{4h}^(3j) (inverse: ω_{4h}^(−3j)) for every quarter h the table covers. */
    @Test
    void cubesAreTheThirdTwiddlesInOrder() {
        for (boolean inverse : new boolean[] {false, true}) {
            long[] cubes = Twiddles.cubes(LOG, inverse);
            for (int h = 1; 2 * h <= 1 << LOG; h <<= 1) {
                long root = Goldilocks.rootOfUnity(Integer.numberOfTrailingZeros(4 * h));
                long step = Goldilocks.pow(inverse ? Goldilocks.inverse(root) : root, 3);
                long power = 1;
                for (int j = 0; j < h; j++) {
                    assertEquals(power, cubes[h + j], "h " + h + ", j " + j + (inverse ? ", inverse" : ""));
                    power = Goldilocks.mul(power, step);
                }
            }
        }
    }

    /** A run [j0, j1) of a stage pair or a stage, at any half from 1 to 2^12, forward or inverse: same values as the scalar kernels. */
    @Property(tries = 300)
    void rowsMatchScalarButterflies(@ForAll @IntRange(min = 0, max = 12) int logHalf, @ForAll @IntRange(min = 0, max = 1 << 12) int from,
                                    @ForAll @IntRange(min = 0, max = 1 << 12) int length, @ForAll boolean inverse, @ForAll long seed) {
        int half = 1 << logHalf;
        int j0 = from % half;
        int j1 = Math.min(half, j0 + length);
        long[] tw = Twiddles.of(LOG, inverse);
        long[] a = NttTest.random(8 * half, seed);
        int k = 4 * half; // the second block: k ≠ 0
        long[] rows = a.clone();
        long[] scalar = a.clone();
        Butterfly butterfly = new Butterfly();
        butterfly.radix4(rows, tw, inverse, k, half, j0, j1);
        Butterfly.radix4Scalar(scalar, tw, inverse, k, half, j0, j1);
        assertArrayEquals(scalar, rows);
        butterfly.run(rows, tw, k, 2 * half, j0, j1);
        Butterfly.runScalar(scalar, tw, k, 2 * half, j0, j1);
        assertArrayEquals(scalar, rows);
    }
}
