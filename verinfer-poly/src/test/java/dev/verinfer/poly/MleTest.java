package dev.verinfer.poly;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MleTest {
    static long[] randomBase(SplittableRandom rng, int n) {
        long[] t = new long[1 << n];
        for (int i = 0; i < t.length; i++) {
            t[i] = Goldilocks.random(rng);
        }
        return t;
    }

    static ExtVector randomExt(SplittableRandom rng, int n) {
        ExtVector t = ExtVector.zeros(1 << n);
        for (int i = 0; i < t.length(); i++) {
            t.set(i, Ext2.random(rng));
        }
        return t;
    }

    static Ext2[] randomPoint(SplittableRandom rng, int n) {
        Ext2[] p = new Ext2[n];
        for (int i = 0; i < n; i++) {
            p[i] = Ext2.random(rng);
        }
        return p;
    }

    /** eq(r, x) for a boolean x given as the bits of an index, straight from the definition. */
    static Ext2 eqAtIndex(Ext2[] r, int x) {
        Ext2 acc = Ext2.ONE;
        for (int j = 0; j < r.length; j++) {
            acc = acc.mul(((x >> j) & 1) == 1 ? r[j] : Ext2.ONE.sub(r[j]));
        }
        return acc;
    }

    static Ext2 naive(ExtVector t, Ext2[] r) {
        Ext2 sum = Ext2.ZERO;
        for (int x = 0; x < t.length(); x++) {
            sum = sum.add(eqAtIndex(r, x).mul(t.get(x)));
        }
        return sum;
    }

    static Ext2[] concat(Ext2[] a, Ext2[] b) {
        Ext2[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Property(tries = 60)
    void evaluationMatchesNaiveSum(@ForAll @IntRange(min = 0, max = 8) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] base = randomBase(rng, n);
        ExtVector ext = randomExt(rng, n);
        Ext2[] r = randomPoint(rng, n);
        assertEquals(naive(ExtVector.ofBase(base), r), Mle.evaluate(base, r));
        assertEquals(naive(ext, r), Mle.evaluate(ext, r));
    }

    /** Two base tables at one point in one pass: each the extension fold's value (below and above the split, at p − 1 entries too; whole or read in place from longer ones). */
    @Property(tries = 30)
    void twoTablesEvaluateAsEachAlone(@ForAll @IntRange(min = 0, max = 14) int n, @ForAll boolean extreme, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] a = randomBase(rng, n);
        long[] b = randomBase(rng, n);
        Ext2[] r = randomPoint(rng, n);
        if (extreme) {
            Arrays.fill(b, Goldilocks.P - 1);
            Arrays.fill(r, new Ext2(Goldilocks.P - 1, Goldilocks.P - 1));
        }
        Ext2[] two = Mle.evaluateTwo(a, b, r);
        assertEquals(Mle.evaluate(ExtVector.ofBase(a), r), two[0]);
        assertEquals(Mle.evaluate(ExtVector.ofBase(b), r), two[1]);
        // the same tables as sub-tables of longer ones, read in place
        int offset = rng.nextInt(3) << n;
        long[] longA = randomBase(rng, n + 2);
        long[] longB = randomBase(rng, n + 2);
        System.arraycopy(a, 0, longA, offset, a.length);
        System.arraycopy(b, 0, longB, offset, b.length);
        assertEquals(Arrays.asList(two), Arrays.asList(Mle.evaluateTwo(longA, longB, offset, r)));
    }

    /** The split evaluation of base tables (8 variables and more) against the fold of the same table in the extension, at p − 1 entries too. */
    @Property(tries = 30)
    void baseEvaluationMatchesExtensionFold(@ForAll @IntRange(min = 6, max = 14) int n, @ForAll boolean extreme, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] base = randomBase(rng, n);
        if (extreme) {
            Arrays.fill(base, Goldilocks.P - 1);
        }
        Ext2[] r = randomPoint(rng, n);
        if (extreme) {
            Arrays.fill(r, new Ext2(Goldilocks.P - 1, Goldilocks.P - 1));
        }
        assertEquals(Mle.evaluate(ExtVector.ofBase(base), r), Mle.evaluate(base, r));
    }

    /** Binding a base table's low and high variables in one pass: the two folds' table (every split of the variables, at p − 1 entries too), two tables alike. */
    @Property(tries = 60)
    void foldLowHighIsTheTwoFolds(@ForAll @IntRange(min = 0, max = 12) int n, @ForAll @IntRange(min = 0, max = 12) int lowVars,
                                  @ForAll @IntRange(min = 0, max = 12) int highVars, @ForAll boolean extreme, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int l = Math.min(lowVars, n);
        int h = Math.min(highVars, n - l);
        long[] a = randomBase(rng, n);
        long[] b = randomBase(rng, n);
        Ext2[] low = randomPoint(rng, l);
        Ext2[] high = randomPoint(rng, h);
        if (extreme) {
            Arrays.fill(b, Goldilocks.P - 1);
            Arrays.fill(low, new Ext2(Goldilocks.P - 1, Goldilocks.P - 1));
        }
        ExtVector expectedA = Mle.foldHigh(Mle.foldLow(a, low), high);
        ExtVector expectedB = Mle.foldHigh(Mle.foldLow(b, low), high);
        assertEquals(expectedA, Mle.foldLowHigh(a, low, high));
        ExtVector[] two = Mle.foldLowHighTwo(a, b, low, high);
        assertEquals(expectedA, two[0]);
        assertEquals(expectedB, two[1]);
    }

    @Property(tries = 30)
    void addEqTableAddsTheScaledEqTableAtOffsetAndStride(@ForAll @IntRange(min = 0, max = 12) int n, @ForAll @IntRange(min = 0, max = 2) int logStride,
                                                        @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Ext2[] r = randomPoint(rng, n);
        Ext2 scale = randomPoint(rng, 1)[0];
        int stride = 1 << logStride;
        int offset = rng.nextInt(4);
        ExtVector dst = randomExt(rng, n + logStride + 2);
        ExtVector expected = dst.copy();
        ExtVector eq = Mle.eqTable(r, scale);
        for (int x = 0; x < eq.length(); x++) {
            expected.set(offset + x * stride, expected.get(offset + x * stride).add(eq.get(x)));
        }
        Mle.addEqTable(r, scale, dst, offset, stride);
        assertEquals(expected, dst);
    }

    @Property(tries = 60)
    void evaluationAtBooleanPointIsTableEntry(@ForAll @IntRange(min = 0, max = 8) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] base = randomBase(rng, n);
        int x = rng.nextInt(1 << n);
        Ext2[] r = new Ext2[n];
        for (int j = 0; j < n; j++) {
            r[j] = ((x >> j) & 1) == 1 ? Ext2.ONE : Ext2.ZERO; // point[0] is the least significant bit
        }
        assertEquals(Ext2.of(base[x]), Mle.evaluate(base, r));
    }

    @Property(tries = 60)
    void eqTableMatchesDefinitionAndSumsToOne(@ForAll @IntRange(min = 0, max = 9) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Ext2[] r = randomPoint(rng, n);
        ExtVector eq = Mle.eqTable(r);
        Ext2 sum = Ext2.ZERO;
        for (int x = 0; x < eq.length(); x++) {
            assertEquals(eqAtIndex(r, x), eq.get(x));
            sum = sum.add(eq.get(x));
        }
        assertEquals(Ext2.ONE, sum);
        Ext2[] s = randomPoint(rng, n);
        assertEquals(Mle.evaluate(eq, s), Mle.eq(r, s));
        assertEquals(Mle.eq(s, r), Mle.eq(r, s));
    }

    @Property(tries = 40)
    void scaledEqTableIsTheScaleTimesTheEqTable(@ForAll @IntRange(min = 0, max = 14) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Ext2[] r = new Ext2[n];
        for (int j = 0; j < n; j++) {
            r[j] = Ext2.random(rng);
        }
        Ext2 scale = Ext2.random(rng);
        ExtVector plain = Mle.eqTable(r);
        ExtVector scaled = Mle.eqTable(r, scale);
        for (int i = 0; i < plain.length(); i++) {
            assertEquals(plain.get(i).mul(scale), scaled.get(i), "entry " + i);
        }
    }

    @Property(tries = 60)
    void foldingLowAndHighAgreesWithEvaluation(@ForAll @IntRange(min = 0, max = 9) int n, @ForAll @IntRange(min = 0, max = 9) int kRaw, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int k = Math.min(kRaw, n);
        long[] base = randomBase(rng, n);
        ExtVector ext = randomExt(rng, n);
        Ext2[] low = randomPoint(rng, n - k);
        Ext2[] high = randomPoint(rng, k);
        Ext2[] full = concat(low, high);
        Ext2 fb = Mle.evaluate(base, full);
        Ext2 fe = Mle.evaluate(ext, full);
        assertEquals(fb, Mle.evaluate(Mle.foldHigh(base, high), low));
        assertEquals(fe, Mle.evaluate(Mle.foldHigh(ext, high), low));
        assertEquals(fb, Mle.evaluate(Mle.foldLow(base, low), high));
        assertEquals(fe, Mle.evaluate(Mle.foldLow(ext, low), high));
    }

    @Property(tries = 40)
    void foldLowestMatchesLinearInterpolation(@ForAll @IntRange(min = 1, max = 8) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ExtVector t = randomExt(rng, n);
        Ext2 r = Ext2.random(rng);
        ExtVector folded = Mle.foldLowest(t, r);
        ExtVector inPlace = t.copy();
        Mle.foldLowest(inPlace, inPlace.length(), r, inPlace);
        for (int i = 0; i < folded.length(); i++) {
            Ext2 expected = t.get(2 * i).add(r.mul(t.get(2 * i + 1).sub(t.get(2 * i))));
            assertEquals(expected, folded.get(i));
            assertEquals(expected, inPlace.get(i));
        }
    }

    @Test
    void matrixRowCombinationUsesColumnBitsFirst() {
        // A is 4 rows × 2 columns, row-major; A(r_i, ·) at a boolean row point is that row.
        long[] a = {10, 11, 20, 21, 30, 31, 40, 41};
        ExtVector row2 = Mle.foldHigh(a, new Ext2[] {Ext2.ZERO, Ext2.ONE});
        assertEquals(ExtVector.of(Ext2.of(30), Ext2.of(31)), row2);
        ExtVector col1 = Mle.foldLow(a, new Ext2[] {Ext2.ONE});
        assertEquals(ExtVector.of(Ext2.of(11), Ext2.of(21), Ext2.of(31), Ext2.of(41)), col1);
    }

    @Test
    void largeTablesAgreeAcrossThreadCounts() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 16;
        long[] base = randomBase(rng, n);
        Ext2[] r = randomPoint(rng, n);
        Ext2[] high = Arrays.copyOfRange(r, 10, n);
        int saved = Parallelism.threads();
        try {
            Parallelism.setThreads(1);
            Ext2 serial = Mle.evaluate(base, r);
            ExtVector serialHigh = Mle.foldHigh(base, high);
            ExtVector serialEq = Mle.eqTable(r);
            Parallelism.setThreads(3);
            assertEquals(serial, Mle.evaluate(base, r));
            assertEquals(serialHigh, Mle.foldHigh(base, high));
            assertEquals(serialEq, Mle.eqTable(r));
            assertNotEquals(Ext2.ZERO, serial);
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> Mle.evaluate(new long[3], new Ext2[2]));
        assertThrows(IllegalArgumentException.class, () -> Mle.evaluate(new long[4], new Ext2[] {Ext2.ONE}));
        assertThrows(IllegalArgumentException.class, () -> Mle.foldHigh(new long[4], new Ext2[3]));
    }

    /** A point with some coordinates 0, 1 or p − 1 (the largest residue: the unreduced sums' worst case), the rest random. */
    private static Ext2[] edgyPoint(SplittableRandom rng, int n) {
        Ext2[] p = randomPoint(rng, n);
        for (int i = 0; i < n; i++) {
            switch (rng.nextInt(6)) {
                case 0 -> p[i] = Ext2.ZERO;
                case 1 -> p[i] = Ext2.ONE;
                case 2 -> p[i] = new Ext2(Goldilocks.P - 1, Goldilocks.P - 1);
                default -> { }
            }
        }
        return p;
    }

    @Property(tries = 40)
    void manyEqTablesAddAsEachAlone(@ForAll @IntRange(min = 0, max = 12) int n, @ForAll @IntRange(min = 0, max = 9) int count,
                                    @ForAll @IntRange(min = 0, max = 2) int logStride, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int stride = 1 << logStride;
        int offset = rng.nextInt(stride);
        ExtVector start = randomExt(rng, n + logStride);
        java.util.List<Ext2[]> points = new java.util.ArrayList<>();
        java.util.List<Ext2> scales = new java.util.ArrayList<>();
        for (int k = 0; k < count; k++) {
            points.add(edgyPoint(rng, n));
            scales.add(k == 0 ? new Ext2(Goldilocks.P - 1, Goldilocks.P - 1) : Ext2.random(rng));
        }
        ExtVector together = ExtVector.zeros(start.length());
        ExtVector alone = ExtVector.zeros(start.length());
        for (int i = 0; i < start.length(); i++) {
            together.set(i, start.get(i));
            alone.set(i, start.get(i));
        }
        Mle.addEqTables(points, scales, together, offset, stride);
        for (int k = 0; k < count; k++) {
            Mle.addEqTable(points.get(k), scales.get(k), alone, offset, stride);
        }
        for (int i = 0; i < start.length(); i++) {
            assertEquals(alone.get(i), together.get(i), "entry " + i);
        }
    }
}
