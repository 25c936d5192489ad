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

    /** f·2^e for canonical f and every exponent 0 ≤ e &lt; 192 (2 has order 192) is the field product of f and 2^e mod p. */
    @Property(tries = 3000)
    void timesTwoToIsMultiplicationByAPowerOf2(@ForAll long word, @ForAll @IntRange(min = 0, max = 191) int e) {
        long f = Long.remainderUnsigned(word, Goldilocks.P);
        assertEquals(Goldilocks.mul(f, Goldilocks.pow(2, e)), Butterfly.timesTwoTo(f, e), "f " + Long.toUnsignedString(f) + ", e " + e);
    }

    /** The rows' product is the field product, on random canonical pairs and on the extremes (borrows, carries, t2 ≥ p). */
    @Property(tries = 3000)
    void productIsTheFieldProduct(@ForAll long x, @ForAll long y) {
        long a = Long.remainderUnsigned(x, Goldilocks.P);
        long b = Long.remainderUnsigned(y, Goldilocks.P);
        assertEquals(Goldilocks.mul(a, b), Butterfly.product(a, b));
    }

    @Test
    void productAtTheEdges() {
        long[] edges = {0, 1, 2, 0xFFFF_FFFFL, 1L << 32, (1L << 32) + 1, Goldilocks.P - 1, Goldilocks.P - 2, Goldilocks.P - (1L << 32), -1L >>> 1,
                1L << 63, 0xFFFF_FFFE_FFFF_FFFFL, 0xFFFF_0000_FFFF_0000L, 0x0000_FFFF_FFFF_FFFFL, Goldilocks.rootOfUnity(32)};
        for (long a : edges) {
            for (long b : edges) {
                assertEquals(Goldilocks.mul(a, b), Butterfly.product(a, b), Long.toUnsignedString(a) + " · " + Long.toUnsignedString(b));
            }
        }
    }

    /** The extreme canonical values at every exponent, where a term of the split could reach p. */
    @Test
    void timesTwoToAtTheEdges() {
        long[] edges = {0, 1, 2, 0xFFFF_FFFFL, 1L << 32, Goldilocks.P - 1, Goldilocks.P - 2, Goldilocks.P - (1L << 32), -1L >>> 1, 1L << 63,
                0xFFFF_FFFE_FFFF_FFFFL, 0xFFFF_0000_FFFF_0000L, 0x0000_FFFF_FFFF_FFFFL};
        for (int e = 0; e < 192; e++) {
            for (long f : edges) {
                assertEquals(Goldilocks.mul(f, Goldilocks.pow(2, e)), Butterfly.timesTwoTo(f, e), "f " + Long.toUnsignedString(f) + ", e " + e);
            }
        }
        assertEquals(Goldilocks.rootOfUnity(4), Goldilocks.pow(2, Butterfly.OMEGA16_LOG2));
    }

    /** The radix-16 pass's fifteen twiddles: ω_{16h}^(js) (inverse: ω_{16h}^(−js)) at (s − 1)·2^14 + h + j for every sixteenth h. */
    @Test
    void sixteenthsAreThePowersInOrder() {
        for (boolean inverse : new boolean[] {false, true}) {
            long[] t = Twiddles.sixteenths(inverse);
            for (int h = 1; h <= 1 << Twiddles.SIXTEENTH_LOG; h <<= 1) {
                long root = Goldilocks.rootOfUnity(Integer.numberOfTrailingZeros(16 * h));
                long w = inverse ? Goldilocks.inverse(root) : root;
                for (int j = 0; j < h; j += Math.max(1, h / 64)) {
                    for (int s = 1; s < 16; s++) {
                        assertEquals(Goldilocks.pow(w, (long) j * s), t[((s - 1) << (Twiddles.SIXTEENTH_LOG + 1)) + h + j], "h " + h + ", j " + j + ", s " + s);
                    }
                }
            }
        }
    }

    /**
     * A run [j0, j1) of a radix-16 pass at any sixteenth from 16 to 2^13 (every size a transform hands it), forward or
     * inverse, in a block k ≠ 0: the values of the two radix-4 passes it replaces (scalar kernels, spans 2h … 16h).
     */
    @Property(tries = 200)
    void radix16MatchesTwoRadix4Passes(@ForAll @IntRange(min = 4, max = Twiddles.SIXTEENTH_LOG) int logH, @ForAll @IntRange(min = 0, max = 1 << 13) int from,
                                       @ForAll @IntRange(min = 1, max = 1 << 13) int length, @ForAll boolean inverse, @ForAll long seed) {
        int h = 1 << logH;
        int j0 = from % h;
        int j1 = Math.min(h, j0 + length);
        long[] tw = Twiddles.of(logH + 4, inverse);
        long[] a = NttTest.random(32 * h, seed);
        int k = 16 * h;
        long[] rows = a.clone();
        long[] scalar = a.clone();
        new Butterfly().radix16(rows, inverse, k, h, j0, j1);
        for (int b = k; b < k + 16 * h; b += 4 * h) {
            Butterfly.radix4Scalar(scalar, tw, inverse, b, h, j0, j1);
        }
        for (int j = j0; j < j1; j++) { // the second pass reads the first's outputs j, j + h, j + 2h, j + 3h of each block of 4h
            for (int q = 0; q < 4; q++) {
                Butterfly.radix4Scalar(scalar, tw, inverse, k, 4 * h, j + q * h, j + q * h + 1);
            }
        }
        assertArrayEquals(scalar, rows);
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
