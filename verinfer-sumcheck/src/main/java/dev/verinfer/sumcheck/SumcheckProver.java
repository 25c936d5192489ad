package dev.verinfer.sumcheck;

import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Parallelism;
import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;

import java.util.Arrays;
import java.util.List;

/**
 * Proves Σ_{x ∈ {0,1}^n} Σ_j c_j · Π_{k ∈ S_j} P_k(x) for multilinear tables P_k (see
 * {@link SumcheckVerifier} for the protocol). Variables are bound lowest first (point[0] first),
 * folding entry pairs (2i, 2i + 1). When every table is over the base field the first round runs in
 * F_p; each later round works on the folded extension tables in two ping-pong buffers per table.
 * Input tables are never modified.
 */
public final class SumcheckProver {
    private SumcheckProver() {}

    public static SumcheckProverResult prove(Transcript transcript, List<MleTable> tables, List<ProductTerm> terms) {
        return run(transcript, null, null, tables, terms, null, null, null, null);
    }

    /**
     * Proves Σ_x eq(eqPoint, x) · Σ_j c_j · Π_{k ∈ S_j} P_k(x) (degree d + 1) without an eq table:
     * round k's polynomial is Π_{j<k} eq(z_j, r_j) · eq(z_k, t) · G(t), z = eqPoint, where
     * G(t) = Σ_y eq(z[k+1..], y)·(…)(r[..k−1], t, y) has degree d, is computed at 0, 2, …, d, and G(1)
     * follows from G_{k−1}(r_{k−1}) = (1 − z_k)·G(0) + z_k·G(1) (Gruen, ePrint 2024/108, §3). Verify with {@link SumcheckVerifier#verify} at degree d + 1, then
     * {@link SubClaim#checkWithEq}. The final evaluations are the tables' (eq excluded).
     */
    public static SumcheckProverResult proveWithEq(Transcript transcript, Ext2[] eqPoint, List<MleTable> tables, List<ProductTerm> terms) {
        return run(transcript, eqPoint.clone(), null, tables, terms, null, null, null, null);
    }

    /**
     * As {@link #proveWithEq(Transcript, Ext2[], List, List)} when the caller already knows the sum
     * (the usual case: it is the claim being reduced), which saves evaluating G(1) in the first round.
     * A wrong {@code claimedSum} yields a proof that does not verify.
     */
    public static SumcheckProverResult proveWithEq(Transcript transcript, Ext2[] eqPoint, Ext2 claimedSum, List<MleTable> tables, List<ProductTerm> terms) {
        return run(transcript, eqPoint.clone(), claimedSum, tables, terms, null, null, null, null);
    }

    /**
     * The rounds of Σ_x (F(x) + ρ·g(x)) for the statement F (with eq when {@code eqPoint} is given) and
     * a mask g of the full round degree ({@link ZkSumcheckProver}): the absorbed claim is
     * knownSum + ρ·Σ g and each message adds ρ·M_i; the result's sum is F's. Tables with a
     * {@link VanishingMask} (non-null entries of {@code hiding}) enter as T̃ + Z·R: the last round is
     * computed from the two-entry tables with those factors (degree 2 each), and their final
     * evaluations are T'(r).
     */
    static SumcheckProverResult runMasked(Transcript transcript, Ext2[] eqPoint, Ext2 knownSum, List<MleTable> tables, List<ProductTerm> terms,
                                          SumcheckMask mask, Ext2 rho, VanishingMask[] hiding) {
        return run(transcript, eqPoint == null ? null : eqPoint.clone(), knownSum, tables, terms, mask, rho, hiding, null);
    }

    /**
     * {@link #runMasked} without eq or vanishing masks, its first rounds from {@code leading} ({@link LeadingRounds}: the same
     * messages), the rest on the tables it hands over.
     */
    static SumcheckProverResult runMaskedLeading(Transcript transcript, Ext2 knownSum, LeadingRounds leading, List<ProductTerm> terms,
                                                 SumcheckMask mask, Ext2 rho) {
        return run(transcript, null, knownSum, null, terms, mask, rho, null, leading);
    }

    /** The degree of each round: the statement's, and the last round's raised by vanishing masks. */
    static int[] roundDegrees(int numVars, List<ProductTerm> terms, boolean withEq, VanishingMask[] hiding) {
        int[] d = new int[numVars];
        Arrays.fill(d, degree(terms, withEq));
        if (numVars > 0) {
            d[numVars - 1] = Math.max(d[numVars - 1], VanishingMask.lastRoundDegree(terms, hiding, withEq));
        }
        return d;
    }

    /** The statement's round degree: the largest term's, plus one with an eq factor. */
    static int degree(List<ProductTerm> terms, boolean withEq) {
        return ProductTerm.degree(terms) + (withEq ? 1 : 0);
    }

    private static SumcheckProverResult run(Transcript transcript, Ext2[] eqPoint, Ext2 knownSum, List<MleTable> tables, List<ProductTerm> terms,
                                            SumcheckMask mask, Ext2 rho, VanishingMask[] hiding, LeadingRounds leading) {
        int termDegree = ProductTerm.degree(terms);
        int lead = leading == null ? 0 : leading.rounds();
        if (leading != null && (eqPoint != null || hiding != null || knownSum == null || lead < 1 || lead >= leading.numVars())) {
            throw new IllegalArgumentException("leading rounds take a known sum, no eq or vanishing masks, and 1 ≤ L < n rounds");
        }
        int n = leading != null ? leading.numVars() : checkShape(tables, terms);
        boolean withEq = eqPoint != null;
        if (withEq && eqPoint.length != n) {
            throw new IllegalArgumentException("eq point has " + eqPoint.length + " coordinates for " + n + " variables");
        }
        int degree = termDegree + (withEq ? 1 : 0);
        int[] roundDegrees = roundDegrees(n, terms, withEq, hiding);
        if (hiding != null && (hiding.length != tables.size() || (n == 0 && Arrays.stream(hiding).anyMatch(h -> h != null)))) {
            throw new IllegalArgumentException(hiding.length + " vanishing masks for " + tables.size() + " tables of " + n + " variables");
        }
        if (hiding != null && n == 1 && Arrays.stream(hiding).anyMatch(h -> h != null && h.coefficients().length > 1)) {
            throw new IllegalArgumentException("a one-variable table takes a vanishing mask of one coefficient");
        }
        if (mask != null) {
            boolean fits = mask.numVars() == n;
            for (int i = 0; fits && i < n; i++) {
                fits = mask.degree(i) == roundDegrees[i];
            }
            if (!fits) {
                throw new IllegalArgumentException("the mask's variables or degrees do not match the statement's rounds " + Arrays.toString(roundDegrees));
            }
        }
        SumcheckMask.Rounds maskRounds = mask == null ? null : mask.new Rounds();
        int count = leading != null ? ProductTerm.tableCount(terms) : tables.size();
        long[][] c0 = new long[count][];
        long[][] c1 = new long[count][];
        boolean allBase = leading == null && load(tables, c0, c1);
        if (n == 0) {
            Ext2[] finals = currentValues(c0, c1);
            Ext2 sum = knownSum != null ? knownSum : ProductTerm.evaluate(terms, finals);
            SumcheckTranscript.begin(transcript, 0, degree, mask == null ? sum : sum.add(rho.mul(mask.sum())));
            return new SumcheckProverResult(new SumcheckProof(new Ext2[0][]), sum, new Ext2[0], finals);
        }

        int length = 1 << n;
        RoundKernel withOne = new RoundKernel(terms, points(termDegree, true));
        RoundKernel withoutOne = new RoundKernel(terms, points(termDegree, false));
        ExtVector weights = withEq ? Mle.eqTable(Arrays.copyOfRange(eqPoint, 1, n)) : null;
        ExtVector[] bufferA = new ExtVector[count];
        ExtVector[] bufferB = new ExtVector[count];
        // Round r ≥ 1 folds into 2^(n−r) entries, odd rounds into A, even ones into B; after L leading rounds the first fold is
        // round L + 1's, into either.
        int sizeA = lead == 0 ? length / 2 : length >> (lead + 1);
        int sizeB = lead == 0 ? length / 4 : sizeA;
        for (int k = 0; k < count; k++) {
            bufferA[k] = ExtVector.zeros(Math.max(1, sizeA));
            bufferB[k] = ExtVector.zeros(Math.max(1, sizeB));
        }
        Ext2[][] rounds = new Ext2[n][];
        Ext2[] point = new Ext2[n];
        Ext2 claimedSum = null;
        Ext2 previousG = null; // G_{k−1}(r_{k−1}), or the claimed sum in round 0 (eq case only)
        Ext2 prefix = Ext2.ONE; // Π_{j<k} eq(z_j, r_j)
        for (int round = 0; round < n; round++) {
            int pairs = 1 << (n - round - 1);
            Ext2 x = withEq ? eqPoint[round] : null;
            // An unknown sum needs p(1) (or G(1)) in the first round; a round whose eq coordinate is 0 needs G(1).
            boolean needOne = (round == 0 && knownSum == null) || (withEq && x.isZero());
            RoundKernel kernel = needOne ? withOne : withoutOne;
            long[] w0 = withEq ? weights.c0() : null;
            long[] w1 = withEq ? weights.c1() : null;
            Ext2[] computed;
            if (round < lead) {
                computed = leading.values();
            } else if (round == lead && leading != null) {
                List<MleTable> handed = leading.tables();
                if (handed.size() != count || handed.stream().anyMatch(t -> t.length() != 2 * pairs)) {
                    throw new IllegalStateException("leading rounds handed over tables of another shape");
                }
                load(handed, c0, c1);
                computed = kernel.extRound(c0, c1, null, null, null, pairs, w0, w1);
            } else if (round == 0) {
                computed = allBase ? kernel.baseRound(c0, pairs, w0, w1) : kernel.extRound(c0, c1, null, null, null, pairs, w0, w1);
            } else {
                // Bind the previous challenge while computing this round (fused fold) into the next buffer.
                ExtVector[] target = (round & 1) == 1 ? bufferA : bufferB;
                long[][] d0 = new long[count][];
                long[][] d1 = new long[count][];
                for (int k = 0; k < count; k++) {
                    d0[k] = target[k].c0();
                    d1[k] = target[k].c1();
                }
                computed = kernel.extRound(c0, c1, point[round - 1], d0, d1, pairs, w0, w1);
                System.arraycopy(d0, 0, c0, 0, count);
                System.arraycopy(d1, 0, c1, 0, count);
            }
            Ext2[] g = new Ext2[termDegree + 1]; // the kernel polynomial at 0 … d
            g[0] = computed[0];
            System.arraycopy(computed, needOne ? 2 : 1, g, 2, termDegree - 1);
            if (needOne) {
                g[1] = computed[1];
            }
            if (round == 0) {
                if (knownSum != null) {
                    claimedSum = knownSum;
                } else {
                    claimedSum = withEq ? eqLine(x, Ext2.ZERO).mul(g[0]).add(x.mul(g[1])) : g[0].add(g[1]);
                }
                previousG = claimedSum;
                SumcheckTranscript.begin(transcript, n, degree, mask == null ? claimedSum : claimedSum.add(rho.mul(mask.sum())));
            }
            Ext2[] message = new Ext2[degree];
            if (withEq) {
                if (g[1] == null) {
                    g[1] = previousG.sub(Ext2.ONE.sub(x).mul(g[0])).mul(x.inverse());
                }
                message[0] = prefix.mul(eqLine(x, Ext2.ZERO)).mul(g[0]);
                for (int t = 2; t <= degree; t++) {
                    Ext2 gt = t <= termDegree ? g[t] : Interpolation.evaluate(g, Ext2.of(t));
                    message[t - 1] = prefix.mul(eqLine(x, Ext2.of(t))).mul(gt);
                }
            } else {
                message[0] = g[0];
                System.arraycopy(g, 2, message, 1, degree - 1);
            }
            if (hiding != null && round == n - 1) {
                message = lastRoundWithHiding(c0, c1, terms, hiding, point[0], withEq ? prefix : null, x, roundDegrees[round]);
            }
            if (maskRounds != null) {
                Ext2[] m = maskRounds.message(message.length);
                for (int e = 0; e < message.length; e++) {
                    message[e] = message[e].add(rho.mul(m[e]));
                }
            }
            rounds[round] = message;
            Ext2 r = SumcheckTranscript.round(transcript, message);
            point[round] = r;
            if (maskRounds != null) {
                maskRounds.bind(r);
            }
            if (round < lead) {
                leading.bind(r);
            }
            if (withEq) {
                previousG = Interpolation.evaluate(g, r);
                prefix = prefix.mul(eqLine(x, r));
                weights = sumPairs(weights);
            }
        }
        // Bind the last challenge: the tables have two entries left.
        Ext2[] finals = new Ext2[count];
        for (int k = 0; k < count; k++) {
            Ext2 lo = new Ext2(c0[k][0], c1[k] == null ? 0 : c1[k][0]);
            Ext2 hi = new Ext2(c0[k][1], c1[k] == null ? 0 : c1[k][1]);
            finals[k] = lo.add(point[n - 1].mul(hi.sub(lo)));
        }
        if (hiding != null) {
            Ext2[] raw = finals.clone();
            for (int k = 0; k < count; k++) {
                if (hiding[k] != null) {
                    finals[k] = raw[k].add(hiding[k].hasCompanion() ? VanishingMask.vanishing(point).mul(raw[hiding[k].companion()])
                            : hiding[k].offset(point));
                }
            }
        }
        return new SumcheckProverResult(new SumcheckProof(rounds), claimedSum, point, finals);
    }

    /**
     * The last round's message when some tables carry a {@link VanishingMask}: from the two-entry
     * tables (lo, hi), each factor at t is lo + t·(hi − lo) + t(1 − t)·R (masked; R = R(r_0), or the companion table's line at t) — with n = 1,
     * R = c_0 — times prefix·eq(z_{n−1}, t) with an eq factor; at t = 0, 2, …, degree.
     */
    private static Ext2[] lastRoundWithHiding(long[][] c0, long[][] c1, List<ProductTerm> terms, VanishingMask[] hiding, Ext2 firstChallenge,
                                              Ext2 eqPrefix, Ext2 eqCoordinate, int degree) {
        int count = c0.length;
        Ext2[] lo = new Ext2[count];
        Ext2[] slope = new Ext2[count];
        Ext2[] bump = new Ext2[count];
        for (int k = 0; k < count; k++) {
            lo[k] = new Ext2(c0[k][0], c1[k] == null ? 0 : c1[k][0]);
            slope[k] = new Ext2(c0[k][1], c1[k] == null ? 0 : c1[k][1]).sub(lo[k]);
            bump[k] = hiding == null || hiding[k] == null || hiding[k].hasCompanion() ? Ext2.ZERO
                    : hiding[k].randomiser(firstChallenge == null ? Ext2.ZERO : firstChallenge);
        }
        Ext2[] message = new Ext2[degree];
        Ext2[] values = new Ext2[count];
        for (int e = 0; e < degree; e++) {
            Ext2 t = Ext2.of(e == 0 ? 0 : e + 1);
            Ext2 vanishing = t.mul(Ext2.ONE.sub(t));
            for (int k = 0; k < count; k++) {
                values[k] = lo[k].add(t.mul(slope[k]));
            }
            for (int k = 0; k < count; k++) {
                // R at t: the constant R(r_0), or the companion table's line H(r_<n−1, t).
                Ext2 r = hiding[k] != null && hiding[k].hasCompanion() ? lo[hiding[k].companion()].add(t.mul(slope[hiding[k].companion()])) : bump[k];
                values[k] = values[k].add(vanishing.mul(r));
            }
            Ext2 v = ProductTerm.evaluate(terms, values);
            message[e] = eqPrefix == null ? v : eqPrefix.mul(eqLine(eqCoordinate, t)).mul(v);
        }
        return message;
    }

    /** eq(x, t) = (1 − x)(1 − t) + x·t for one coordinate. */
    private static Ext2 eqLine(Ext2 x, Ext2 t) {
        Ext2 xt = x.mul(t);
        return Ext2.ONE.sub(x).sub(t).add(xt).add(xt);
    }

    /** eq(a[k+2..], y) from eq(a[k+1..], ·): since eq(a, 0) + eq(a, 1) = 1, sum each pair (2y, 2y + 1). */
    private static ExtVector sumPairs(ExtVector w) {
        int half = w.length() / 2;
        ExtVector out = ExtVector.zeros(Math.max(1, half));
        long[] s0 = w.c0();
        long[] s1 = w.c1();
        long[] d0 = out.c0();
        long[] d1 = out.c1();
        Parallelism.forEachChunk(half, 1 << 12, (from, to) -> {
            for (int i = from; i < to; i++) {
                d0[i] = BranchFree.add(s0[2 * i], s0[2 * i + 1]);
                d1[i] = BranchFree.add(s1[2 * i], s1[2 * i + 1]);
            }
        });
        return out;
    }

    /** The evaluation points of a round: 0, (1,) 2, …, degree. */
    private static int[] points(int degree, boolean withOne) {
        int[] p = new int[withOne ? degree + 1 : degree];
        int i = 0;
        for (int t = 0; t <= degree; t++) {
            if (t != 1 || withOne) {
                p[i++] = t;
            }
        }
        return p;
    }

    /** The tables' coordinate arrays into (c0, c1) (c1 null for a base table); whether every table is base. */
    private static boolean load(List<MleTable> tables, long[][] c0, long[][] c1) {
        boolean allBase = true;
        for (int k = 0; k < tables.size(); k++) {
            switch (tables.get(k)) {
                case BaseTable(long[] values) -> {
                    c0[k] = values;
                    c1[k] = null;
                }
                case ExtTable(ExtVector values) -> {
                    c0[k] = values.c0();
                    c1[k] = values.c1();
                    allBase = false;
                }
            }
        }
        return allBase;
    }

    private static Ext2[] currentValues(long[][] c0, long[][] c1) {
        Ext2[] out = new Ext2[c0.length];
        for (int k = 0; k < c0.length; k++) {
            out[k] = new Ext2(c0[k][0], c1[k] == null ? 0 : c1[k][0]);
        }
        return out;
    }

    private static int checkShape(List<MleTable> tables, List<ProductTerm> terms) {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("sumcheck needs at least one table");
        }
        int length = tables.getFirst().length();
        int n = Mle.numVars(length);
        for (MleTable t : tables) {
            if (t.length() != length) {
                throw new IllegalArgumentException("tables differ in length: " + t.length() + " vs " + length);
            }
        }
        for (ProductTerm term : terms) {
            for (int f : term.factors()) {
                if (f < 0 || f >= tables.size()) {
                    throw new IllegalArgumentException("product term refers to table " + f + " of " + tables.size());
                }
            }
        }
        return n;
    }
}
