package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QuantGraph;
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

import java.util.ArrayList;
import java.util.List;

/**
 * The zero-knowledge merge of several (masked) claims on one uncommitted private tensor T, before the op producing it
 * reduces one claim ({@link ClaimBatching}'s merge would end in T(ρ) in the clear). As {@link ZkWitnessBatching} over T's
 * own table: one zero-knowledge sumcheck with a hidden offset of Σ_x T′(x)·G(x) = Σ_k α^k·v_k − Σ_k α^k·Δ_k, G the batch's
 * weights Σ_k α^k·eq(p_k, ·), T′ = T̃ + Z·c with c a scalar of M (Libra §4.2, one coefficient: T′ is evaluated once); it
 * ends in T′(ρ) ("merge-eval"), the merged claim on T at ρ with the hidden offset Z(ρ)·c, which the producing op then reduces
 * like any masked claim. G* = Σg − Δ/ρ is a linear claim on M.
 *
 * <p><b>Soundness.</b> The Δ_k and c are functionals of M, committed before α and ρ: the merge is ClaimBatching's (a false
 * v_k survives the α-combination with probability ≤ K/|F_{p²}|) plus the zero-knowledge sumcheck's error; the merged claim is
 * bound where it ends, as every masked claim. <b>Simulator</b>: T′(ρ) uniform through c (read by nothing else), G* through
 * the mask's a_0, the rounds Libra's.
 */
final class ZkClaimMerge {
    private static final List<ProductTerm> TERMS = List.of(ProductTerm.of(Ext2.ONE, 0, 1));

    private ZkClaimMerge() {}

    /** The key of tensor t's merge among the proof's zero-knowledge sumchecks (node outputs are ≥ 0, the witness −1). */
    static int key(int t) {
        return -2 - t;
    }

    /**
     * The tensors whose claims a zero-knowledge proof merges, in proving order: every uncommitted private output of an op that
     * reduces one (masked) claim — a {@link ZeroKnowledge#coveredMatMul}, a {@link ZkElementwise} Mul, an Add/Sub masking a second
     * operand — that may have more than one ({@link ZeroKnowledge#onlyClaim} false) and has a variable to mask.
     */
    static List<Integer> tensors(QuantGraph graph, ProofPlan plan) {
        return plan != null && graph == plan.graph ? plan.derived("ZkClaimMerge.tensors", 0, () -> List.copyOf(tensorsScan(graph, plan))) : tensorsScan(graph, plan);
    }

    private static List<Integer> tensorsScan(QuantGraph graph, ProofPlan plan) {
        List<Integer> out = new ArrayList<>();
        if (plan == null || !ZeroKnowledge.masksLeaves(graph, plan)) {
            return out;
        }
        boolean[] priv = ZeroKnowledge.privateTensors(graph, plan);
        for (int i = graph.nodes().size() - 1; i >= 0; i--) {
            QNode node = graph.nodes().get(i);
            int t = node.output();
            if (merges(graph, plan, node, priv) && !plan.isCommitted(t) && !ZeroKnowledge.onlyClaim(graph, plan, t)
                    && plan.shapes[t].numVars() > 0) {
                out.add(t);
            }
        }
        return out;
    }

    /** Whether {@code node}'s protocol takes one claim (so several are merged first). */
    private static boolean merges(QuantGraph graph, ProofPlan plan, QNode node, boolean[] priv) {
        return ZeroKnowledge.coveredMatMul(graph, node, priv, plan) || ZkElementwise.covered(graph, plan, node, priv) || ZkConv.covered(graph, plan, node, priv)
                || ZkGather.covered(graph, plan, node, priv)
                || ZeroKnowledge.sumsPrivate(plan, node) && ZeroKnowledge.maskedSumOperand(plan, node) >= 0;
    }

    /** Whether a tensor whose op takes one claim may have several: merged when it has a variable and the proof masks leaves. */
    static boolean mergeable(QuantGraph graph, ProofPlan plan, int t) {
        return plan != null && ZeroKnowledge.masksLeaves(graph, plan) && plan.shapes[t].numVars() > 0;
    }

    /** The scalar (from {@link ProofMasks.ZkLayout#firstLeafScalar}) masking merged tensor t. */
    private static int slot(ProofPlan plan, int t) {
        return LookupPhase.leafSlots(plan).count() + LinearLayers.privateLeftMatMuls(plan.graph, plan).size() + ZkMaxLayers.scalars(plan)
                + LinearLayers.maskedSums(plan.graph, plan).size() + ZkElementwise.scalars(plan.graph, plan) + tensors(plan.graph, plan).indexOf(t);
    }

    static int[] degrees(int numVars) {
        return ZkSelection.degrees(numVars);
    }

    static Claim prove(ProverContext cx, int t, List<Claim> claims) {
        ProofPlan plan = cx.plan();
        ZkProver zk = cx.zk();
        int n = plan.shapes[t].numVars();
        List<ClaimBatching.SubcubeClaim> batch = ClaimBatching.whole(claims, n);
        Ext2 alpha = cx.channel().challenge("batch-alpha");
        ProofMasks.Committer masks = zk.masks();
        Ext2 c = masks.scalars()[zk.layout().firstLeafScalar() + slot(plan, t)];
        Ext2 delta = masks.hideOffset(HiddenOffset.batched(claims.stream().map(cx.claims()::offset).toList(), alpha));
        ZkSumcheckProverResult res = ZkSumcheckProver.proveWithHiddenOffset(cx.channel().transcript, null, ClaimBatching.batchedValue(batch, alpha),
                delta, List.of(new BaseTable(cx.tensors().padded(t)), new ExtTable(ClaimBatching.weightTable(n, batch, null, null, alpha))), TERMS,
                new VanishingMask[] {new VanishingMask(new Ext2[] {c}), null}, masks.mask(zk.layout().index(key(t))), masks);
        res.proof().write(cx.channel().out);
        masks.flush(cx.channel().out);
        Ext2 value = res.finalEvaluations()[0];
        cx.channel().sendExt("merge-eval", value);
        return merged(plan, cx.claims(), zk.layout(), t, res.point(), value);
    }

    static Claim verify(VerifierContext cx, int t, List<Claim> claims) throws MalformedProofException, ProofRejectedException {
        ProofPlan plan = cx.plan();
        ZkVerifier zk = cx.zk();
        int n = plan.shapes[t].numVars();
        List<ClaimBatching.SubcubeClaim> batch = ClaimBatching.whole(claims, n);
        Ext2 alpha = cx.channel().challenge("batch-alpha");
        int[] degrees = degrees(n);
        ZkSumcheckProof proof = ZkSumcheckProof.read(cx.channel().in, degrees);
        String what = "zero-knowledge claim merge of '" + plan.graph.tensor(t).name() + "'";
        SubClaim sub;
        try {
            sub = ZkSumcheckVerifier.verifyWithHiddenOffset(cx.channel().transcript, ClaimBatching.batchedValue(batch, alpha), 2, degrees, proof,
                    zk.masks().sumcheck(zk.layout().index(key(t))).hideOffset(HiddenOffset.batched(claims.stream().map(cx.claims()::offset).toList(), alpha)));
        } catch (SumcheckRejectedException e) {
            throw new ProofRejectedException(what + ": " + e.getMessage(), e);
        }
        Ext2 value = cx.channel().receiveExt("merge-eval");
        if (!value.mul(ClaimBatching.weightAt(n, batch, null, null, alpha, sub.point())).equals(sub.expectedEvaluation())) {
            throw new ProofRejectedException(what + ": final evaluation does not match");
        }
        return merged(plan, cx.claims(), zk.layout(), t, sub.point(), value);
    }

    /** The merged claim T(ρ) = T′(ρ) − Z(ρ)·c, recorded with its hidden offset (not on the tensor: the caller reduces it). */
    private static Claim merged(ProofPlan plan, ClaimBook book, ProofMasks.ZkLayout layout, int t, Ext2[] rho, Ext2 value) {
        Claim claim = new Claim(rho, value);
        book.mask(claim, HiddenOffset.scalar(layout, layout.firstLeafScalar() + slot(plan, t), VanishingMask.vanishing(rho)));
        return claim;
    }
}
