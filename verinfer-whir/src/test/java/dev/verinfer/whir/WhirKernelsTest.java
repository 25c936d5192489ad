package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.poly.Mle;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The prover's kernels against the direct formulas they replace. */
class WhirKernelsTest {
    static ExtVector randomExt(int n, SplittableRandom rng) {
        ExtVector v = ExtVector.zeros(1 << n);
        for (int i = 0; i < v.length(); i++) {
            v.set(i, Ext2.random(rng));
        }
        return v;
    }

    /**
     * The blocked, parallel evaluation of base coefficients (dot products against z's tabled powers; Horner mod z's minimal
     * polynomial below four blocks) equals Σ c_i z^i, for lengths around its block boundaries.
     */
    @Property(tries = 12)
    void blockedUnivariateIsTheSum(@ForAll @IntRange(min = 0, max = 5) int extraBlocks, @ForAll @IntRange(min = 0, max = 4097) int tail,
                                   @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] c = new long[(1 << 14) + extraBlocks * (1 << 12) + tail];
        for (int i = 0; i < c.length; i++) {
            c[i] = Goldilocks.random(rng);
        }
        // An extension point (minimal polynomial X² − τX + ν, irreducible) and a base one ((X − z)²), on the whole and on a short prefix.
        for (Ext2 z : new Ext2[] {Ext2.random(rng), Ext2.of(Goldilocks.random(rng))}) {
            for (int length : new int[] {c.length, tail}) {
                long[] cs = java.util.Arrays.copyOf(c, length);
                assertEquals(naiveUnivariate(cs, z), Codewords.univariate(cs, z));
            }
        }
    }

    private static Ext2 naiveUnivariate(long[] c, Ext2 z) {
        Ext2 sum = Ext2.ZERO;
        Ext2 power = Ext2.ONE;
        for (long ci : c) {
            sum = sum.add(power.mul(Ext2.of(ci)));
            power = power.mul(z);
        }
        return sum;
    }

    /** (h(0), h(2)) by definition: Σ_x f(t, x)·w(t, x) with the lines through the pairs. */
    static Ext2[] naiveMessage(ExtVector f, ExtVector w) {
        Ext2 h0 = Ext2.ZERO;
        Ext2 h2 = Ext2.ZERO;
        Ext2 two = Ext2.of(2);
        for (int i = 0; i < f.length() / 2; i++) {
            h0 = h0.add(f.get(2 * i).mul(w.get(2 * i)));
            Ext2 f2 = f.get(2 * i).add(f.get(2 * i + 1).sub(f.get(2 * i)).mul(two));
            Ext2 w2 = w.get(2 * i).add(w.get(2 * i + 1).sub(w.get(2 * i)).mul(two));
            h2 = h2.add(f2.mul(w2));
        }
        return new Ext2[] {h0, h2};
    }

    /**
     * The blocked Möbius transform (low variables block by block, high ones in whole-table passes) is undone by the
     * zeta transform, at sizes below, at and above its block: the coefficients are the unique ones of the table.
     */
    @Property(tries = 20)
    void toCoefficientsIsInvertedByToEvaluations(@ForAll @IntRange(min = 0, max = 14) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] table = new long[1 << n];
        for (int i = 0; i < table.length; i++) {
            table[i] = Goldilocks.random(rng);
        }
        long[] a = table.clone();
        Codewords.toCoefficients(a);
        Codewords.toEvaluations(a);
        assertArrayEquals(table, a);
    }

    /** The verifier's batched base-point evaluation equals extension Horner at each point, for every remainder of its 4-way loop. */
    @Property(tries = 40)
    void univariateAtBaseMatchesHorner(@ForAll @IntRange(min = 0, max = 11) int n, @ForAll @IntRange(min = 0, max = 11) int points, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Ext2[] c = new Ext2[1 << n];
        for (int i = 0; i < c.length; i++) {
            c[i] = Ext2.random(rng);
        }
        long[] z = new long[points];
        for (int k = 0; k < points; k++) {
            z[k] = k == 0 ? Goldilocks.P - 1 : Goldilocks.random(rng);
        }
        Ext2[] got = Codewords.univariateAtBase(c, z);
        for (int k = 0; k < points; k++) {
            assertEquals(Codewords.univariate(c, Ext2.of(z[k])), got[k]);
        }
    }

    @Property(tries = 60)
    void foldAndMessagesMatchTheDirectFormulas(@ForAll @IntRange(min = 1, max = 13) int n, @ForAll boolean base, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] fb = WhirPcsTest.randomTable(n, rng);
        ExtVector f = base ? ExtVector.ofBase(fb) : randomExt(n, rng);
        ExtVector w = randomExt(n, rng);
        assertArrayEquals(naiveMessage(f, w), base ? FoldKernels.message(fb, w) : FoldKernels.message(f, w));
        Ext2 alpha = Ext2.random(rng);
        FoldKernels.Step step = FoldKernels.fold(base ? fb : null, base ? null : f, w, alpha, n >= 2);
        ExtVector ff = Mle.foldLowest(f, alpha);
        ExtVector wf = Mle.foldLowest(w, alpha);
        assertArrayEquals(ff.toArray(), step.f().toArray());
        assertArrayEquals(wf.toArray(), step.w().toArray());
        if (n >= 2) {
            assertArrayEquals(naiveMessage(ff, wf), step.message());
        }
    }

    /** The batched run's table F[x] = Σ_j μ^j·f_j[x >> (n − n_j)], as Ext2 arithmetic computes it. */
    @Property(tries = 40)
    void combineMatchesTheLiftedSum(@ForAll @IntRange(min = 0, max = 14) int n, @ForAll @IntRange(min = 1, max = 4) int m, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[][] tables = new long[m][];
        for (int j = 0; j < m; j++) {
            tables[j] = WhirPcsTest.randomTable(j == 0 ? n : rng.nextInt(n + 1), rng);
        }
        Ext2 mu = Ext2.random(rng);
        ExtVector f = Batching.combine(tables, n, mu);
        for (int x = 0; x < 1 << n; x++) {
            Ext2 expected = Ext2.ZERO;
            Ext2 power = Ext2.ONE;
            for (long[] t : tables) {
                expected = expected.add(power.mul(t[x >>> (n - Integer.numberOfTrailingZeros(t.length))]));
                power = power.mul(mu);
            }
            assertEquals(expected, f.get(x), "entry " + x);
        }
    }

    /** The NTT-and-Möbius weight update (taken when q·2^vars > logGroup·2^logGroup) equals the direct one, repeated queries too. */
    @Property(tries = 40)
    void rootPowerWeightUpdatesMatchTheDirectOnes(@ForAll @IntRange(min = 0, max = 10) int vars, @ForAll @IntRange(min = 0, max = 3) int extra,
                                                  @ForAll @IntRange(min = 0, max = 80) int queries, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int logGroup = vars + extra;
        ExtVector w = randomExt(vars, rng);
        ExtVector expected = w.copy();
        Ext2[] c = new Ext2[queries];
        int[] exponents = new int[queries];
        long[] ys = new long[queries];
        for (int q = 0; q < queries; q++) {
            c[q] = Ext2.random(rng);
            exponents[q] = q % 5 == 4 ? exponents[q - 1] : rng.nextInt(1 << logGroup);
            ys[q] = Goldilocks.pow(Goldilocks.rootOfUnity(logGroup), exponents[q]);
        }
        WeightKernels.addEqsOfPowers(expected, c, ys, vars);
        WeightKernels.addEqsOfRootPowers(w, c, exponents, logGroup, vars);
        assertArrayEquals(expected.toArray(), w.toArray());
    }

    @Property(tries = 40)
    void weightUpdatesMatchEqTables(@ForAll @IntRange(min = 0, max = 12) int vars, @ForAll @IntRange(min = 0, max = 40) int queries, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ExtVector w = randomExt(vars, rng);
        ExtVector expected = w.copy();
        Ext2[] c = new Ext2[queries];
        long[] ys = new long[queries];
        for (int q = 0; q < queries; q++) {
            c[q] = Ext2.random(rng);
            ys[q] = q % 7 == 3 ? Goldilocks.random(rng) : Goldilocks.pow(Goldilocks.rootOfUnity(vars + 2), rng.nextInt(1 << (vars + 2)));
            ExtVector eq = Mle.eqTable(Codewords.powers(Ext2.of(ys[q]), vars));
            for (int i = 0; i < eq.length(); i++) {
                expected.set(i, expected.get(i).add(c[q].mul(eq.get(i))));
            }
        }
        WeightKernels.addEqsOfPowers(w, c, ys, vars);
        assertArrayEquals(expected.toArray(), w.toArray());
        Ext2 scale = Ext2.random(rng);
        Ext2[] point = WhirPcsTest.randomPoint(vars, rng);
        ExtVector eq = Mle.eqTable(point);
        for (int i = 0; i < eq.length(); i++) {
            expected.set(i, expected.get(i).add(scale.mul(eq.get(i))));
        }
        WeightKernels.addEq(w, scale, point);
        assertEquals(expected.length(), w.length());
        assertArrayEquals(expected.toArray(), w.toArray());
    }

    /**
     * The batch weight and the cross values read only a point's block (zero prefix, boolean suffix) and sum the points that
     * share a block apart: the same field elements as Σ_k β^k·eq(p_k, ·) and f(p) over the whole table. Points lifted (0^d, q),
     * embedded (q, 0, …), at a block's index (q, 0/1 bits), all three at once, all zero, and whole; several per block.
     */
    @Property(tries = 40)
    void blockedWeightsAndEvaluationsMatchTheWholeTable(@ForAll @IntRange(min = 0, max = 11) int n, @ForAll @IntRange(min = 1, max = 24) int count,
                                                        @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] table = WhirPcsTest.randomTable(n, rng);
        java.util.List<Ext2[]> points = new java.util.ArrayList<>();
        Ext2[][] shapes = new Ext2[4][];
        for (int s = 0; s < shapes.length; s++) {
            shapes[s] = WhirPcsTest.randomPoint(n, rng);
            int prefix = n == 0 ? 0 : rng.nextInt(n + 1);
            int suffix = rng.nextInt(n - prefix + 1);
            for (int j = 0; j < prefix; j++) {
                shapes[s][j] = Ext2.ZERO;
            }
            for (int j = n - suffix; j < n; j++) {
                shapes[s][j] = rng.nextBoolean() ? Ext2.ONE : Ext2.ZERO;
            }
        }
        for (int k = 0; k < count; k++) {
            Ext2[] shape = shapes[rng.nextInt(shapes.length)];
            Ext2[] p = WhirPcsTest.randomPoint(n, rng);
            for (int j = 0; j < n; j++) {
                if (shape[j].equals(Ext2.ZERO) || shape[j].equals(Ext2.ONE)) {
                    p[j] = shape[j]; // the shape's prefix and suffix (and any coordinate that happens to be 0 or 1)
                }
            }
            points.add(k == count - 1 ? new Ext2[n] : p);
            if (k == count - 1) {
                java.util.Arrays.fill(points.getLast(), Ext2.ZERO);
            }
        }
        Ext2 beta = Ext2.random(rng);
        ExtVector expected = ExtVector.zeros(1 << n);
        Ext2 c = Ext2.ONE;
        Batching.Evaluator at = new Batching.Evaluator(table);
        for (Ext2[] p : points) {
            ExtVector eq = Mle.eqTable(p);
            for (int i = 0; i < eq.length(); i++) {
                expected.set(i, expected.get(i).add(c.mul(eq.get(i))));
            }
            c = c.mul(beta);
            assertEquals(Mle.evaluate(table, p), at.at(p));
        }
        assertArrayEquals(expected.toArray(), Batching.constraintWeight(points, beta, n).toArray());
    }
}
