package dev.verinfer.field;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExtMathTest {
    @Property(tries = 1000)
    void coordinateProductsMatchExt2(@ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Ext2 a = Ext2.random(rng);
        Ext2 b = Ext2.random(rng);
        Ext2 expected = a.mul(b);
        assertEquals(expected.c0(), ExtMath.mulC0(a.c0(), a.c1(), b.c0(), b.c1()));
        assertEquals(expected.c1(), ExtMath.mulC1(a.c0(), a.c1(), b.c0(), b.c1()));
        long[] o0 = new long[2];
        long[] o1 = new long[2];
        ExtMath.mul(a.c0(), a.c1(), b.c0(), b.c1(), o0, o1, 1);
        assertEquals(expected, new Ext2(o0[1], o1[1]));
        assertEquals(a.mul(7), new Ext2(ExtMath.mulByW(a.c0()), ExtMath.mulByW(a.c1())));
    }
}
