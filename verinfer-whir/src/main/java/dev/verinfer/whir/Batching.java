package dev.verinfer.whir;

import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;
import dev.verinfer.poly.Mle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lift that puts polynomials of different arities into one WHIR run ({@link WhirParameters},
 * batching). An n_j-variable f_j becomes f̃_j(x) = f_j(x_d, …, x_{n−1}) over n ≥ n_j variables, d = n − n_j:
 * its monomials are f_j's shifted up by d variables, so its univariate is f̂_j(X^(2^d)), and on
 * L = ⟨ω⟩ of size 2^(n+R) its codeword at ω^e is f_j's own codeword at ω^(e·2^d) = ω_j^(e mod 2^(n_j+R)),
 * ω_j = ω^(2^d) generating f_j's domain. A fibre of L (2^k points) therefore reads one leaf of f_j's tree:
 * leaf e mod (f_j's fibre count), at position ⌊(e mod 2^(n_j+R)) / (f_j's fibre count)⌋.
 */
final class Batching {
    private static final int PARALLEL_CHUNK = 1 << 12;

    private Batching() {}

    /** (0^(n − |p|), p): where f̃_j takes f_j's value at p. */
    static Ext2[] lift(Ext2[] point, int n) {
        Ext2[] out = new Ext2[n];
        int d = n - point.length;
        Arrays.fill(out, 0, d, Ext2.ZERO);
        System.arraycopy(point, 0, out, d, point.length);
        return out;
    }

    /** The last {@code vars} coordinates: f̃_i(p) = f_i(tail(p, n_i)). */
    static Ext2[] tail(Ext2[] point, int vars) {
        return Arrays.copyOfRange(point, point.length - vars, point.length);
    }

    /** How many leading coordinates of the point are exactly zero (a lifted point's 0^d). */
    static int zeroPrefix(Ext2[] point) {
        int a = 0;
        while (a < point.length && point[a].equals(Ext2.ZERO)) {
            a++;
        }
        return a;
    }

    /**
     * Where eq(point, ·) lives: a point (0^a, q, s), a zero prefix of length a (a lifted point's 0^d), free coordinates q and
     * a suffix s of coordinates 0 and 1 (an embedded claim's (r, 0, …), a piece at its block's index), is nonzero only on the
     * 2^|q| entries x = offset + y·stride, offset = index(s)·2^(a + |q|), stride = 2^a (eq(b, x_j) = [x_j = b] for boolean b;
     * variable j is bit j of x), where eq(point, x) = eq(q, y).
     */
    record Block(int from, int to, int offset, int stride) {
        static Block of(Ext2[] point) {
            int a = zeroPrefix(point);
            int to = point.length;
            while (to > a && (point[to - 1].equals(Ext2.ZERO) || point[to - 1].equals(Ext2.ONE))) {
                to--;
            }
            int index = 0;
            for (int j = point.length - 1; j >= to; j--) {
                index = 2 * index + (point[j].equals(Ext2.ONE) ? 1 : 0);
            }
            return new Block(a, to, index << to, 1 << a);
        }

        /** The free coordinates q. */
        Ext2[] free(Ext2[] point) {
            return Arrays.copyOfRange(point, from, to);
        }

        /** Whether the block is the whole table (no zero prefix, no boolean suffix). */
        boolean whole(int vars) {
            return from == 0 && to == vars;
        }
    }

    /**
     * Evaluations of one table at many points: each point reads the entries of its {@link Block}, copied out once per block
     * and kept for the next point in the same block (a batch's claims of one member share theirs; a strided copy from a
     * large table costs a cache miss per entry, the evaluation of the small copy far less).
     */
    static final class Evaluator {
        private final long[] table;
        private final Map<Block, long[]> blocks = new HashMap<>();

        Evaluator(long[] table) {
            this.table = table;
        }

        Ext2 at(Ext2[] point) {
            Block b = Block.of(point);
            Ext2[] q = b.free(point);
            if (b.whole(point.length)) {
                return Mle.evaluate(table, q);
            }
            long[] sub = blocks.computeIfAbsent(b, k -> {
                long[] out = new long[1 << (k.to() - k.from())];
                for (int y = 0; y < out.length; y++) {
                    out[y] = table[k.offset() + y * k.stride()];
                }
                return out;
            });
            return Mle.evaluate(sub, q);
        }

        /**
         * This table's and {@code other}'s values at one point (tables of one arity): over the whole table in one pass
         * ({@link Mle#evaluateTwo}), else each as {@link #at}. The same values.
         */
        Ext2[] atWith(Evaluator other, Ext2[] point) {
            if (Block.of(point).whole(point.length) && other.table.length == table.length) {
                return Mle.evaluateTwo(table, other.table, point);
            }
            return new Ext2[] {at(point), other.at(point)};
        }
    }

    /**
     * The run's weight Σ_k β^k·eq(point_k, ·) over n variables. Each point adds to the entries of its {@link Block} only; the
     * points that share a block (a batch member's claims, lifted) are added together ({@link Mle#addEqTables}: each entry of
     * the block read and written once, its products summed unreduced), where adding each in place would pass over the
     * block's strided entries once per point. Field sums in another order: the same field elements.
     */
    static ExtVector constraintWeight(List<Ext2[]> points, Ext2 beta, int n) {
        List<Ext2> scales = new ArrayList<>();
        Ext2 coefficient = Ext2.ONE;
        for (int k = 0; k < points.size(); k++) {
            scales.add(coefficient);
            coefficient = coefficient.mul(beta);
        }
        return constraintWeight(points, scales, n);
    }

    /** Σ_k scales_k·eq(point_k, ·) over n variables, as {@link #constraintWeight(List, Ext2, int)} adds it. */
    static ExtVector constraintWeight(List<Ext2[]> points, List<Ext2> scales, int n) {
        ExtVector weight = ExtVector.zeros(1 << n);
        Map<Block, List<Ext2[]>> free = new LinkedHashMap<>();
        Map<Block, List<Ext2>> coefficients = new HashMap<>();
        for (int k = 0; k < points.size(); k++) {
            Ext2[] p = points.get(k);
            Block b = Block.of(p);
            free.computeIfAbsent(b, key -> new ArrayList<>()).add(b.free(p));
            coefficients.computeIfAbsent(b, key -> new ArrayList<>()).add(scales.get(k));
        }
        free.forEach((b, q) -> Mle.addEqTables(q, coefficients.get(b), weight, b.offset(), b.stride()));
        return weight;
    }

    /**
     * The values of a batch's constraints on F = Σ_j μ^j·F_j, appended to {@code values}: for constraint point c (owned by
     * component owners[c], whose own value there is own[c]) Σ_i μ^i·(i = owner ? own[c] : the next cross value).
     * Returns μ's m powers, μ^0 = 1 first.
     */
    static Ext2[] combinedValues(Ext2 mu, int m, Ext2[] cross, List<Integer> owners, List<Ext2> own, List<Ext2> values) {
        Ext2[] muPowers = new Ext2[m];
        muPowers[0] = Ext2.ONE;
        for (int j = 1; j < m; j++) {
            muPowers[j] = muPowers[j - 1].mul(mu);
        }
        int k = 0;
        for (int c = 0; c < owners.size(); c++) {
            Ext2 v = Ext2.ZERO;
            for (int i = 0; i < m; i++) {
                v = v.add(muPowers[i].mul(i == owners.get(c) ? own.get(c) : cross[k++]));
            }
            values.add(v);
        }
        return muPowers;
    }

    /**
     * The table of F = Σ_j μ^j·f̃_j over n variables: F[x] = Σ_j μ^j·f_j[x >> d_j] (μ^0 = 1: component 0
     * enters unmultiplied), in branch-free arithmetic on the {@link Parallelism} workers. A lifted component's entry
     * f_j[y] is read by the 2^d_j consecutive x with x >> d_j = y: μ^j·f_j[y] is computed once for them.
     */
    static ExtVector combine(long[][] tables, int n, Ext2 mu) {
        Ext2[] powers = new Ext2[tables.length];
        Ext2 power = Ext2.ONE;
        for (int j = 0; j < tables.length; j++) {
            powers[j] = power;
            power = power.mul(mu);
        }
        return combine(tables, n, powers);
    }

    /** Σ_j c_j·t̃_j over n variables for base tables t_j of n_j ≤ n variables, lifted as {@link #combine(long[][], int, Ext2)}. */
    static ExtVector combine(long[][] tables, int n, Ext2[] coefficients) {
        long[] c0 = new long[1 << n];
        long[] c1 = new long[1 << n];
        int[] shifts = Arrays.stream(tables).mapToInt(t -> n - Integer.numberOfTrailingZeros(t.length)).toArray();
        boolean firstCopied = coefficients[0].equals(Ext2.ONE);
        Parallelism.forEachChunk(1 << n, PARALLEL_CHUNK, (from, to) -> {
            if (firstCopied) {
                long[] first = tables[0];
                int s0 = shifts[0];
                for (int x = from; x < to; x++) {
                    c0[x] = first[x >>> s0];
                }
            }
            for (int j = firstCopied ? 1 : 0; j < tables.length; j++) {
                long[] t = tables[j];
                int s = shifts[j];
                long u0 = coefficients[j].c0();
                long u1 = coefficients[j].c1();
                for (int x = from; x < to; ) {
                    long v = t[x >>> s];
                    long p0 = BranchFree.mul(u0, v);
                    long p1 = BranchFree.mul(u1, v);
                    for (int end = Math.min(to, ((x >>> s) + 1) << s); x < end; x++) {
                        c0[x] = BranchFree.add(c0[x], p0);
                        c1[x] = BranchFree.add(c1[x], p1);
                    }
                }
            }
        });
        return new ExtVector(c0, c1);
    }

    /** The distinct leaves of a component's tree (of {@code fibres} leaves) that F's queries reach, ascending. */
    static int[] leaves(int[] queries, int fibres) {
        return Arrays.stream(queries).map(q -> q & (fibres - 1)).sorted().distinct().toArray();
    }

    /**
     * F's fibre q on its domain (2^logDomain points, folds of {@code fold}) as extension pairs: position p
     * is Σ_j μ^j·(component j's codeword at exponent e = q + p·2^(logDomain − fold)), read from the
     * component's opened leaf. {@code leaves[j]} and {@code fibres[j]} are component j's opened leaves
     * (ascending) and their values; {@code logDomains[j]}, {@code folds[j]} its first round's shape.
     */
    static long[] fibre(int q, int logDomain, int fold, Ext2[] muPowers, int[][] leaves, long[][][] fibres, int[] logDomains, int[] folds) {
        int size = 1 << fold;
        long[] out = new long[2 * size];
        for (int j = 0; j < muPowers.length; j++) {
            int logFibres = logDomains[j] - folds[j];
            int leaf = q & ((1 << logFibres) - 1);
            long[] values = fibres[j][Arrays.binarySearch(leaves[j], leaf)];
            long mu0 = muPowers[j].c0();
            long mu1 = muPowers[j].c1();
            for (int p = 0; p < size; p++) {
                long e = (q + ((long) p << (logDomain - fold))) & ((1L << logDomains[j]) - 1);
                long v = values[(int) (e >>> logFibres)];
                out[2 * p] = Goldilocks.add(out[2 * p], Goldilocks.mul(mu0, v));
                out[2 * p + 1] = Goldilocks.add(out[2 * p + 1], Goldilocks.mul(mu1, v));
            }
        }
        return out;
    }
}
