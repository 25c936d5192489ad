package dev.verinfer.field;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

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

    /** foldRange writes d[i] = s[2i] + r·(s[2i + 1] − s[2i]) on exactly [from, to), for base and extension tables. */
    @Property(tries = 300)
    void foldRangeMatchesTheLineFormula(@ForAll @IntRange(min = 0, max = 40) int half, @ForAll boolean base, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] s0 = new long[2 * half];
        long[] s1 = base ? null : new long[2 * half];
        for (int i = 0; i < 2 * half; i++) {
            s0[i] = Goldilocks.random(rng);
            if (!base) {
                s1[i] = Goldilocks.random(rng);
            }
        }
        Ext2 r = Ext2.random(rng);
        int from = half == 0 ? 0 : rng.nextInt(half + 1);
        int to = from + rng.nextInt(half - from + 1);
        long[] d0 = new long[half];
        long[] d1 = new long[half];
        long[] untouched = new long[half];
        java.util.Arrays.fill(d0, 5);
        java.util.Arrays.fill(d1, 5);
        java.util.Arrays.fill(untouched, 5);
        ExtMath.foldRange(s0, s1, r.c0(), r.c1(), d0, d1, from, to);
        for (int i = 0; i < half; i++) {
            if (i < from || i >= to) {
                assertEquals(new Ext2(untouched[i], untouched[i]), new Ext2(d0[i], d1[i]));
                continue;
            }
            Ext2 lo = new Ext2(s0[2 * i], base ? 0 : s1[2 * i]);
            Ext2 hi = new Ext2(s0[2 * i + 1], base ? 0 : s1[2 * i + 1]);
            assertEquals(lo.add(r.mul(hi.sub(lo))), new Ext2(d0[i], d1[i]));
        }
    }
}
