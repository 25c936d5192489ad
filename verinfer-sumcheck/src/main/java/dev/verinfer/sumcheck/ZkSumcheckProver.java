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
 * f(r) itself, i.e. the final evaluations of the tables: callers hide those by masking the tables'
 * extensions (Libra §4.2: T'(x) = T̃(x) + Z(x)·R(x) with Z vanishing on the hypercube) or by proving
 * them inside the committed-polynomial opening, never by publishing them; see
 * docs/proof-system.md, "Zero-knowledge".
 *
 * <p><b>Soundness.</b> g is bound before ρ, so if H ≠ Σf then H + ρG = Σ(f + ρg) holds for at most one
 * ρ (probability ≤ 1/p²), after which the plain sumcheck's error d·n/p² applies; the final g(r) is
 * bound by the commitment opening.
 */
public final class ZkSumcheckProver {
    private ZkSumcheckProver() {}

    /** Proves Σ_x Σ_j c_j Π P_k(x) = claimedSum with the given fresh mask (degree = the statement's). */
    public static ZkSumcheckProverResult prove(Transcript transcript, Ext2 claimedSum, List<MleTable> tables, List<ProductTerm> terms,
                                               SumcheckMask mask, MaskCommitter committer) {
        return run(transcript, null, claimedSum, tables, terms, mask, committer);
    }

    /** Proves Σ_x eq(eqPoint, x)·Σ_j c_j Π P_k(x) = claimedSum; the mask has degree d + 1. */
    public static ZkSumcheckProverResult proveWithEq(Transcript transcript, Ext2[] eqPoint, Ext2 claimedSum, List<MleTable> tables,
                                                     List<ProductTerm> terms, SumcheckMask mask, MaskCommitter committer) {
        return run(transcript, eqPoint, claimedSum, tables, terms, mask, committer);
    }

    /** The mask degree a statement needs: its round degree (the largest term's, plus one with eq). */
    public static int maskDegree(List<ProductTerm> terms, boolean withEq) {
        return SumcheckProver.degree(terms, withEq);
    }

    private static ZkSumcheckProverResult run(Transcript t, Ext2[] eqPoint, Ext2 claimedSum, List<MleTable> tables, List<ProductTerm> terms,
                                              SumcheckMask mask, MaskCommitter committer) {
        ZkSumcheckTranscript.claim(t, claimedSum);
        committer.commit(t, mask);
        Ext2 maskSum = mask.sum();
        Ext2 rho = ZkSumcheckTranscript.maskWeight(t, maskSum);
        SumcheckProverResult inner = SumcheckProver.runMasked(t, eqPoint, claimedSum, tables, terms, mask, rho);
        Ext2[] point = inner.point();
        Ext2 maskEvaluation = mask.evaluate(point);
        ZkSumcheckTranscript.maskEvaluation(t, maskEvaluation);
        committer.open(t, mask, point, maskEvaluation);
        return new ZkSumcheckProverResult(new ZkSumcheckProof(maskSum, inner.proof(), maskEvaluation), claimedSum, point, inner.finalEvaluations());
    }
}
