package dev.verinfer.field;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BranchFreeTest {
    static final long[] EDGES = {0, 1, 2, 7, Goldilocks.P - 1, Goldilocks.P - 2, 0xFFFF_FFFFL, 0x1_0000_0000L, 0x1_0000_0001L,
            Long.MIN_VALUE, Long.MAX_VALUE, Goldilocks.P - 0xFFFF_FFFFL, Goldilocks.HALF, Goldilocks.HALF + 1};

    @Provide
    Arbitrary<Long> element() {
        return Arbitraries.oneOf(Arbitraries.longs().filter(Goldilocks::isCanonical), Arbitraries.of(0L, 1L, Goldilocks.P - 1, 1L << 32, (1L << 32) - 1));
    }

    @Property(tries = 5000)
    void agreesWithGoldilocks(@ForAll("element") long a, @ForAll("element") long b, @ForAll long hi, @ForAll long lo) {
        assertEquals(Goldilocks.add(a, b), BranchFree.add(a, b));
        assertEquals(Goldilocks.sub(a, b), BranchFree.sub(a, b));
        assertEquals(Goldilocks.mul(a, b), BranchFree.mul(a, b));
        assertEquals(Goldilocks.neg(a), BranchFree.neg(a));
        assertEquals(Goldilocks.mul(a, 7), BranchFree.mulBy7(a));
        assertEquals(Goldilocks.reduce128(hi, lo), BranchFree.reduce128(hi, lo));
    }

    /** lo + 2^64·hiLo + 2^96·hiHi mod p, every word read unsigned, against BigInteger. */
    @Property(tries = 3000)
    void reduceSplitIsTheResidueOfTheSplitSum(@ForAll long lo, @ForAll long hiLo, @ForAll long hiHi) {
        java.math.BigInteger two64 = java.math.BigInteger.ONE.shiftLeft(64);
        java.math.BigInteger v = new java.math.BigInteger(Long.toUnsignedString(lo))
                .add(new java.math.BigInteger(Long.toUnsignedString(hiLo)).multiply(two64))
                .add(new java.math.BigInteger(Long.toUnsignedString(hiHi)).multiply(two64.shiftLeft(32)));
        long expected = v.mod(new java.math.BigInteger(Long.toUnsignedString(Goldilocks.P))).longValue();
        assertEquals(expected, BranchFree.reduceSplit(lo, hiLo, hiHi));
    }

    /** a·b + c and a·b + c·d + e reduced once agree with BigInteger for any 64-bit words, the extremes included. */
    @Property(tries = 5000)
    void fusedProductsAreTheResidueOfTheSum(@ForAll("word") long a, @ForAll("word") long b, @ForAll("word") long c,
            @ForAll("word") long d, @ForAll("word") long e) {
        java.math.BigInteger p = new java.math.BigInteger(Long.toUnsignedString(Goldilocks.P));
        java.math.BigInteger ab = unsigned(a).multiply(unsigned(b));
        assertEquals(ab.add(unsigned(c)).mod(p).longValue(), BranchFree.mulAdd(a, b, c));
        assertEquals(ab.add(unsigned(c).multiply(unsigned(d))).add(unsigned(e)).mod(p).longValue(), BranchFree.mulMulAdd(a, b, c, d, e));
    }

    @Provide
    Arbitrary<Long> word() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(java.util.Arrays.stream(EDGES).boxed().toList()), Arbitraries.of(-1L, -2L, Long.MIN_VALUE + 1));
    }

    private static java.math.BigInteger unsigned(long x) {
        return new java.math.BigInteger(Long.toUnsignedString(x));
    }

    @Test
    void agreesOnEdgeCases() {
        for (long a : EDGES) {
            for (long b : EDGES) {
                assertEquals(Goldilocks.add(a, b), BranchFree.add(a, b), a + " + " + b);
                assertEquals(Goldilocks.sub(a, b), BranchFree.sub(a, b), a + " - " + b);
                assertEquals(Goldilocks.mul(a, b), BranchFree.mul(a, b), a + " * " + b);
                assertEquals(Goldilocks.reduce128(a, b), BranchFree.reduce128(a, b));
            }
        }
        for (long hi : new long[] {-1L, Long.MIN_VALUE, 0xFFFF_FFFFL, -0x1_0000_0000L}) {
            for (long lo : new long[] {0, -1L, 1, 0xFFFF_FFFFL, Goldilocks.P}) {
                assertEquals(Goldilocks.reduce128(hi, lo), BranchFree.reduce128(hi, lo));
            }
        }
    }

    /** fromSigned agrees with Goldilocks.fromSigned on every long, the extremes included. */
    @Property(tries = 3000)
    void fromSignedAgreesWithGoldilocks(@ForAll long x) {
        assertEquals(Goldilocks.fromSigned(x), BranchFree.fromSigned(x));
        for (long e : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1}) {
            assertEquals(Goldilocks.fromSigned(e), BranchFree.fromSigned(e), Long.toString(e));
        }
    }

    /** Karatsuba's three-product sums of extension pairs (triples c0, c1, c0 + c1), row by row into (d0, d1) at a stride, equal the schoolbook sums of Ext2 products, edges included. */
    @Property(tries = 400)
    void extDotsAreTheSumsOfExtensionProducts(@ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 70) int len,
                                              @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 4) int rows, @ForAll long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        int xOff = rng.nextInt(4);
        int at = rng.nextInt(3);
        int stride = 1 + rng.nextInt(3);
        long[] x = new long[xOff + 3 * len];
        long[] y = new long[3 * len * rows];
        for (long[] t : new long[][] {x, y}) {
            for (int i = t == x ? xOff : 0; i < t.length; i += 3) {
                t[i] = rng.nextInt(4) == 0 ? Goldilocks.reduce(EDGES[rng.nextInt(EDGES.length)]) : Goldilocks.random(rng);
                t[i + 1] = rng.nextInt(4) == 0 ? Goldilocks.P - 1 : Goldilocks.random(rng);
                t[i + 2] = Goldilocks.add(t[i], t[i + 1]);
            }
        }
        long[] d0 = new long[at + stride * rows + 1];
        long[] d1 = new long[d0.length];
        for (int i = 0; i < d0.length; i++) {
            d0[i] = Goldilocks.random(rng);
            d1[i] = Goldilocks.random(rng);
        }
        Ext2[] expected = new Ext2[d0.length];
        for (int i = 0; i < d0.length; i++) {
            expected[i] = new Ext2(d0[i], d1[i]);
        }
        for (int r = 0; r < rows; r++) {
            for (int b = 0; b < len; b++) {
                int yb = 3 * (r * len + b);
                expected[at + r * stride] = expected[at + r * stride].add(new Ext2(x[xOff + 3 * b], x[xOff + 3 * b + 1]).mul(new Ext2(y[yb], y[yb + 1])));
            }
        }
        BranchFree.addExtDots(x, xOff, y, len, rows, d0, d1, at, stride);
        for (int i = 0; i < d0.length; i++) {
            assertEquals(expected[i], new Ext2(d0[i], d1[i]), "entry " + i);
        }
    }

    /** The word sums at their largest: every coordinate p − 1 (products near 2^128) over many pairs. */
    @Test
    void extDotsOfLargestValues() {
        int len = 5000;
        long m = Goldilocks.P - 1;
        long[] x = new long[3 * len];
        for (int b = 0; b < len; b++) {
            x[3 * b] = m;
            x[3 * b + 1] = m;
            x[3 * b + 2] = Goldilocks.add(m, m);
        }
        long[] d0 = {m};
        long[] d1 = {m};
        Ext2 e = new Ext2(m, m);
        Ext2 expected = new Ext2(m, m).add(e.mul(e).mul(new Ext2(len, 0)));
        BranchFree.addExtDots(x, 0, x, len, 1, d0, d1, 0, 1);
        assertEquals(expected, new Ext2(d0[0], d1[0]));
    }
}
