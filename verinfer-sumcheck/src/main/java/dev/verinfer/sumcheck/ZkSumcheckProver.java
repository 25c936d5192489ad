package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.transcript.Transcript;

import java.util.List;

/**
 * The zero-knowledge sumcheck of Libra (Xie et al., CRYPTO 2019, §4.1; Chiesa–Forbes–Spooner 2017):
 * to prove H = Σ_x f(x) the prover commits to a fresh random mask g ({@link SumcheckMask}) through
 * the caller's {@link MaskCommitter}, sends G = Σ_x g(x), receives ρ, and runs the plain sumcheck of
 * H + ρ·G = Σ_x (f + ρ·g)(x). At the end it sends g(r) and opens it against the commitment; the
 * verifier's final claim f(r) = e − ρ·g(r) goes to the caller as usual ({@link ZkSumcheckVerifier}).
 *
 * <p><b>What is hidden.</b> Round i's message is F_i + ρ·M_i where M_i's coefficients of X^1…X^d
 * are 2^{n−i−1}·a_{i,k}, uniform and fresh (ρ ≠ 0 except with probability p^−2), and its constant term
 * is fixed by the running claim; G is 2^n·a_0 + …, uniform through a_0. So (G, rounds) is uniform
 * given H, and g(r) = (e − f(r))/ρ is then a function of the transcript and f(r): a simulator that
 * knows only H and the oracle answer f(r) produces the identical distribution (it samples G and the
 * rounds uniformly and opens the hiding mask commitment to (e − f(r))/ρ). What remains revealed is
 * f(r) itself, i.e. the final evaluations of the tables: a table given a {@link VanishingMask} enters
 * as T'(x) = T̃(x) + Z(x)·R(x) (Libra §4.2; Z vanishes on the hypercube, so the sum is unchanged) and
 * its final evaluation T'(r) is uniform; the caller must then establish T'(r) in zero knowledge (see
 * {@link VanishingMask} and docs/proof-system.md, "Zero-knowledge"). With every table masked,
 * the whole transcript — G, rounds, g(r), final evaluations — is simulatable from H alone.
 *
 * <p><b>Soundness.</b> g is bound before ρ, so if H ≠ Σf then H + ρG = Σ(f + ρg) holds for at most one
 * ρ (probability ≤ 1/p²), after which the plain sumcheck's error d·n/p² applies; the final g(r) is
 * bound by the commitment opening.
 */
public final class ZkSumcheckProver {
    private ZkSumcheckProver() {}

    /**
     * Proves Σ_x Σ_j c_j Π P_k(x) = claimedSum. {@code hiding} (null, or one entry per table, null for
     * a table left unmasked) replaces tables by T̃ + Z·R ({@link VanishingMask}), so their final
     * evaluations are hidden too; the fresh mask must have degree {@link #roundDegrees} in each variable.
     */
    public static ZkSumcheckProverResult prove(Transcript transcript, Ext2 claimedSum, List<MleTable> tables, List<ProductTerm> terms,
                                               VanishingMask[] hiding, SumcheckMask mask, MaskCommitter committer) {
        return run(transcript, null, claimedSum, tables, terms, hiding, mask, committer);
    }

    /**
     * {@link #prove} without vanishing masks, its first rounds computed by {@code leading} (the same messages from a cheaper form
     * of the tables) and the rest on the statement's tables it hands over.
     */
    public static ZkSumcheckProverResult proveLeading(Transcript transcript, Ext2 claimedSum, LeadingRounds leading, List<ProductTerm> terms,
                                                      SumcheckMask mask, MaskCommitter committer) {
        ZkSumcheckTranscript.claim(transcript, claimedSum, roundDegrees(leading.numVars(), terms, false, null));
        committer.commit(transcript, mask);
        Ext2 maskSum = mask.sum();
        Ext2 rho = ZkSumcheckTranscript.maskWeight(transcript, maskSum);
        SumcheckProverResult inner = SumcheckProver.runMaskedLeading(transcript, claimedSum, leading, terms, mask, rho);
        return finish(transcript, mask, committer, maskSum, claimedSum, inner);
    }

    /** Proves Σ_x eq(eqPoint, x)·Σ_j c_j Π P_k(x) = claimedSum (round degree d + 1), as {@link #prove}. */
    public static ZkSumcheckProverResult proveWithEq(Transcript transcript, Ext2[] eqPoint, Ext2 claimedSum, List<MleTable> tables,
                                                     List<ProductTerm> terms, VanishingMask[] hiding, SumcheckMask mask, MaskCommitter committer) {
        return run(transcript, eqPoint.clone(), claimedSum, tables, terms, hiding, mask, committer);
    }

    /**
     * Proves Σ_x [eq(eqPoint, x)·] Σ_j c_j Π P_k(x) = claimedSum − Δ for a hidden offset Δ that the
     * verifier never learns: the claim is a masked value (a T'(r) of a {@link VanishingMask}ed table,
     * so Δ = Z(r)·R(r_0)) and Δ is a linear function of values the caller committed before this
     * sumcheck (R's coefficients). ρ is drawn right after g's commitment, and the prover sends
     * G* = Σg − Δ/ρ instead of Σg, so that the verifier's claim claimedSum + ρ·G* equals
     * (claimedSum − Δ) + ρ·Σg, the sum of f + ρg; the caller's commitment then opens G* as that linear
     * function of g and of its committed offset ({@link MaskCommitter#openAdjustedSum}). G* is uniform
     * through a_0, so Δ stays hidden; it is bound by the commitments made before ρ, so soundness is
     * as without offset. This is how a masked claim flows into the next protocol (Libra §4.2 reaches
     * the same with an extra summed variable). {@code eqPoint} null: no eq factor.
     */
    public static ZkSumcheckProverResult proveWithHiddenOffset(Transcript transcript, Ext2[] eqPoint, Ext2 claimedSum, Ext2 hiddenOffset,
                                                               List<MleTable> tables, List<ProductTerm> terms, VanishingMask[] hiding,
                                                               SumcheckMask mask, MaskCommitter committer) {
        int n = tables.isEmpty() ? 0 : tables.getFirst().numVars();
        ZkSumcheckTranscript.claim(transcript, claimedSum, roundDegrees(n, terms, eqPoint != null, hiding));
        committer.commit(transcript, mask);
        Ext2 rho = ZkSumcheckTranscript.maskWeightFirst(transcript);
        Ext2 adjusted = mask.sum().sub(hiddenOffset.mul(rho.inverse()));
        ZkSumcheckTranscript.adjustedMaskSum(transcript, adjusted);
        SumcheckProverResult inner = SumcheckProver.runMasked(transcript, eqPoint == null ? null : eqPoint.clone(), claimedSum.sub(hiddenOffset),
                tables, terms, mask, rho, hiding);
        Ext2[] point = inner.point();
        Ext2 maskEvaluation = mask.evaluate(point);
        ZkSumcheckTranscript.maskEvaluation(transcript, maskEvaluation);
        committer.open(transcript, mask, point, maskEvaluation);
        committer.openAdjustedSum(transcript, mask, rho, adjusted);
        return new ZkSumcheckProverResult(new ZkSumcheckProof(adjusted, inner.proof(), maskEvaluation), claimedSum.sub(hiddenOffset), point,
                inner.finalEvaluations());
    }

    /**
     * Each round's degree, which the mask g must have per variable and the verifier must be given:
     * the statement's (largest term, plus one with eq), the last raised by vanishing masks.
     */
    public static int[] roundDegrees(int numVars, List<ProductTerm> terms, boolean withEq, VanishingMask[] hiding) {
        return SumcheckProver.roundDegrees(numVars, terms, withEq, hiding);
    }

    /** As above from which tables are masked (the verifier's view: it knows the pattern, not the masks). */
    public static int[] roundDegreesOfPattern(int numVars, List<ProductTerm> terms, boolean withEq, boolean[] hidden) {
        VanishingMask[] pattern = new VanishingMask[hidden.length];
        for (int k = 0; k < hidden.length; k++) {
            pattern[k] = hidden[k] ? VanishingMask.PATTERN : null;
        }
        return SumcheckProver.roundDegrees(numVars, terms, withEq, pattern);
    }

    private static ZkSumcheckProverResult run(Transcript t, Ext2[] eqPoint, Ext2 claimedSum, List<MleTable> tables, List<ProductTerm> terms,
                                              VanishingMask[] hiding, SumcheckMask mask, MaskCommitter committer) {
        int n = tables.isEmpty() ? 0 : tables.getFirst().numVars();
        ZkSumcheckTranscript.claim(t, claimedSum, roundDegrees(n, terms, eqPoint != null, hiding));
        committer.commit(t, mask);
        Ext2 maskSum = mask.sum();
        Ext2 rho = ZkSumcheckTranscript.maskWeight(t, maskSum);
        SumcheckProverResult inner = SumcheckProver.runMasked(t, eqPoint, claimedSum, tables, terms, mask, rho, hiding);
        return finish(t, mask, committer, maskSum, claimedSum, inner);
    }

    /** The mask's evaluation at the rounds' point, sent and opened; the proof. */
    private static ZkSumcheckProverResult finish(Transcript t, SumcheckMask mask, MaskCommitter committer, Ext2 maskSum, Ext2 claimedSum,
                                                 SumcheckProverResult inner) {
        Ext2[] point = inner.point();
        Ext2 maskEvaluation = mask.evaluate(point);
        ZkSumcheckTranscript.maskEvaluation(t, maskEvaluation);
        committer.open(t, mask, point, maskEvaluation);
        return new ZkSumcheckProverResult(new ZkSumcheckProof(maskSum, inner.proof(), maskEvaluation), claimedSum, point, inner.finalEvaluations());
    }
}
