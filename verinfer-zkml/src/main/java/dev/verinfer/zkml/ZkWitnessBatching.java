package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.sumcheck.BaseTable;
import dev.verinfer.sumcheck.ExtTable;
import dev.verinfer.sumcheck.ProductTerm;
import dev.verinfer.sumcheck.SubClaim;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.sumcheck.VanishingMask;
import dev.verinfer.sumcheck.ZkSumcheckProof;
import dev.verinfer.sumcheck.ZkSumcheckProver;
import dev.verinfer.sumcheck.ZkSumcheckProverResult;
import dev.verinfer.sumcheck.ZkSumcheckVerifier;
import dev.verinfer.zkml.layout.Padding;

import java.util.Arrays;
import java.util.List;

/**
 * The witness opening of a zero-knowledge proof whose look-up leaves are masked: the claims on the
 * committed items arrive masked (v_k = T(p_k) + Δ_k, {@link HiddenOffset}), so {@link ClaimBatching}'s
 * plain sumcheck, which would end in the witness's value W(ρ), is replaced by one zero-knowledge sumcheck
 * with a hidden offset ({@link ZkSumcheckProver#proveWithHiddenOffset}):
 * Σ_x W′(x)·G(x) = Σ_k α^k·v_k − Σ_k α^k·Δ_k, with G the batch's weights (the padding zero-check
 * included, {@link ClaimBatching#weightTable}) and W′ = W̃ + Z·h̃ masked by the witness commitment's own mask
 * face h (Libra §4.2 with the companion table, as the weights' in {@link LinearLayers}). It ends in
 * W′(ρ) = f′(ρ, Z(ρ), 0, …), sent and claimed off the face of the hiding witness commitment; G* = Σg − Δ/ρ
 * is a linear claim on M. <i>Simulator</i>: G* uniform through a_0, the rounds Libra's, W′(ρ) uniform
 * through h (a fresh functional of the face). <i>Soundness</i>: Δ is a functional of M, committed before
 * every challenge of the look-up phase; the sumcheck's, M's and the witness's bindings as for the weights'.
 */
final class ZkWitnessBatching {
    private static final List<ProductTerm> TERMS = List.of(ProductTerm.of(Ext2.ONE, 0, 1));
    /** W (table 0) masked by the face h (table 2); G (table 1) public. */
    private static final VanishingMask[] HIDING = {VanishingMask.ofTable(2), null, null};

    private ZkWitnessBatching() {}

    /** The sumcheck's round degrees over the packed witness's {@code numVars} variables. */
    static int[] degrees(int numVars) {
        return degrees(numVars, -1);
    }

    /** As above; with the mask in the witness's tail ({@code tail} ≥ 0) there is no vanishing mask: every round is of degree 2. */
    static int[] degrees(int numVars, int tail) {
        return ZkSumcheckProver.roundDegrees(numVars, TERMS, false, tail >= 0 ? null : HIDING);
    }

    /**
     * d ≥ 0 when the zero-knowledge witness commitment of this plan keeps v = n with its mask in the last aligned 2^d slots:
     * the scheme has that layout for the witness's one opening ({@link ZeroKnowledge#OFF_FACE_OPENING_BUDGET} units,
     * {@link MultilinearPcs#hidingTailVars}, narrow under the weights at the key's {@code weightBudget}: {@link #top}) and those
     * slots are tail padding of the plan's packing; else −1 (the mask above 2^n, opened off its face). A function of the key's
     * scheme, weight opening budget and plan, so the verifier derives it as the prover does.
     */
    static int tail(MultilinearPcs pcs, ProofPlan plan, int weightBudget) {
        if (!ZeroKnowledge.masksLeaves(plan)) {
            return -1;
        }
        int n = plan.witnessPacking.numVars();
        int d = pcs.hidingTailVars(n, ZeroKnowledge.OFF_FACE_OPENING_BUDGET, narrow(plan), top(plan, weightBudget));
        return d >= 0 && plan.witnessPadding.lastBlockIsFree(d) ? d : -1;
    }

    /**
     * The registered weights' hiding commitment as the top of the batched run a {@link #narrow} witness joins (their table
     * committed for the key's {@code weightBudget} openings), so that the witness's first fold is no narrower than that run
     * admits ({@link MultilinearPcs.HidingShape#top}; 2026-12-07, branch heyfold31: hey_mycroft_v0.1's 18-variable witness folds
     * 3 under weights folding 4 at budget 256, 1 under 1024 as before); null when the witness is not narrow or the model has no
     * weights. A function of the plan and the key.
     */
    static MultilinearPcs.HidingShape top(ProofPlan plan, int weightBudget) {
        return narrow(plan) && !plan.weightTensors.isEmpty()
                ? new MultilinearPcs.HidingShape(plan.weightPacking.numVars(), weightBudget, -1, false) : null;
    }

    /**
     * Whether the witness's in-tail commitment takes the narrowest first fold ({@link MultilinearPcs#commitHidingOnceInTail} with {@code narrow}):
     * when the weights' table has at least its arity, so their hiding commitment (of more variables than their table) is the
     * top of the batched run the witness joins and reads one value of each of its leaves. A function of the plan.
     */
    static boolean narrow(ProofPlan plan) {
        return plan.weightPacking.numVars() >= plan.witnessPacking.numVars();
    }

    /** Whether every part of every claim lies before the last 2^tail slots (no claim reads the mask's block). */
    static boolean offTail(int numVars, int tail, List<ClaimBatching.SubcubeClaim> claims) {
        long start = (1L << numVars) - (1L << tail);
        return tail < 0 || claims.stream().flatMap(c -> c.parts().stream()).allMatch(p -> (p.block() + 1) << p.itemVars() <= start);
    }

    /** The point of W′(ρ) on f′: ρ, then Z(ρ) on the first mask coordinate. */
    private static Ext2[] offFace(Ext2[] rho) {
        Ext2[] p = Arrays.copyOf(rho, rho.length + 1);
        p[rho.length] = VanishingMask.vanishing(rho);
        return p;
    }

    /**
     * The key among the proof's zero-knowledge sumchecks of the opening of input or output t committed on its own (node outputs
     * are ≥ 0, the witness −1, merges, Conv and pooling reductions below −1; {@link ZkClaimMerge#key}).
     */
    static int committedKey(dev.verinfer.model.quant.QuantGraph graph, int t) {
        return -2 - 3 * graph.tensors().size() - t;
    }

    static PcsOpening prove(ProverChannel ch, ZkProver zk, HidingCommitment witness, long[] packed, int numVars, Padding padding,
                            List<ClaimBatching.SubcubeClaim> claims, List<HiddenOffset> offsets) {
        return prove(ch, zk, ProofMasks.ZkLayout.WITNESS, "witness-eval", witness, packed, numVars, padding, claims, offsets);
    }

    /**
     * As for the witness, over a committed input's or output's own hiding commitment ({@code key} its
     * {@link #committedKey}, {@code label} the sent value's): every claim the proof makes on it, masked or plain, and its
     * padding zero-check, ending in one off-face claim T′(ρ) = f′(ρ, Z(ρ), 0, …).
     */
    static PcsOpening prove(ProverChannel ch, ZkProver zk, int key, String label, HidingCommitment witness, long[] packed, int numVars,
                            Padding padding, List<ClaimBatching.SubcubeClaim> claims, List<HiddenOffset> offsets) {
        claims.forEach(c -> c.requireFits(numVars));
        int tail = witness.tailVars();
        if (!offTail(numVars, tail, claims)) {
            throw new IllegalStateException("a claim on the witness reads the last 2^" + tail + " slots, which hold its mask");
        }
        Padding pad = tail >= 0 ? padding.withoutLastBlock(tail) : padding;
        Ext2[] tau = pad.isEmpty() ? null : ch.challenges("padding-point", numVars);
        Ext2 alpha = ch.challenge("batch-alpha");
        ProofMasks.Committer masks = zk.masks();
        var mask = masks.mask(zk.layout().index(key));
        Ext2 delta = masks.hideOffset(HiddenOffset.batched(offsets, alpha));
        ExtTable weights = new ExtTable(ClaimBatching.weightTable(numVars, claims, pad, tau, alpha));
        // With the mask in the tail the sumcheck runs on f′ itself (the witness with uniform values in its last block, where
        // G is zero: the same sum), and f′(ρ) is masked by the block; else on W′ = W̃ + Z·h̃ with the mask face h.
        ZkSumcheckProverResult res = tail >= 0
                ? ZkSumcheckProver.proveWithHiddenOffset(ch.transcript, null, ClaimBatching.batchedValue(claims, alpha), delta,
                        List.of(new BaseTable(witness.committedTable()), weights), TERMS, null, mask, masks)
                : ZkSumcheckProver.proveWithHiddenOffset(ch.transcript, null, ClaimBatching.batchedValue(claims, alpha), delta,
                        List.of(new BaseTable(packed), weights, new BaseTable(witness.maskFace())), TERMS, HIDING, mask, masks);
        res.proof().write(ch.out);
        masks.flush(ch.out);
        Ext2 value = res.finalEvaluations()[0];
        ch.sendExt(label, value);
        return new PcsOpening(witness, tail >= 0 ? res.point() : offFace(res.point()), value);
    }

    /** The verifier's side for the witness, {@code tail} its {@link #tail} (the key's scheme and plan fix it). */
    static PcsClaim verify(VerifierChannel ch, ZkVerifier zk, byte[] root, int numVars, int tail, Padding padding, List<ClaimBatching.SubcubeClaim> claims,
                           List<HiddenOffset> offsets) throws MalformedProofException, ProofRejectedException {
        return verify(ch, zk, ProofMasks.ZkLayout.WITNESS, "witness-eval", "the witness", root, numVars, tail, padding, claims, offsets);
    }

    /** The verifier's side of {@link #prove(ProverChannel, ZkProver, int, String, HidingCommitment, long[], int, Padding, List, List)}. */
    static PcsClaim verify(VerifierChannel ch, ZkVerifier zk, int key, String label, String what, byte[] root, int numVars, Padding padding,
                           List<ClaimBatching.SubcubeClaim> claims, List<HiddenOffset> offsets) throws MalformedProofException, ProofRejectedException {
        return verify(ch, zk, key, label, what, root, numVars, -1, padding, claims, offsets);
    }

    private static PcsClaim verify(VerifierChannel ch, ZkVerifier zk, int key, String label, String what, byte[] root, int numVars, int tail,
                                   Padding padding, List<ClaimBatching.SubcubeClaim> claims, List<HiddenOffset> offsets)
            throws MalformedProofException, ProofRejectedException {
        claims.forEach(c -> c.requireFits(numVars));
        if (!offTail(numVars, tail, claims)) { // items sit before the block by the plan: a claim there would read the mask
            throw new ProofRejectedException("a claim on " + what + " reads the last 2^" + tail + " slots, which hold its mask");
        }
        padding = tail >= 0 ? padding.withoutLastBlock(tail) : padding;
        Ext2[] tau = padding.isEmpty() ? null : ch.challenges("padding-point", numVars);
        Ext2 alpha = ch.challenge("batch-alpha");
        int[] degrees = degrees(numVars, tail);
        ZkSumcheckProof proof = ZkSumcheckProof.read(ch.in, degrees);
        SubClaim sub;
        try {
            sub = ZkSumcheckVerifier.verifyWithHiddenOffset(ch.transcript, ClaimBatching.batchedValue(claims, alpha), 2, degrees, proof,
                    zk.masks().sumcheck(zk.layout().index(key)).hideOffset(HiddenOffset.batched(offsets, alpha)));
        } catch (SumcheckRejectedException e) {
            throw new ProofRejectedException("padding zero-check and claim batching of " + what + ": " + e.getMessage(), e);
        }
        Ext2 value = ch.receiveExt(label);
        if (!value.mul(ClaimBatching.weightAt(numVars, claims, padding, tau, alpha, sub.point())).equals(sub.expectedEvaluation())) {
            throw new ProofRejectedException("padding zero-check and claim batching of " + what + ": final evaluation does not match");
        }
        return new PcsClaim(root, numVars, tail >= 0 ? sub.point() : offFace(sub.point()), value);
    }
}
