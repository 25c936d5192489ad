package dev.verinfer.whir;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a window mask (docs/proof-system.md, "A small per-proof mask for the registered weights", design (A), and
 * "Window-shaped per-proof masks: built, rank-tested, measured — backed out", branch zkprove26): g = Σ_i g_i, each g_i a dense
 * multilinear polynomial in the variables of window i = [a_i, a_i + w_i), i.e. g uniform on the span S of the monomials whose
 * variables lie within one window. The rank tests shape the built prover's g to it through {@link WhirProver.Deviation#mask}.
 *
 * @param vars    v
 * @param windows [start, end) each
 */
record WindowMask(int vars, List<int[]> windows) {
    /** log2 of the room each window leaves above its iteration's fold and queries (zkmask24's rank-tested margin). */
    static final int MARGIN = 3;

    /**
     * The windows of a member with schedule {@code own} (v variables) in a run of schedule {@code run} (V ≥ v variables, the
     * member's variables its highest: d = V − v, {@link Batching#lift}): iteration i folds the run's variables [K_i, K_i + k_i),
     * the member's [K_i − d, K_i + k_i − d), so its window is [max(0, K_i − d), K_i + k_i − d + ⌈log2 t_i⌉ + margin) ∩ [0, v),
     * t_i the run's queries; window 0 also holds the member's own leaf (its g is revealed on f′'s whole fibres of 2^k₀ values);
     * one window on the final polynomial's variables. With d = 0 and {@code own} the run's, zkmask24's rule.
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

    static WindowMask of(WhirSchedule own, WhirSchedule run) {
        return new WindowMask(own.numVars(), windows(own, run, MARGIN));
    }

    static int ceilLog2(long x) {
        return x <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(x - 1);
    }

    /** Whether coefficient {@code index} (its bits the variables of its monomial) is in S. */
    boolean supports(int index) {
        for (int[] w : windows) {
            int bits = (int) (((1L << w[1]) - 1) & ~((1L << w[0]) - 1));
            if ((index & ~bits) == 0) {
                return true;
            }
        }
        return false;
    }
}
