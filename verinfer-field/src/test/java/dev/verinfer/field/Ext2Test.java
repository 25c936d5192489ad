package dev.verinfer.field;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Ext2Test {
    static final BigInteger P = GoldilocksTest.P;

    @Provide
    Arbitrary<Ext2> ext() {
        Arbitrary<Long> coord = Arbitraries.oneOf(
                Arbitraries.longs().filter(Goldilocks::isCanonical),
                Arbitraries.of(0L, 1L, Goldilocks.P - 1, 1L << 32));
        return Combinators.combine(coord, coord).as(Ext2::new);
    }

    /** Reference product in F_p[X]/(X² − 7) with BigInteger. */
    static Ext2 referenceMul(Ext2 a, Ext2 b) {
        BigInteger a0 = GoldilocksTest.big(a.c0()), a1 = GoldilocksTest.big(a.c1());
        BigInteger b0 = GoldilocksTest.big(b.c0()), b1 = GoldilocksTest.big(b.c1());
        BigInteger c0 = a0.multiply(b0).add(a1.multiply(b1).multiply(BigInteger.valueOf(7))).mod(P);
        BigInteger c1 = a0.multiply(b1).add(a1.multiply(b0)).mod(P);
        return new Ext2(Long.parseUnsignedLong(c0.toString()), Long.parseUnsignedLong(c1.toString()));
    }

    @Property(tries = 2000)
    void mulMatchesReference(@ForAll("ext") Ext2 a, @ForAll("ext") Ext2 b) {
        assertEquals(referenceMul(a, b), a.mul(b));
        assertEquals(referenceMul(a, a), a.square());
    }

    @Property(tries = 500)
    void axioms(@ForAll("ext") Ext2 a, @ForAll("ext") Ext2 b, @ForAll("ext") Ext2 c) {
        assertEquals(a.mul(b).mul(c), a.mul(b.mul(c)));
        assertEquals(a.mul(b.add(c)), a.mul(b).add(a.mul(c)));
        assertEquals(a, a.sub(b).add(b));
        assertEquals(Ext2.ZERO, a.add(a.neg()));
        assertEquals(a.mul(Ext2.of(7)), a.mul(7));
    }

    @Property(tries = 500)
    void inverse(@ForAll("ext") Ext2 a) {
        if (a.isZero()) {
            assertThrows(ArithmeticException.class, a::inverse);
        } else {
            assertEquals(Ext2.ONE, a.mul(a.inverse()));
        }
    }

    @Test
    void batchInverseAndPow() {
        Random rng = new Random(7);
        Ext2[] xs = new Ext2[100];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = Ext2.random(rng);
        }
        Ext2[] inv = Ext2.batchInverse(xs);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(xs[i].inverse(), inv[i]);
        }
        Ext2 x = xs[0];
        assertEquals(x.mul(x).mul(x), x.pow(3));
        // The multiplicative group has order p² − 1; x^(p²−1) = 1, checked as (x^(p−1))^(p+1).
        assertEquals(Ext2.ONE, x.pow(Goldilocks.P - 1).pow(Goldilocks.P + 1));
    }

    @Test
    void nonCanonicalCoordinatesRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Ext2(Goldilocks.P, 0));
        assertThrows(IllegalArgumentException.class, () -> new Ext2(0, -1L));
    }
}
