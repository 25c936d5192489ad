package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.pcs.PcsClaim;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.verinfer.whir.WhirPcsTest.randomTable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A per-opening mask g of a reusable hiding commitment with far fewer random coefficients than 2^v (design, not built; see
 * docs/proof-system.md, "A small per-proof mask for the registered weights"): g = Σ_i g_i, each g_i a dense multilinear
 * polynomial in one window of variables — iteration i's folded variables and about log2(t_i) + 3 above them — and one
 * window on the final polynomial's variables. The opening is made by the built prover with g's coefficients off the windows set to zero ({@link WhirProver.Deviation#mask}); the rows
 * ({@link WhirOpeningExtractor}) are checked on the true unknowns, and g's zero coefficients leave the nuisance columns.
 * The measure is the masked half of the argument (item 4): the rows that touch g may gain nothing on all of f′ (f's and
 * ĥ's coefficients) beyond the claims and f′'s own rows (its iteration-0 leaves and answers, which ĥ covers within the
 * budget) — so it does not lean on ĥ's slack in a test with fewer openings than the budget.
 */
class WhirWindowMaskZeroKnowledgeTest {
    /** The windows [start, end) of g's variables: one per iteration (its fold and log t above), one on the final variables. */
    static List<int[]> windows(WhirSchedule s, int margin) {
        List<int[]> out = new ArrayList<>();
        int v = s.numVars();
        int start = 0;
        for (int i = 0; i < s.rounds().size(); i++) {
            WhirSchedule.Round r = s.rounds().get(i);
            int t = Math.min(r.queries(), r.fibres());
            int width = r.fold() + ceilLog2(t) + margin;
            out.add(new int[] {start, Math.min(v, start + Math.max(0, width))});
            start += s.rounds().get(i).fold();
        }
        out.add(new int[] {v - s.finalVars(), v});
        return out;
    }

    static int ceilLog2(int x) {
        return x <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(x - 1);
    }

    /** Coefficient i is in g's support when its bits lie within one window. */
    /** The design's margin: log2 of the room each window leaves above its iteration's fold and queries. */
    static final int MARGIN = 3;

    static long dimension(int v, List<int[]> windows) {
        long dim = 0;
        for (boolean b : support(v, windows)) {
            dim += b ? 1 : 0;
        }
        return dim;
    }

    static boolean[] support(int v, List<int[]> windows) {
        boolean[] in = new boolean[1 << v];
        for (int i = 0; i < in.length; i++) {
            for (int[] w : windows) {
                int inside = ((1 << w[1]) - 1) & ~((1 << w[0]) - 1);
                if ((i & ~inside) == 0) {
                    in[i] = true;
                }
            }
        }
        return in;
    }

    static WhirZeroKnowledgeTest.Opening open(WhirParameters params, WhirHidingCommitment c, long[] table, int points, boolean[] support, SplittableRandom rng) throws Exception {
        WhirZeroKnowledgeTest.Opening built = WhirZeroKnowledgeTest.open(params, c, table, points, support, rng);
        List<WhirOpeningExtractor.Row> rows = built.rows();
        long[] f = c.coefficients;
        // g's coefficients off the support are known zeros: their columns are dropped.
        List<WhirOpeningExtractor.Row> restricted = new ArrayList<>();
        for (WhirOpeningExtractor.Row row : rows) {
            long[] c0 = row.c0().clone();
            long[] c1 = row.c1().clone();
            for (int i = 0; i < f.length; i++) {
                if (!support[i]) {
                    c0[f.length + i] = 0;
                    c1[f.length + i] = 0;
                }
            }
            restricted.add(new WhirOpeningExtractor.Row(row.what(), c0, c1, row.value()));
        }
        return new WhirZeroKnowledgeTest.Opening(restricted, built.unknowns(), built.claims(), built.coins(), built.group());
    }

    /**
     * Rank the rows that touch g gain on all of f′ (2^v coefficients, f's and ĥ's) beyond the claims and the rows of f′ alone
     * (its iteration-0 leaves and answers, which ĥ covers within the budget): the masked part of the argument, whatever slack
     * ĥ has. g's support columns are the nuisance.
     */
    static int rankGainedOnTable(int vars, List<WhirZeroKnowledgeTest.Opening> openings, boolean[] support) {
        int size = 1 << vars;
        int[] column = new int[size];
        int dim = 0;
        for (int i = 0; i < size; i++) {
            column[i] = support[i] ? dim++ : -1;
        }
        int nuisance = openings.size() * dim;
        WhirZeroKnowledgeTest.Echelon all = new WhirZeroKnowledgeTest.Echelon(nuisance, size);
        WhirZeroKnowledgeTest.Echelon statement = new WhirZeroKnowledgeTest.Echelon(nuisance, size);
        for (int o = 0; o < openings.size(); o++) {
            List<long[]> rows = new ArrayList<>();
            List<Boolean> alone = new ArrayList<>();
            for (PcsClaim c : openings.get(o).claims()) {
                Ext2[] mono = WhirOpeningExtractor.monomials(HidingOpening.embed(c.point(), vars));
                long[] re = new long[nuisance + size];
                long[] im = new long[nuisance + size];
                for (int i = 0; i < size; i++) {
                    re[nuisance + i] = mono[i].c0();
                    im[nuisance + i] = mono[i].c1();
                }
                rows.add(re);
                rows.add(im);
                alone.add(true);
                alone.add(true);
            }
            for (WhirOpeningExtractor.Row row : openings.get(o).rows()) {
                boolean touchesG = false;
                for (int i = size; i < 2 * size; i++) {
                    touchesG |= row.c0()[i] != 0 || row.c1()[i] != 0;
                }
                for (long[] part : new long[][] {row.c0(), row.c1()}) {
                    long[] r = new long[nuisance + size];
                    for (int i = 0; i < part.length; i++) {
                        if (part[i] != 0) {
                            if (i < size) {
                                r[nuisance + i] = part[i];
                            } else if (column[i - size] >= 0) {
                                r[o * dim + column[i - size]] = part[i];
                            }
                        }
                    }
                    rows.add(r);
                    alone.add(!touchesG);
                }
            }
            for (int k = 0; k < rows.size(); k++) {
                all.add(rows.get(k).clone());
                if (alone.get(k)) {
                    statement.add(rows.get(k));
                }
            }
        }
        return all.privateRank - statement.privateRank;
    }

    /**
     * At the tiny parameters (v = 10–11, budget 40), one opening with 2 claims: the window mask of margin 3 (iteration i's
     * window is its fold, log2 t_i and 3 more variables) gains nothing on f′ beyond f′'s own rows and the claims, as the built
     * full g does (until g's leaves were f′'s own, both gained 2 base functionals on some draws: the fold of an unopened
     * f′-fibre of a wide g leaf — {@link #aMaskLeafRevealsNoUnopenedFibreOfTheTable}). Without a
     * window on iteration 0's folded variables, or with that window moved up by the leaves' fold (periodic on the leaves), or
     * with a margin of 0 (too few coefficients for the count), it gains more: 26–100 in the probes.
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void aWindowMaskGainsNoRankWhereAPeriodicOrMissingFirstWindowDoes(WhirParameters.Soundness soundness) throws Exception {
        WhirParameters params = WhirZeroKnowledgeTest.tiny(soundness);
        WhirPcs pcs = new WhirPcs(params);
        SplittableRandom rng = new SplittableRandom(40 + soundness.ordinal());
        int n = 4;
        long[] table = randomTable(n, rng);
        WhirHidingCommitment c = (WhirHidingCommitment) pcs.commitHiding(table, 40, new SplittableRandom(7 + n));
        WhirSchedule s = c.schedule;
        int v = c.layout.vars();
        assertTrue(v <= 11, c.layout.toString());
        String what = soundness + ", " + c.layout;
        List<int[]> windows = windows(s, MARGIN);
        System.err.println(what + ": windows of dimension " + dimension(v, windows) + ", maskFunctionals " + HidingLayout.maskFunctionals(s, 2));
        int full = gained(params, c, table, s, List.of(new int[] {0, v}), rng);
        int window = gained(params, c, table, s, windows, rng);
        System.err.println(what + ": gained with the built full g " + full + ", with the window mask " + window);
        assertTrue(full == 0 && window == 0, "neither the built g nor the window mask gains rank, " + what);
        List<int[]> missing = new ArrayList<>(windows);
        missing.removeFirst();
        assertTrue(gained(params, c, table, s, missing, rng) > 2, "no window on iteration 0's fold, " + what);
        List<int[]> periodic = new ArrayList<>(windows);
        int[] first = periodic.removeFirst();
        int shift = s.rounds().getFirst().fold();
        periodic.addFirst(new int[] {first[0] + shift, Math.min(v, first[1] + shift)});
        assertTrue(gained(params, c, table, s, periodic, rng) > 2, "window 0 above the leaves' fold, " + what);
        assertTrue(gained(params, c, table, s, windows(s, 0), rng) > 2, "margin 0, " + what);
    }

    /**
     * The regression test of the wide-leaf leak (docs/proof-system.md, item 4, "The mask's leaves are f′'s"): a reusable
     * commitment whose first fold k₀ is below the folding factor K (here k₀ = 1 < K = 2, n = 6, budget 8; alexa_v0.1's weights
     * have k₀ = 2 < K = 4), opened with the built full g four times (1–3 claims). Until g's leaves were f′'s own, g's tree grouped
     * 2^(K−k₀) f′-fibres per leaf, so an opened leaf revealed g on f′-fibres that were not opened; when a later iteration read
     * their folded points, F's value there less ρ times g's (known) fold was the fold of an unopened f′-fibre — a functional of ĥ
     * that `tableFunctionals` does not count. This measure gained 2–6 base functionals on 7 of these 8 openings then (and on
     * 49 of 104 probe openings with k₀ < K, never with k₀ = K); with g revealed exactly where f′ is, every row of F is either
     * masked by a fresh direction of g or is a combination of f′'s own revealed rows, so it gains 0.
     */
    @ParameterizedTest
    @EnumSource(value = WhirParameters.Soundness.class, names = {"JOHNSON_BOUND", "CAPACITY_CONJECTURE"})
    void aMaskLeafRevealsNoUnopenedFibreOfTheTable(WhirParameters.Soundness soundness) throws Exception {
        WhirParameters params = WhirZeroKnowledgeTest.tiny(soundness);
        WhirPcs pcs = new WhirPcs(params);
        SplittableRandom rng = new SplittableRandom(6000 + soundness.ordinal());
        int n = 6;
        long[] table = randomTable(n, rng);
        WhirHidingCommitment c = (WhirHidingCommitment) pcs.commitHiding(table, 8, new SplittableRandom(31 + n));
        WhirSchedule s = c.schedule;
        assertTrue(c.layout.firstFold() < params.foldingFactor(), "the case k₀ < K: " + c.layout);
        boolean[] support = support(s.numVars(), List.of(new int[] {0, s.numVars()}));
        for (int draw = 0; draw < 4; draw++) {
            int gained = rankGainedOnTable(s.numVars(), List.of(open(params, c, table, 1 + draw % 3, support, rng)), support);
            assertEquals(0, gained, "rank gained on f′ beyond its own rows, " + soundness + ", " + c.layout + ", draw " + draw);
        }
    }

    private static int gained(WhirParameters params, WhirHidingCommitment c, long[] table, WhirSchedule s, List<int[]> windows, SplittableRandom rng) throws Exception {
        boolean[] support = support(s.numVars(), windows);
        return rankGainedOnTable(s.numVars(), List.of(open(params, c, table, 2, support, rng)), support);
    }

    /**
     * The window mask's dimension at the real presets against 2^v and the opening's count (16 claims): printed for the
     * design's table, and at most 2^v/8 for every registered-weights layout of 2^11–2^20 entries at budget 1024.
     */
    @ParameterizedTest
    @EnumSource(value = WhirParameters.Soundness.class, names = {"JOHNSON_BOUND", "CAPACITY_CONJECTURE"})
    void theWindowMaskIsSmallAtTheRealPresets(WhirParameters.Soundness soundness) {
        WhirParameters params = soundness == WhirParameters.Soundness.JOHNSON_BOUND ? WhirParameters.PROVEN : WhirParameters.CONJECTURED;
        for (int n : new int[] {11, 14, 18, 20}) { // at most 2^v/8, and at least the count
            HidingLayout layout = HidingLayout.of(params, n, 1024);
            WhirSchedule s = layout.schedule(params);
            List<int[]> w = windows(s, MARGIN);
            long dim = dimension(layout.vars(), w);
            StringBuilder ws = new StringBuilder();
            for (int[] x : w) {
                ws.append("[" + x[0] + "," + x[1] + ")");
            }
            System.err.println(soundness + " n=" + n + " " + layout + " windows " + ws + " dim " + dim + " of 2^" + layout.vars()
                    + ", maskFunctionals(16) " + HidingLayout.maskFunctionals(s, 16));
            assertTrue(dim * 8 <= 1L << layout.vars(), layout.toString());
            assertTrue(dim >= HidingLayout.maskFunctionals(s, 16), layout.toString());
        }
    }
}
