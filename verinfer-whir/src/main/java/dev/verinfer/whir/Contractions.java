package dev.verinfer.whir;

import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtMath;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;
import dev.verinfer.poly.Mle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Iteration 0 of a batched run from contractions of its base tables, without F's or the weight's table over V variables.
 *
 * <p>F = Σ_t κ_t·T̃_t over V variables, each T_t a base table of n_t variables lifted as {@link Batching} lifts
 * (T̃_t[x] = T_t[x >> d_t], d_t = V − n_t), and the weight w = Σ_c β^c·eq(p_c, ·). Write x = (b, x′), b the k₀ lowest
 * variables (those iteration 0 binds, {@link FoldKernels#fold}) and x′ the rest, and each point p_c = (lo_c, hi_c) alike, so
 * eq(p_c, x) = eq(lo_c, b)·eq(hi_c, x′). With the contractions
 * <pre>  S_{c,t}(b) = Σ_{x′} T̃_t[b, x′]·eq(hi_c, x′)      (2^k₀ values per point and table)</pre>
 * T̃_t(p_c) = Σ_b eq(lo_c, b)·S_{c,t}(b) (a batch's cross values), and with Ŝ_c = Σ_t κ_t·S_{c,t}, multilinear in b, iteration 0's
 * sumcheck is the one over Σ_c Σ_b β^c·eq(lo_c, b)·Ŝ_c(b): every message h(X) = Σ_x F(α, X, x)·w(α, X, x) of the tables over V
 * variables is Σ_c Σ_{b″} β^c·eq(lo_c, (α, X, b″))·Ŝ_c(α, X, b″), on tables of 2^k₀ entries per point. After the k₀ rounds
 * F₁ = F(α, ·) is one pass over the tables, and w₁ = Σ_c β^c·eq(lo_c, α)·eq(hi_c, ·) has 2^(V−k₀) entries. The same field
 * elements as the tables' run; the cost is two base products per table entry and point (a point's entries only: those of
 * its hi's {@link Batching.Block}), where the tables' run combines F, builds w's eq tables, passes over both in the sumcheck
 * and evaluates every member at every other member's points. {@link #cheaper} chooses (docs/proof-system.md, "Iteration 0 of a
 * hiding batch from contractions").
 */
final class Contractions {
    /** Rows per parallel chunk of a contraction or of F₁'s pass. */
    private static final int ROW_CHUNK = 1 << 8;
    /** log₂ of the rows summed against the low eq table before one product by the high entry ({@link #contract}). */
    private static final int INNER_BITS = 8;
    private static final long LOW32 = 0xFFFF_FFFFL;

    private final int vars;
    private final int fold;
    private final long[][] tables;
    private final List<Ext2[]> points = new ArrayList<>();
    /** S_{c,t}(b) at [c][t]: 2^k₀ values. */
    private final List<Ext2[][]> s = new ArrayList<>();
    /** eq(lo_c, ·) at [c]: 2^k₀ values. */
    private final List<ExtVector> lows = new ArrayList<>();

    /** No point yet: points are {@link #add added} in groups (a group's points of one block in one pass over the tables). */
    Contractions(long[][] tables, int vars, int fold) {
        this.vars = vars;
        this.fold = fold;
        this.tables = tables;
    }

    /**
     * Whether this iteration 0 is the cheaper: its base products — two per table entry a point's hi reads, and F₁'s pass — at
     * two thirds of the cost of the tables' run's ones (F's combination, two per table and entry of V; the weight, three per
     * entry of each point's block; the sumcheck's passes over F and w, about twelve per entry of V; the cross values, two per
     * entry each member's table has in another member's point's block), whose products carry their low words
     * ({@link FoldKernels#mac}) where {@link #addProducts} sums two rows' limbs without carries (measured: 1.85 against 2.7 ns a
     * product on one core). hey_mycroft_v0.1's run (V = 19, eight points on all of it, six tables): 32.3 against 32.2 million —
     * contracted, 44 against 67 ms ({@code IterationZeroBench}); a weight bounds proof's (V = 23, 33 points): 1.40 against 0.83 billion,
     * the tables.
     */
    static boolean cheaper(int[] tableVars, int[] owners, List<Ext2[]> points, int vars, int fold) {
        long contracted = 0;
        long tables = 12L << vars;
        for (int n : tableVars) {
            contracted += 2L << n;
            tables += 2L << vars;
        }
        for (int c = 0; c < points.size(); c++) {
            Ext2[] p = points.get(c);
            Batching.Block hi = Batching.Block.of(Arrays.copyOfRange(p, fold, vars));
            Batching.Block whole = Batching.Block.of(p);
            tables += 3L << (whole.to() - whole.from());
            for (int t = 0; t < tableVars.length; t++) {
                int d = vars - tableVars[t];
                if (d <= fold) {
                    contracted += 2L << (hi.to() - hi.from() + fold - d);
                }
                if (t / 2 != owners[c]) {
                    tables += 2L << Math.max(0, Math.min(tableVars[t], whole.to() - whole.from()));
                }
            }
        }
        return 2 * contracted < 3 * tables;
    }

    /** The contractions of every table at every point (lifted, {@code vars} coordinates), for a first fold of {@code fold} variables. */
    static Contractions of(long[][] tables, List<Ext2[]> points, int vars, int fold) {
        Contractions c = new Contractions(tables, vars, fold);
        c.add(points);
        return c;
    }

    /** The contractions of every table at these points (lifted), numbered from the count so far, which it returns. */
    int add(List<Ext2[]> added) {
        return add(added, Map.of());
    }

    /**
     * {@link #add(List)}, with some tables' contractions at these points known ({@code known.get(t)[c]}: S_{c,t}, 2^k₀ values,
     * made ahead by {@link #at}): those tables are not read.
     */
    int add(List<Ext2[]> added, Map<Integer, Ext2[][]> known) {
        int first = points.size();
        int size = 1 << fold;
        Ext2[][][] s = new Ext2[added.size()][tables.length][];
        Map<Batching.Block, List<Integer>> byBlock = new LinkedHashMap<>();
        Ext2[][] highs = new Ext2[added.size()][];
        for (int c = 0; c < added.size(); c++) {
            Ext2[] p = added.get(c);
            points.add(p);
            lows.add(Mle.eqTable(Arrays.copyOf(p, fold)));
            highs[c] = Arrays.copyOfRange(p, fold, vars);
            byBlock.computeIfAbsent(Batching.Block.of(highs[c]), k -> new ArrayList<>()).add(c);
        }
        List<Integer> wide = new ArrayList<>();
        for (int t = 0; t < tables.length; t++) {
            int n = Integer.numberOfTrailingZeros(tables[t].length);
            Ext2[][] given = known.get(t);
            if (given != null) {
                if (given.length != added.size() || vars != n) {
                    throw new IllegalArgumentException("contractions made ahead for " + given.length + " points of a table over " + vars + " variables");
                }
                for (int c = 0; c < added.size(); c++) {
                    if (given[c].length != size) {
                        throw new IllegalArgumentException("a contraction made ahead of " + given[c].length + " values for a first fold of " + fold);
                    }
                    s[c][t] = given[c];
                }
                continue;
            }
            if (vars - n <= fold) {
                wide.add(t);
                continue;
            }
            // T̃_t[b, x′] = T_t[x′ >> (d − k₀)] whatever b is: S_{c,t}(b) = T_t at hi_c's last n coordinates.
            Batching.Evaluator at = new Batching.Evaluator(tables[t]);
            for (int c = 0; c < added.size(); c++) {
                Ext2[] value = new Ext2[size];
                Arrays.fill(value, at.at(Batching.tail(highs[c], n)));
                s[c][t] = value;
            }
        }
        for (Map.Entry<Batching.Block, List<Integer>> group : byBlock.entrySet()) {
            List<Integer> cs = group.getValue();
            Ext2[][][] rows = contract(tables, wide, vars, fold, group.getKey(), cs.stream().map(c -> highs[c]).toList());
            for (int i = 0; i < wide.size(); i++) {
                int t = wide.get(i);
                int d = vars - Integer.numberOfTrailingZeros(tables[t].length);
                for (int k = 0; k < cs.size(); k++) {
                    Ext2[] value = new Ext2[size];
                    for (int b = 0; b < size; b++) {
                        value[b] = rows[i][k][b >> d]; // T̃_t[b, x′] = T_t[x′·2^(k₀−d) + (b >> d)]
                    }
                    s[cs.get(k)][t] = value;
                }
            }
        }
        this.s.addAll(Arrays.asList(s));
        return first;
    }

    /**
     * The contractions S_c(b) of one table over {@code vars} variables (not lifted) at these points, for a first fold of
     * {@code fold}: what {@link #add(List, Map)} takes as known — for a table and points fixed ahead of a proof (a reusable
     * commitment's f′, or its per-proof g, at f′'s commit-time out-of-domain points).
     */
    static Ext2[][] at(long[] table, List<Ext2[]> points, int vars, int fold) {
        Contractions one = of(new long[][] {table}, points, vars, fold);
        Ext2[][] out = new Ext2[points.size()][];
        for (int c = 0; c < out.length; c++) {
            out[c] = one.s.get(c)[0];
        }
        return out;
    }

    /**
     * For each table of {@code wide} (lifted by d ≤ k₀: rows of width 2^(k₀−d)) and each point k of one hi block (q_k its free
     * coordinates): Σ_y T[(offset + y·stride)·width + b]·eq(q_k, y) for each b < width, in one pass over the block's rows —
     * two base products per entry and point. The eq factor is split (variable j is bit j of y): eq(q, y) = eq(q_lo, y mod 2^m)·
     * eq(q_hi, y >> m), so the rows of each run of 2^m are summed unreduced against the small low table and the run's sum, reduced,
     * is multiplied once by its high entry — 2^m + 2^(n−m) eq values a point instead of the 2^n-entry table.
     */
    private static Ext2[][][] contract(long[][] tables, List<Integer> wide, int vars, int fold, Batching.Block block, List<Ext2[]> his) {
        int count = his.size();
        int free = block.to() - block.from();
        int m = Math.min(free, INNER_BITS);
        long[][] l0 = new long[count][];
        long[][] l1 = new long[count][];
        long[][] h0 = new long[count][];
        long[][] h1 = new long[count][];
        for (int k = 0; k < count; k++) {
            Ext2[] q = block.free(his.get(k));
            ExtVector lo = Mle.eqTable(Arrays.copyOf(q, m));
            ExtVector hi = Mle.eqTable(Arrays.copyOfRange(q, m, free));
            l0[k] = lo.c0();
            l1[k] = lo.c1();
            h0[k] = hi.c0();
            h1[k] = hi.c1();
        }
        int inner = 1 << m;
        int runs = 1 << (free - m);
        int offset = block.offset();
        int stride = block.stride();
        long[][] rowsOf = wide.stream().map(t -> tables[t]).toArray(long[][]::new);
        int[] widths = new int[wide.size()];
        int[] starts = new int[wide.size() + 1];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = 1 << (fold - vars + Integer.numberOfTrailingZeros(rowsOf[i].length));
            starts[i + 1] = starts[i] + 8 * count * widths[i];
        }
        int limbs = starts[widths.length];
        // Per run: its rows in pairs (each accumulator read and written once per two products of a coordinate), then its sums
        // reduced and weighed by the high eq entry into the chunk's (c0, c1) totals, at half the limbs' index.
        List<long[]> parts = Parallelism.mapChunks(runs, Math.max(1, 2 * ROW_CHUNK / inner), (from, to) -> {
            long[] acc = new long[limbs];
            long[] total = new long[limbs / 4];
            for (int h = from; h < to; h++) {
                Arrays.fill(acc, 0);
                for (int y = 0; y < inner; y += 2) {
                    boolean two = y + 1 < inner;
                    int row = offset + (h * inner + y) * stride;
                    for (int i = 0; i < widths.length; i++) {
                        long[] table = rowsOf[i];
                        int width = widths[i];
                        int base = row * width;
                        int next = two ? base + stride * width : base;
                        for (int k = 0, at = starts[i]; k < count; k++) {
                            long a0 = l0[k][y];
                            long a1 = l1[k][y];
                            long b0 = two ? l0[k][y + 1] : 0;
                            long b1 = two ? l1[k][y + 1] : 0;
                            for (int b = 0; b < width; b++, at += 8) {
                                long u = table[base + b];
                                long v = table[next + b];
                                addProducts(acc, at, u, a0, v, b0);
                                addProducts(acc, at + 4, u, a1, v, b1);
                            }
                        }
                    }
                }
                for (int i = 0; i < widths.length; i++) {
                    for (int k = 0, at = starts[i]; k < count; k++) {
                        long g0 = h0[k][h];
                        long g1 = h1[k][h];
                        for (int b = 0; b < widths[i]; b++, at += 8) {
                            long c0 = reduce(acc, at);
                            long c1 = reduce(acc, at + 4);
                            int o = at / 4;
                            total[o] = BranchFree.add(total[o], ExtMath.mulC0(c0, c1, g0, g1));
                            total[o + 1] = BranchFree.add(total[o + 1], ExtMath.mulC1(c0, c1, g0, g1));
                        }
                    }
                }
            }
            return total;
        });
        Ext2[][][] out = new Ext2[widths.length][count][];
        for (int i = 0; i < widths.length; i++) {
            for (int k = 0, at = starts[i]; k < count; k++) {
                out[i][k] = new Ext2[widths[i]];
                for (int b = 0; b < widths[i]; b++, at += 8) {
                    long c0 = 0;
                    long c1 = 0;
                    for (long[] total : parts) {
                        c0 = BranchFree.add(c0, total[at / 4]);
                        c1 = BranchFree.add(c1, total[at / 4 + 1]);
                    }
                    out[i][k][b] = new Ext2(c0, c1);
                }
            }
        }
        return out;
    }

    /**
     * acc[at..at + 3] += u·a + v·b as the sums of the 128-bit products' four 32-bit limbs, by weight 2^0, 2^32, 2^64 and 2^96:
     * no carry to detect (a limb is below 2^32, so 2^30 pairs fit), where {@link FoldKernels#mac}'s carried low word costs the
     * contraction, which is bound by these operations, a third more time.
     */
    private static void addProducts(long[] acc, int at, long u, long a, long v, long b) {
        long p = u * a;
        long ph = Math.unsignedMultiplyHigh(u, a);
        long q = v * b;
        long qh = Math.unsignedMultiplyHigh(v, b);
        acc[at] += (p & LOW32) + (q & LOW32);
        acc[at + 1] += (p >>> 32) + (q >>> 32);
        acc[at + 2] += (ph & LOW32) + (qh & LOW32);
        acc[at + 3] += (ph >>> 32) + (qh >>> 32);
    }

    /** Σ_i acc[at + i]·2^(32i) mod p for {@link #addProducts}' sums. */
    private static long reduce(long[] acc, int at) {
        long a = acc[at];
        long b = acc[at + 1];
        long lo = a + (b << 32);
        long carry = Long.compareUnsigned(lo, a) < 0 ? 1 : 0;
        return BranchFree.reduceSplit(lo, (b >>> 32) + carry + acc[at + 2], acc[at + 3]);
    }

    /** T̃_t(p_c): Σ_b eq(lo_c, b)·S_{c,t}(b). */
    Ext2 value(int c, int t) {
        Ext2[] sc = s.get(c)[t];
        Ext2 v = Ext2.ZERO;
        for (int b = 0; b < sc.length; b++) {
            v = v.add(lows.get(c).get(b).mul(sc[b]));
        }
        return v;
    }

    /** Iteration 0's sumcheck on F = Σ_t κ_t·T̃_t and w = Σ_c β^c·eq(p_c, ·). */
    Sumcheck sumcheck(Ext2[] kappa, Ext2 beta) {
        if (kappa.length != tables.length) {
            throw new IllegalArgumentException(kappa.length + " coefficients for " + tables.length + " tables");
        }
        // The points' tables side by side, point c at [c·2^k₀, (c + 1)·2^k₀): binding the lowest variable pairs entries of one
        // point only, so FoldKernels' message and fold over the whole vector are the sums over the points.
        int size = 1 << fold;
        ExtVector sHat = ExtVector.zeros(points.size() * size);
        ExtVector w = ExtVector.zeros(points.size() * size);
        Ext2 scale = Ext2.ONE;
        for (int c = 0; c < points.size(); c++) {
            for (int b = 0; b < size; b++) {
                Ext2 f = Ext2.ZERO;
                for (int t = 0; t < tables.length; t++) {
                    f = f.add(kappa[t].mul(s.get(c)[t][b]));
                }
                sHat.set(c * size + b, f);
                w.set(c * size + b, scale.mul(lows.get(c).get(b)));
            }
            scale = scale.mul(beta);
        }
        return new Sumcheck(kappa, sHat, w);
    }

    /** The state of iteration 0's sumcheck: Ŝ_c and β^c·eq(lo_c, ·) for every point, with the challenges so far bound. */
    final class Sumcheck {
        private final Ext2[] kappa;
        private ExtVector sHat;
        private ExtVector w;
        private final List<Ext2> alphas = new ArrayList<>();

        private Sumcheck(Ext2[] kappa, ExtVector sHat, ExtVector w) {
            this.kappa = kappa;
            this.sHat = sHat;
            this.w = w;
        }

        /** (h(0), h(2)) of the next round: h(X) = Σ_c Σ_{b″} Ŝ_c(X, b″)·w_c(X, b″), X the lowest unbound variable. */
        Ext2[] message() {
            return FoldKernels.message(sHat, w);
        }

        /** Binds the lowest unbound variable to α. */
        void bind(Ext2 alpha) {
            alphas.add(alpha);
            FoldKernels.Step step = FoldKernels.fold(null, sHat, w, alpha, false);
            sHat = step.f();
            w = step.w();
        }

        /** w₁ = Σ_c β^c·eq(lo_c, α)·eq(hi_c, ·) over the V − k₀ unbound variables, once all k₀ are bound. */
        ExtVector weight() {
            requireBound();
            List<Ext2[]> his = new ArrayList<>();
            List<Ext2> scales = new ArrayList<>();
            for (int c = 0; c < points.size(); c++) {
                his.add(Arrays.copyOfRange(points.get(c), fold, vars));
                scales.add(w.get(c));
            }
            return Batching.constraintWeight(his, scales, vars - fold);
        }

        /**
         * F₁ = F(α, ·) over the V − k₀ unbound variables, once all k₀ are bound: for a table lifted by d ≤ k₀,
         * Σ_b eq(α, b)·T̃_t[b, x′] = Σ_{b″} eq(α_{≥d}, b″)·T_t[x′·2^(k₀−d) + b″] (the low d challenges' eq sums to 1); for d > k₀,
         * T_t[x′ >> (d − k₀)].
         */
        ExtVector folded() {
            requireBound();
            int rows = 1 << (vars - fold);
            List<Integer> wide = new ArrayList<>();
            List<Integer> lifted = new ArrayList<>();
            long[][] co0 = new long[tables.length][];
            long[][] co1 = new long[tables.length][];
            for (int t = 0; t < tables.length; t++) {
                int d = vars - Integer.numberOfTrailingZeros(tables[t].length);
                if (d > fold) {
                    lifted.add(t);
                    continue;
                }
                wide.add(t);
                ExtVector e = Mle.eqTable(alphas.subList(d, fold).toArray(Ext2[]::new), kappa[t]);
                co0[t] = e.c0();
                co1[t] = e.c1();
            }
            ExtVector out = ExtVector.zeros(rows);
            long[] o0 = out.c0();
            long[] o1 = out.c1();
            Parallelism.forEachChunk(rows, ROW_CHUNK, (from, to) -> {
                long[] acc = new long[6];
                for (int x = from; x < to; x++) {
                    Arrays.fill(acc, 0);
                    for (int t : wide) {
                        long[] table = tables[t];
                        long[] a0 = co0[t];
                        long[] a1 = co1[t];
                        int width = a0.length;
                        for (int b = 0, at = x * width; b < width; b++, at++) {
                            FoldKernels.mac(acc, 0, table[at], a0[b]);
                            FoldKernels.mac(acc, 3, table[at], a1[b]);
                        }
                    }
                    long c0 = BranchFree.reduceSplit(acc[0], acc[1], acc[2]);
                    long c1 = BranchFree.reduceSplit(acc[3], acc[4], acc[5]);
                    for (int t : lifted) {
                        int shift = vars - Integer.numberOfTrailingZeros(tables[t].length) - fold;
                        long u = tables[t][x >> shift];
                        c0 = Goldilocks.add(c0, Goldilocks.mul(kappa[t].c0(), u));
                        c1 = Goldilocks.add(c1, Goldilocks.mul(kappa[t].c1(), u));
                    }
                    o0[x] = c0;
                    o1[x] = c1;
                }
            });
            return out;
        }

        private void requireBound() {
            if (alphas.size() != fold) {
                throw new IllegalStateException(alphas.size() + " of " + fold + " variables bound");
            }
        }
    }
}
