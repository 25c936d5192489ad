package dev.verinfer.field;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoldilocksTest {
    static final BigInteger P = new BigInteger("18446744069414584321");
    static final long[] EDGES = {0, 1, 2, Goldilocks.P - 1, Goldilocks.P - 2, 1L << 32, (1L << 32) - 1, (1L << 32) + 1,
            Goldilocks.HALF, Goldilocks.HALF + 1, Long.MAX_VALUE, Long.MIN_VALUE, 0xFFFF_FFFEL << 32};

    static BigInteger big(long x) {
        return new BigInteger(Long.toUnsignedString(x));
    }

    @Provide
    Arbitrary<Long> element() {
        Arbitrary<Long> uniform = Arbitraries.longs().filter(Goldilocks::isCanonical);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, uniform),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(EDGES[0], EDGES[1], EDGES[2], EDGES[3], EDGES[4], EDGES[5],
                        EDGES[6], EDGES[7], EDGES[8], EDGES[9], EDGES[10], EDGES[11], EDGES[12])));
    }

    @Property(tries = 3000)
    void operationsAgreeWithBigInteger(@ForAll("element") long a, @ForAll("element") long b) {
        assertEquals(big(a).add(big(b)).mod(P), big(Goldilocks.add(a, b)));
        assertEquals(big(a).subtract(big(b)).mod(P), big(Goldilocks.sub(a, b)));
        assertEquals(big(a).multiply(big(b)).mod(P), big(Goldilocks.mul(a, b)));
        assertEquals(big(a).negate().mod(P), big(Goldilocks.neg(a)));
    }

    @Property(tries = 1000)
    void resultsAreCanonical(@ForAll("element") long a, @ForAll("element") long b) {
        assertTrue(Goldilocks.isCanonical(Goldilocks.add(a, b)));
        assertTrue(Goldilocks.isCanonical(Goldilocks.sub(a, b)));
        assertTrue(Goldilocks.isCanonical(Goldilocks.mul(a, b)));
    }

    @Property(tries = 1000)
    void reduce128MatchesBigInteger(@ForAll long hi, @ForAll long lo) {
        BigInteger x = big(hi).shiftLeft(64).add(big(lo));
        assertEquals(x.mod(P), big(Goldilocks.reduce128(hi, lo)));
    }

    @Property(tries = 500)
    void fieldAxioms(@ForAll("element") long a, @ForAll("element") long b, @ForAll("element") long c) {
        assertEquals(Goldilocks.mul(a, Goldilocks.mul(b, c)), Goldilocks.mul(Goldilocks.mul(a, b), c));
        assertEquals(Goldilocks.mul(a, Goldilocks.add(b, c)), Goldilocks.add(Goldilocks.mul(a, b), Goldilocks.mul(a, c)));
        assertEquals(Goldilocks.add(a, b), Goldilocks.add(b, a));
        assertEquals(Goldilocks.mul(a, b), Goldilocks.mul(b, a));
        assertEquals(a, Goldilocks.add(Goldilocks.sub(a, b), b));
    }

    @Property(tries = 300)
    void inverseIsInverse(@ForAll("element") long a) {
        if (a == 0) {
            assertThrows(ArithmeticException.class, () -> Goldilocks.inverse(0));
            return;
        }
        assertEquals(1, Goldilocks.mul(a, Goldilocks.inverse(a)));
        assertEquals(big(a).modInverse(P), big(Goldilocks.inverse(a)));
    }

    @Test
    void batchInverseMatchesSingleInverses() {
        Random rng = new Random(1);
        long[] xs = new long[257];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i < EDGES.length && Goldilocks.isCanonical(EDGES[i]) && EDGES[i] != 0 ? EDGES[i] : Goldilocks.random(rng) | 1;
        }
        long[] out = new long[xs.length];
        Goldilocks.batchInverse(xs, out);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(Goldilocks.inverse(xs[i]), out[i]);
        }
        long[] withZero = {3, 0, 5};
        assertThrows(ArithmeticException.class, () -> Goldilocks.batchInverse(withZero, new long[3]));
    }

    @Test
    void nonCanonicalValuesAreRejectedOrReduced() {
        assertThrows(IllegalArgumentException.class, () -> Goldilocks.canonical(Goldilocks.P));
        assertThrows(IllegalArgumentException.class, () -> Goldilocks.canonical(-1L));
        assertEquals(0, Goldilocks.reduce(Goldilocks.P));
        assertEquals(Goldilocks.EPSILON - 1, Goldilocks.reduce(-1L)); // 2^64 − 1 − p = 2^32 − 2
    }

    @Property(tries = 1000)
    void signedEmbeddingRoundTrips(@ForAll long x) {
        long f = Goldilocks.fromSigned(x);
        assertTrue(Goldilocks.isCanonical(f));
        assertEquals(BigInteger.valueOf(x).mod(P), big(f));
        if (Math.abs((double) x) < 0x7FFF_FFFF_0000_0000L) {
            assertEquals(x, Goldilocks.toSigned(f));
        }
    }

    @Test
    void rootsOfUnityHaveExactOrder() {
        for (int log = 0; log <= 32; log++) {
            long w = Goldilocks.rootOfUnity(log);
            assertEquals(1, Goldilocks.pow(w, 1L << log), "order divides 2^" + log);
            if (log > 0) {
                assertEquals(Goldilocks.P - 1, Goldilocks.pow(w, 1L << (log - 1)), "order is exactly 2^" + log);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Goldilocks.rootOfUnity(33));
    }

    @Test
    void sevenIsANonResidue() {
        // Euler's criterion: 7^((p−1)/2) = −1, so X² − 7 is irreducible.
        assertEquals(Goldilocks.P - 1, Goldilocks.pow(Ext2.W, (Goldilocks.P - 1) >>> 1));
    }

    @Test
    void edgeProducts() {
        long[] all = EDGES.clone();
        for (long a : all) {
            for (long b : all) {
                long ra = Goldilocks.reduce(a);
                long rb = Goldilocks.reduce(b);
                assertEquals(big(ra).multiply(big(rb)).mod(P), big(Goldilocks.mul(ra, rb)));
                assertEquals(big(ra).add(big(rb)).mod(P), big(Goldilocks.add(ra, rb)));
            }
        }
        assertArrayEquals(new long[]{1}, new long[]{Goldilocks.mul(Goldilocks.P - 1, Goldilocks.P - 1)});
    }
}
