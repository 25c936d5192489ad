package dev.verinfer.whir;

import java.util.List;

/**
 * The shape of a hiding commitment to an n-variable table f, and the count behind its opening budget.
 *
 * <p>The committed polynomial is f′ over v > n variables, f′(x, y) = f(x) + Σ_{T≠∅} y^T·h_T(x) for
 * y ∈ {0,1}^(v−n): its coefficients are f's followed by D = 2^v − 2^n uniformly random ones, so
 * f̂′(X) = f̂(X) + X^(2^n)·ĥ(X) and f′(x, 0) = f(x). Every opening also commits a fresh, uniformly random
 * g of v variables and runs WHIR on F = f′ + ρ·g (WHIR's batching of same-size polynomials); see
 * {@link WhirProver} for the protocol. What an opening reveals, counted in base-field linear functionals
 * (an extension value is two):
 * <ul>
 *   <li>on f′ alone ({@link #tableFunctionals}): its queried fibres in iteration 0 (2^k values each)
 *       and its values at g's out-of-domain points. Their restrictions to the mask ĥ are evaluations of
 *       the 2^k polyphase parts of ĥ (each of D/2^k coefficients) at distinct points, so independent
 *       (Vandermonde) while at most D/2^k fibres are revealed in all; the commit-time out-of-domain
 *       answers count once. A hiding commitment therefore stays hiding for
 *       {@code budget = (D − commit answers) / tableFunctionals} openings, over all proofs that open it;</li>
 *   <li>on g ({@link #maskFunctionals}): g's fibres and out-of-domain values, g at the claim points, and
 *       everything about F: every sumcheck message, later oracle's fibres and out-of-domain answers, the
 *       final coefficients. g is fresh per opening and has 2^v coefficients, so these are uniform while
 *       they number at most 2^v and stay independent on g.</li>
 * </ul>
 * Independence holds for all but a negligible fraction of transcripts: each set of functionals is a
 * matrix whose entries are polynomials in the Fiat–Shamir challenges, full rank at one assignment (the
 * rank test of {@code WhirHidingTest} finds one) and hence singular with probability ≤ degree/|K| by
 * Schwartz–Zippel; for the fibres, at most D/2^k distinct domain points keep the Vandermonde blocks
 * invertible outright. Given independence, the revealed values are uniform subject to the public claims,
 * so a simulator samples them (perfect zero-knowledge up to the salted Merkle trees, which hide the
 * unopened leaves in the random-oracle model, and the PRG of {@link MaskStream}).
 *
 * <p>The first iteration's fold k₀ is part of the layout ({@link WhirParameters#hidingSchedule}): an
 * opening reveals 2^k₀ values per queried fibre of f′, so a budget that sizes the mask (the registered
 * weights: 1024 openings) is met at a v about 3 smaller with a k₀ below the plain one (the largest that
 * covers it), while a table whose mask is sized by g's needs (budget 1) keeps the plain schedule's k₀.
 *
 * @param tableVars n, the arity of the committed table
 * @param vars      v, the arity of f′ and of each opening's g
 * @param budget    openings the mask ĥ covers: ⌊(D − commit answers) / tableFunctionals⌋
 * <p><b>The mask in the table's own tail</b> ({@link #tail}, {@code tailVars} = d ≥ 0; a commitment for one opening only):
 * when the caller's table is zero on its last aligned block of D = 2^d slots and no claim reads that block, f′ keeps v = n
 * variables and ĥ (deg ĥ &lt; D) is written there: f̂′ = f̂ + X^(2^n − D)·ĥ. The monomials X^i, i ≥ 2^n − D, are those
 * containing all top n − d variables, non-zero on the cube only on that block, and the Möbius transform on the block is a
 * bijection, so f′ is the table with uniformly random values on its last block. The counts above hold with 2^n replaced
 * by 2^n − D (2^k₀ divides it, so a fibre reveals ĥ's polyphase parts as before) and 2^v by 2^n; docs/proof-system.md,
 * "Hiding commitments", item 4, "The mask in the table's own tail".
 *
 * @param firstFold k₀, the variables f′'s first iteration folds
 * @param tailVars  d when ĥ fills the table's last 2^d slots (then v = n), else −1 (ĥ above 2^n, v &gt; n)
 */
record HidingLayout(int tableVars, int vars, int budget, int firstFold, int tailVars) {
    /** Claims on one hiding commitment that every layout leaves room for in g. */
    static final int MIN_CLAIMS = 16;

    HidingLayout(int tableVars, int vars, int budget, int firstFold) {
        this(tableVars, vars, budget, firstFold, -1);
    }

    /**
     * The layout with ĥ in the table's last 2^d slots for the smallest d ≥ k₀ (the plain first fold, so 2^k₀ divides
     * 2^n − D) whose D covers {@code units} openings ((D − commit answers) / tableFunctionals, as {@link #of}), or null
     * when no d &lt; n does, or g's 2^n coefficients do not cover its functionals with room for {@link #MIN_CLAIMS} claims,
     * or one claim does not hide ({@link #claimsHide}).
     */
    static HidingLayout tail(WhirParameters params, int tableVars, int units) {
        return tail(params, tableVars, units, params.foldingFactor());
    }

    /**
     * As {@link #tail}, with the narrowest first fold k₀ ≥ {@link WhirParameters#HIDING_FIRST_FOLD} that has such a layout (d ≥ k₀
     * from k₀'s own counts, its one claim hiding): for a witness opened as a small member of a larger table's batched run, whose
     * queries read one value of each member leaf ({@link #narrow}); the plain fold's layout when no narrower one has any. With a
     * {@code top} (null: none) no narrower than {@link #narrowestUnder} it, so that the run under that top still admits it.
     */
    static HidingLayout tailNarrow(WhirParameters params, int tableVars, int units, HidingLayout top) {
        for (int firstFold = narrowestUnder(params, tableVars, top); firstFold < params.foldingFactor(); firstFold++) {
            HidingLayout l = tail(params, tableVars, units, firstFold);
            if (l != null) {
                return l;
            }
        }
        return tail(params, tableVars, units);
    }

    private static HidingLayout tail(WhirParameters params, int tableVars, int units, int firstFold) {
        if (units < 1 || tableVars < 1 || tableVars >= params.maxNumVars()) {
            return null;
        }
        WhirSchedule s = params.hidingSchedule(tableVars, firstFold);
        if ((1L << tableVars) < maskFunctionals(s, MIN_CLAIMS)) {
            return null;
        }
        for (int d = firstFold; d < tableVars; d++) {
            long covered = ((1L << d) - 2L * s.commitOod()) / tableFunctionals(s);
            if (covered >= units) {
                HidingLayout l = new HidingLayout(tableVars, tableVars, (int) covered, firstFold, d);
                return l.claimsHide(params, 1, false) ? l : null;
            }
        }
        return null;
    }

    /** Whether ĥ lives in the table's last 2^d slots ({@link #tail}). */
    boolean inTail() {
        return tailVars >= 0;
    }

    /**
     * The smallest v ≥ n + 1 whose masks cover at least {@code budget} openings, with the largest first fold,
     * from the plain one down to {@link WhirParameters#HIDING_FIRST_FOLD}, that covers them (an opening reveals
     * 2^k₀ values per fibre of f′, and a larger k₀ leaves a smaller f₁ = 2^(v−k₀) to commit per opening: alexa_v0.1's
     * weights, 2^19 at v = 20, take k₀ = 3 instead of 1); the layout's budget is all that v and k₀ cover (at least
     * the one asked for).
     */
    static HidingLayout of(WhirParameters params, int tableVars, int budget) {
        if (budget < 1) {
            throw new IllegalArgumentException("opening budget must be positive: " + budget);
        }
        if (tableVars < 0 || tableVars >= params.maxNumVars()) {
            throw new IllegalArgumentException("number of variables " + tableVars + " outside [0, " + (params.maxNumVars() - 1) + "] for a hiding commitment");
        }
        for (int v = tableVars + 1; v <= params.maxNumVars(); v++) {
            for (int firstFold = params.foldingFactor(); firstFold >= Math.min(WhirParameters.HIDING_FIRST_FOLD, params.foldingFactor()); firstFold--) {
                HidingLayout l = at(params, tableVars, v, firstFold, budget);
                if (l != null) {
                    return l;
                }
            }
        }
        throw new IllegalArgumentException("an opening budget of " + budget + " for " + tableVars + " variables needs a mask beyond 2^" + params.maxNumVars());
    }

    /**
     * {@link #of}'s v with the narrowest first fold that v covers: the narrowest iteration-0 leaves (2^k₀ values of f′,
     * and of g in a pair leaf) at the same arity. For a small table opened as a member of a larger batched run
     * ({@link HidingBatch}), whose queries read one value of each member leaf when d_j + k₀_j ≥ k₀ of the top, a narrow
     * leaf sends and reveals 2^k₀ values per query where the plain fold's sent 2^4; v, and with it d_j, is unchanged. With a
     * {@code top} (null: none) no narrower than {@link #narrowestUnder} it.
     */
    static HidingLayout narrow(WhirParameters params, int tableVars, int budget, HidingLayout top) {
        HidingLayout wide = of(params, tableVars, budget);
        for (int firstFold = narrowestUnder(params, wide.vars(), top); firstFold < wide.firstFold(); firstFold++) {
            HidingLayout l = at(params, tableVars, wide.vars(), firstFold, budget);
            if (l != null) {
                return l;
            }
        }
        return wide;
    }

    /**
     * The narrowest first fold a member of v = {@code vars} variables may take for a batched run under {@code top} to admit it
     * ({@link HidingBatch#fits}: v_top − v + k₀ ≥ k₀_top, so that each of the top's leaves reads one whole leaf of the member),
     * and at least {@link WhirParameters#HIDING_FIRST_FOLD}; that alone without a top, or under one of no more variables. Under
     * a top folding 2 (the registered weights at budget 1024, v_top = 19) a member of 18 variables may fold 1, as before this
     * rule; under one folding 3 or 4 (budgets 512 and 256) it folds 2 or 3 (2026-12-07, branch heyfold31).
     */
    static int narrowestUnder(WhirParameters params, int vars, HidingLayout top) {
        int least = Math.min(WhirParameters.HIDING_FIRST_FOLD, params.foldingFactor());
        return top == null || top.vars() < vars ? least : Math.max(least, top.firstFold() - (top.vars() - vars));
    }

    /** The layout (v, k₀) if its mask covers {@code budget} openings and g's functionals with room for {@link #MIN_CLAIMS} claims; else null. */
    private static HidingLayout at(WhirParameters params, int tableVars, int v, int firstFold, int budget) {
        WhirSchedule s = params.hidingSchedule(v, firstFold);
        long maskDim = (1L << v) - (1L << tableVars);
        long covered = (maskDim - 2L * s.commitOod()) / tableFunctionals(s);
        if (covered >= budget && (1L << v) >= maskFunctionals(s, MIN_CLAIMS)) {
            return new HidingLayout(tableVars, v, (int) Math.min(Integer.MAX_VALUE, covered), firstFold);
        }
        return null;
    }

    /**
     * Out-of-domain points of each opening's mask g: as many as the commitment has (the list-decoding
     * regime), and at least one. With none (unique decoding), iteration 0's sumcheck would weigh only the
     * claims, whose eq weights live on the face y = 0 where g has just 2^n coefficients: a small table
     * would leak through the sumcheck (the rank test caught it at n = 3). A point (w, w², …) weighs every
     * coefficient of g. The counts of a layout ({@link #tableFunctionals}, {@link #maskFunctionals}) charge these points
     * whatever the commitment is: for a commitment for one opening, which has none in the list regimes
     * ({@link #maskOod(WhirSchedule, boolean)}), they over-count by 2·commit points, so its layout (v, k₀, d) is unchanged.
     */
    static int maskOod(WhirSchedule s) {
        return Math.max(1, s.commitOod());
    }

    /**
     * g's own out-of-domain points in an opening of a commitment ({@code once}: one for one opening, g bound by f′'s root).
     * None for a commitment for one opening in the list regimes (2026-12-06, branch points30): its g is committed in f′'s
     * own tree or in the carrier with it, so f′'s commit-time points — drawn from the root that binds g's word — are
     * out-of-domain points of g as well, and ĝ there (sent before ρ) makes g's word name one polynomial of its list as
     * f̂′'s answers make f′'s; they also weigh every coefficient of g in iteration 0's sumcheck, the zero-knowledge role of w.
     * A reusable commitment's g is drawn after its commit points are known (the key's), so it keeps its own; unique
     * decoding (no commit points) keeps the one point zero knowledge needs. docs/proof-system.md, "Fewer constraint points".
     */
    static int maskOod(WhirSchedule s, boolean once) {
        return once && s.commitOod() > 0 ? 0 : maskOod(s);
    }

    /** Base-field functionals of f′ that one opening reveals. */
    static long tableFunctionals(WhirSchedule s) {
        WhirSchedule.Round r = s.rounds().getFirst();
        return ((long) Math.min(r.queries(), r.fibres()) << r.fold()) + 2L * maskOod(s);
    }

    /**
     * Base-field functionals of an opening's g (and of F) for {@code claims} claims. g's iteration-0 leaves are f′'s own fibres
     * (2^k₀ values, opened at f′'s indices), so an opened leaf reveals g exactly where f′'s reveals f′. Every other row of the
     * opening is a functional λ of F = f′ + ρ·g (or of g alone at points where the same functional of f′ is revealed too:
     * out-of-domain points, claims); with g uniform, λ's part outside the span of g's revealed functionals is masked, and its
     * part inside it is a functional of f′ already revealed. Until 2026-12-06 g's leaves were 2^K wide whatever k₀ was: with
     * k₀ < K they revealed g on f′-fibres that were not opened, and a later iteration reading their folded points revealed those
     * fibres' folds of f′, uncounted (docs/proof-system.md, item 4;
     * {@code WhirWindowMaskZeroKnowledgeTest.aMaskLeafRevealsNoUnopenedFibreOfTheTable}).
     */
    static long maskFunctionals(WhirSchedule s, int claims) {
        WhirSchedule.Round leaves = s.rounds().getFirst();
        long count = 2L * claims + 2L * s.commitOod() + 2L * maskOod(s) + 2L * (1L << s.finalVars())
                + ((long) Math.min(leaves.queries(), leaves.fibres()) << leaves.fold());
        for (int i = 0; i < s.rounds().size(); i++) {
            WhirSchedule.Round r = s.rounds().get(i);
            count += (i == 0 ? 0 : 2 * ((long) Math.min(r.queries(), r.fibres()) << r.fold())) + 4L * r.fold() + 2L * r.ood();
        }
        return count;
    }

    /**
     * Whether a hiding run whose top commitment has this schedule (f′ and a fresh g of v = {@code s.numVars()} variables, g
     * evaluated at {@code points} constraint points) commits its oracles after iteration 0 without salts (2026-12-06, branch
     * bytes28). Every later oracle, its Merkle tree and every value read from it are functions of F₁ — F = f′ + ρ·g (in a batch
     * Σ_j μ^j(f̃′_j + ρ·g̃_j)) folded by iteration 0's k₀ challenges, 2^(v−k₀) extension values — and of public coins, so an
     * unsalted tree reveals at most F₁. Revealing F₁ whole gains no rank on f′ beyond iteration 0's fibres when g's revealed base
     * functionals still fit its 2^v coefficients with F₁'s 2^(v−k₀+1): g's iteration-0 leaves (t₀·2^k₀), its values at the
     * constraint points (two each) and iteration 0's sumcheck (two extension values a round) — then every functional of F₁ is
     * masked by a direction of g that nothing else reveals (item 4's argument with F₁'s functionals as (c)-rows;
     * {@code WhirZeroKnowledgeTest.revealingTheFirstFoldWholeGainsNoRankWhereTheRuleDropsTheSalts}), and a salt hides nothing
     * more. For alexa_v0.1's top (v = 19, k₀ = 2): 2^18 + ≈ 600 ≤ 2^19. With k₀ = 1, F₁ alone has g's 2^v base functionals: salted.
     */
    static boolean unsaltedLaterOracles(WhirSchedule s, int points) {
        if (s.rounds().size() < 2) {
            return false; // no oracle after iteration 0
        }
        WhirSchedule.Round r0 = s.rounds().getFirst();
        long revealed = ((long) Math.min(r0.queries(), r0.fibres()) << r0.fold()) + 2L * points + 4L * r0.fold();
        return revealed + (2L << (s.numVars() - r0.fold())) <= 1L << s.numVars();
    }

    /**
     * The budget an opening spends: one, plus the off-face claims' functionals on ĥ (two each) in units
     * of {@link #tableFunctionals}, rounded up.
     */
    static int openingUnits(WhirSchedule s, int offFaceClaims) {
        return 1 + (int) ((2L * offFaceClaims + tableFunctionals(s) - 1) / tableFunctionals(s));
    }

    /** f′'s schedule. */
    WhirSchedule schedule(WhirParameters params) {
        return params.hidingSchedule(vars, firstFold);
    }

    /** How many claims one opening may carry before g's functionals could outnumber its coefficients. */
    int maxClaims(WhirParameters params) {
        return (int) Math.min(Integer.MAX_VALUE, ((1L << vars) - maskFunctionals(schedule(params), 0)) / 2);
    }

    /**
     * Whether one opening with {@code claims} claims hides f beyond them: within {@link #maxClaims}, and either the
     * claims fix f (2·claims ≥ 2^n base functionals: nothing is left to hide) or they leave g's face room for
     * {@link #faceFunctionals} besides their own 2 each. With off-face claims (r, β, 0, …) the face is f′'s first
     * n + 1 variables (f and the mask face h), whose 2^(n+1) coefficients of g their weights touch.
     */
    boolean claimsHide(WhirParameters params, int claims, boolean offFace) {
        return claimsHide(params, claims, offFace, inTail());
    }

    /** {@link #claimsHide} for a commitment for one opening ({@code once}: g's out-of-domain points {@link #maskOod(WhirSchedule, boolean)}). */
    boolean claimsHide(WhirParameters params, int claims, boolean offFace, boolean once) {
        int maskOod = maskOod(schedule(params), once);
        if (inTail()) {
            // No face: a claim's weight eq(r, ·) touches all of g; the whole later oracles count as face, and the part of f′
            // that ĥ does not mask is its 2^n − D slots before the tail (conservative on both sides; rank-tested).
            return !offFace && claims <= maxClaims(params)
                    && 2L * claims + faceFunctionals(schedule(params), tableVars, maskOod) <= (1L << tableVars) - (1L << tailVars);
        }
        int faceVars = tableVars + (offFace ? 1 : 0);
        long face = 1L << faceVars;
        return claims <= maxClaims(params) && (2L * claims >= face || 2L * claims + faceFunctionals(schedule(params), faceVars, maskOod) <= face);
    }

    /**
     * Whether a rotation ({@link WhirRotation}) of a commitment of this layout hides f. Its one face value
     * z = f(r) + ρ·g(r, 0) keeps f(r) private, so unlike {@link #claimsHide} no claim count fixes f: g's face (2^n
     * coefficients) must cover z's 2 functionals and {@link #faceFunctionals} beside them. Refused: n = 0 (z alone gives
     * f, 1 value, and g's 1 face coefficient), and at most a few variables more (the rank test found n = 1 revealing f
     * under unique decoding); never a real weight table.
     */
    boolean rotationHides(WhirParameters params) {
        return maxClaims(params) >= 1 && 2 + faceFunctionals(schedule(params), tableVars, maskOod(schedule(params))) <= 1L << tableVars;
    }

    /**
     * Base-field functionals of g's face y = 0 (its 2^n coefficients, the only ones a claim's weight eq((r, 0), ·)
     * touches) that combinations of the F-values can isolate, so that the face must cover them beside the claims'
     * own g(r_j, 0). A value of F = f′ + ρ·g masks its f′-part by its g-part; a combination whose g-part has no
     * component off the face leans on the face alone, and once the claims nearly fix f (2·claims close to 2^n) the
     * face's few free dimensions no longer cover it: the rank test found 3 claims on an 8-entry table gaining f's
     * last 2 functionals (unique decoding), and 7 on 16 entries with a first fold of one (conjectured). Two sources:
     * <ul>
     *   <li>iteration 0's sumcheck (4·k₀ values): off the face its weight lives on the out-of-domain points only,
     *       2^(k₀+1)·Z dimensions of which the Z answers ĝ(z) take 2 each, so up to 4k₀ + 2 − 2(2^k₀ − 1)·Z of
     *       them can be moved onto the face (Z = every out-of-domain point of the opening; none for k₀ = 4 or the
     *       list regimes' Z = 4);</li>
     *   <li>every later oracle f_i = F(α_{&lt;i}, ·) (2^(v−K_i) extension values, K_i the variables folded before
     *       it): its face part is 2^max(0, n−K_i) extension values, and once the values revealed from iteration i on
     *       (its fibres, sumcheck, out-of-domain answers, final coefficients) fill f_i's dimensions, less what
     *       iteration 0's fibres and the out-of-domain points pin beside, they reach all of it.</li>
     * </ul>
     * A generic count, like {@link #maskFunctionals}: the rank test of {@code WhirZeroKnowledgeTest} sweeps every
     * claim count on small tables in each regime and finds no gain wherever this allows the claims.
     *
     * <p><b>A first fold wider than the face</b> (k₀ &gt; n, 2026-12-06, branch zkcorner29) reaches all of it: iteration 0's
     * sumcheck then binds every face variable and k₀ − n mask variables, its claim parts F(α_{&lt;s}, c, 0, …) for s ≥ n and F₁'s
     * coefficients all live on f′'s first 2^k₀ coefficients, and the count above misses them. The rank test found a 4-entry
     * table (n = 2) revealed whole by one claim under {@link WhirParameters#PROVEN_UNIQUE} (v = 11, k₀ = 3: iteration 0's
     * sumcheck and the final polynomial) and under unique decoding at rate 1/2 with k₀ = 3 and 4; the list regimes showed no
     * gain, but the count is not derived for them either. So the whole face is counted: only claims that fix f are allowed
     * ({@code WhirZeroKnowledgeTest.aFirstFoldWiderThanTheFaceIsRefusedUnlessTheClaimsFixTheTable}).
     */
    static long faceFunctionals(WhirSchedule s, int tableVars, int maskOod) {
        List<WhirSchedule.Round> rounds = s.rounds();
        WhirSchedule.Round r0 = rounds.getFirst();
        if (r0.fold() > tableVars) {
            return 1L << tableVars;
        }
        long points = s.commitOod() + maskOod; // the opening's out-of-domain points: f′'s commit points and g's own
        long first = Math.max(0, 4L * r0.fold() + 2 - 2L * ((1L << r0.fold()) - 1) * points);
        long pinned = 2L * (Math.min(r0.queries(), r0.fibres()) + points);
        long later = 0;
        int folded = 0;
        for (int i = 1; i <= rounds.size(); i++) {
            folded += rounds.get(i - 1).fold();
            long size = 2L << (s.numVars() - folded);
            long face = 2L << Math.max(0, tableVars - folded);
            long revealed = 2L * rounds.get(i - 1).ood() + (2L << s.finalVars());
            for (int j = i; j < rounds.size(); j++) {
                WhirSchedule.Round r = rounds.get(j);
                revealed += 2 * ((long) Math.min(r.queries(), r.fibres()) << r.fold()) + 4L * r.fold() + 2L * r.ood();
            }
            later = Math.max(later, Math.min(face, Math.max(0, revealed + pinned + face - size)));
        }
        return first + later;
    }
}
