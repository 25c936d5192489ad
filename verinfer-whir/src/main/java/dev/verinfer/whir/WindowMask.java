package dev.verinfer.whir;

import dev.verinfer.dft.Ntt;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;

import java.util.ArrayList;
import java.util.List;

/**
 * A window-shaped per-opening mask g of v variables (docs/proof-system.md, "A small per-proof mask for the registered weights",
 * design (A), and "Window-shaped per-proof masks", branch zkprove26): g = Σ_i g_i, each g_i a dense multilinear polynomial in
 * the variables of window i = [a_i, a_i + w_i), i.e. g uniform on the span S of the monomials whose variables lie within one
 * window. zkmask24's rule places one window per iteration of f′'s schedule — [K_i, K_i + k_i + ⌈log2 t_i⌉ + 3), K_i the
 * variables folded before it, k_i its fold, t_i its queries — and one on the final polynomial's variables; its rank test
 * ({@code WhirWindowMaskZeroKnowledgeTest}) shows such a g gains nothing on f′ where a full g gains nothing; a member of a
 * batched run under a larger top takes the run's folds on its own variables ({@link #windows(WhirSchedule, WhirSchedule, int)},
 * rank-tested in {@code WhirBatchedZeroKnowledgeTest}).
 *
 * <p>Only the prover's draw changes: g's codeword, tree, values and leaves are formed and sent as for a full g, so the
 * verifier and the proof format are unchanged. What it saves is g's encoding: ĝ(X) = Σ_i P_i(X^(2^a_i)) with deg P_i < 2^w_i,
 * so ĝ on the 2^L-point domain is Σ_i of P_i on the subgroup of 2^(L − a_i) points, repeated — window 0 (a_0 = 0) an NTT of
 * 2^L points whose first L − w_0 stages are copies ({@link Ntt#forwardPadded}), the others 2^a_i times smaller — where the
 * dense g's encoding runs all v stages.
 *
 * @param vars    v
 * @param windows [start, end) each, start 0 first
 */
record WindowMask(int vars, List<int[]> windows) {
    /** log2 of the room each window leaves above its iteration's fold and queries (zkmask24's rank-tested margin). */
    static final int MARGIN = 3;

    /** zkmask24's windows for f′'s schedule {@code s}, at {@code margin}: its own run's. */
    static List<int[]> windows(WhirSchedule s, int margin) {
        return windows(s, s, margin);
    }

    /**
     * The windows of a member with schedule {@code own} (v variables) in a run of schedule {@code run} (V ≥ v variables, the
     * member's variables its highest: d = V − v, {@link Batching#lift}): iteration i folds the run's variables [K_i, K_i + k_i),
     * the member's [K_i − d, K_i + k_i − d), so its window is [max(0, K_i − d), K_i + k_i − d + ⌈log2 t_i⌉ + margin) ∩ [0, v),
     * t_i the run's queries; window 0 also holds the member's own leaf (g_j is revealed on f′_j's whole fibres of 2^k₀_j
     * values, k₀_j ≥ k₀ − d: {@link HidingBatch#fits}); one window on the final polynomial's variables. With d = 0 and
     * {@code own} the run's, zkmask24's rule.
     */
    static List<int[]> windows(WhirSchedule own, WhirSchedule run, int margin) {
        List<int[]> out = new ArrayList<>();
        int v = own.numVars();
        int d = run.numVars() - v;
        int start = 0;
        for (int i = 0; i < run.rounds().size(); i++) {
            WhirSchedule.Round r = run.rounds().get(i);
            int t = Math.min(r.queries(), r.fibres());
            int top = start + r.fold() - d;
            if (i == 0) {
                top = Math.max(top, own.rounds().getFirst().fold());
            }
            int from = Math.max(0, start - d);
            int to = Math.min(v, top + ceilLog2(t) + margin);
            if (from < to) {
                out.add(new int[] {from, to});
            }
            start += r.fold();
        }
        out.add(new int[] {Math.max(0, v - run.finalVars()), v});
        return out;
    }

    static WindowMask of(WhirSchedule s) {
        return of(s, s);
    }

    static WindowMask of(WhirSchedule own, WhirSchedule run) {
        return new WindowMask(own.numVars(), windows(own, run, MARGIN));
    }

    static int ceilLog2(long x) {
        return x <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(x - 1);
    }

    /** Bits of window i's variables. */
    private int bits(int i) {
        int[] w = windows.get(i);
        return (int) (((1L << w[1]) - 1) & ~((1L << w[0]) - 1));
    }

    /** Whether coefficient {@code index} (its bits the variables of its monomial) is in S. */
    boolean supports(int index) {
        for (int i = 0; i < windows.size(); i++) {
            if ((index & ~bits(i)) == 0) {
                return true;
            }
        }
        return false;
    }

    /** |S|: the monomials within one window (inclusion–exclusion: windows are intervals, so each intersection is one). */
    long monomials() {
        long total = 0;
        for (int set = 1; set < 1 << windows.size(); set++) {
            int lo = 0;
            int hi = vars;
            for (int i = 0; i < windows.size(); i++) {
                if ((set >>> i & 1) == 1) {
                    lo = Math.max(lo, windows.get(i)[0]);
                    hi = Math.min(hi, windows.get(i)[1]);
                }
            }
            long cube = 1L << Math.max(0, hi - lo);
            total += Integer.bitCount(set) % 2 == 1 ? cube : -cube;
        }
        return total;
    }

    /**
     * Whether a window mask hides an opening of f′ with schedule {@code own} in a run of schedule {@code run} revealing
     * {@code functionals} values of g ({@link HidingLayout#maskFunctionals} with the run's points and leaves): the member sits
     * under the run's top (v ≤ V, its leaves holding whole fibres of the run's first fold) and S has room for the count.
     */
    static boolean hides(WhirSchedule own, WhirSchedule run, long functionals) {
        int d = run.numVars() - own.numVars();
        return d >= 0 && d + own.rounds().getFirst().fold() >= run.rounds().getFirst().fold() && own.parameters().equals(run.parameters())
                && functionals <= of(own, run).monomials();
    }

    /** A uniformly random g on S: Σ_i of a uniform dense polynomial on each window (A·C with C uniform is uniform on S, A onto S). */
    long[] draw(MaskStream random) {
        long[] g = new long[1 << vars];
        for (int i = 0; i < windows.size(); i++) {
            int[] w = windows.get(i);
            long[] c = random.fields(1 << (w[1] - w[0]));
            for (int j = 0; j < c.length; j++) {
                int at = j << w[0];
                g[at] = Goldilocks.add(g[at], c[j]);
            }
        }
        return g;
    }

    /**
     * ĝ's codeword on the subgroup of 2^logDomain points, natural order, for g's dense coefficients on S: each coefficient is
     * given to the first window holding it, P_i evaluated on the subgroup of 2^(logDomain − a_i) points (ω_L^(2^a) is
     * ω_(L−a)) and added at every x ≡ m. Null when g has a coefficient off S (a deviation's): the caller encodes densely.
     */
    long[] encode(long[] g, int logDomain) {
        for (int index = 0; index < g.length; index++) {
            if (g[index] != 0 && !supports(index)) {
                return null;
            }
        }
        long[] out = null;
        List<long[]> parts = new ArrayList<>();
        List<Integer> logs = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            int[] w = windows.get(i);
            long[] p = new long[1 << (w[1] - w[0])];
            boolean any = false;
            for (int j = 0; j < p.length; j++) {
                int at = j << w[0];
                if (i > 0 && covered(at, i)) {
                    continue;
                }
                p[j] = g[at];
                any |= p[j] != 0;
            }
            if (!any && i > 0) {
                continue;
            }
            long[] e = Ntt.forwardPadded(p, logDomain - w[0]);
            if (w[0] == 0 && out == null) {
                out = e;
            } else {
                parts.add(e);
                logs.add(logDomain - w[0]);
            }
        }
        long[] result = out != null ? out : new long[1 << logDomain];
        Parallelism.forEachChunk(result.length, 1 << 14, (from, to) -> {
            for (int k = 0; k < parts.size(); k++) {
                long[] e = parts.get(k);
                int mask = (1 << logs.get(k)) - 1;
                for (int x = from; x < to; x++) {
                    result[x] = Goldilocks.add(result[x], e[x & mask]);
                }
            }
        });
        return result;
    }

    /** Whether coefficient {@code index} lies within one of the windows before {@code i}. */
    private boolean covered(int index, int i) {
        for (int k = 0; k < i; k++) {
            if ((index & ~bits(k)) == 0) {
                return true;
            }
        }
        return false;
    }
}
