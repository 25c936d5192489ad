package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.BaseTable;
import dev.verinfer.sumcheck.ExtTable;
import dev.verinfer.sumcheck.MleTable;
import dev.verinfer.sumcheck.ProductTerm;
import dev.verinfer.sumcheck.SubClaim;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.sumcheck.VanishingMask;
import dev.verinfer.sumcheck.ZkSumcheckProof;
import dev.verinfer.sumcheck.ZkSumcheckProver;
import dev.verinfer.sumcheck.ZkSumcheckProverResult;
import dev.verinfer.sumcheck.ZkSumcheckVerifier;
import dev.verinfer.zkml.layout.Broadcast;
import dev.verinfer.zkml.layout.PaddedShape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The elementwise Mul y = a·b of private values in zero knowledge: a private activation times a private activation
 * (x², x·(1/σ): a spelled-out LayerNorm's Pow and Div) or times a weight (its scale). The plain protocol's sumcheck
 * y(r) = Σ_x eq(r, x)·A(x)·B(x) (A, B the operands broadcast to y) runs through {@link ZkSumcheckProver} (Libra §4.1, its
 * mask g in the proof's {@link ProofMasks}), with a masked claim's offset hidden ({@code proveWithHiddenOffset}), and each
 * private operand entering masked off the hypercube (Libra §4.2): an activation as A′ = Ã + Z·c, c a scalar of M (one per
 * distinct tensor: x·x uses one); a weight as W′ = W̃ + Z·h̃ with h its block of the weight commitment's mask face (as the
 * zero-knowledge MatMul's weights). Last round degree 1 + 2 + 2 = 5 ≤ 7. The proof sends A′(ρ), B′(ρ) ("mul-evals"); an
 * activation's claim a(p) carries the hidden offset Z(ρ)·c to its consumer (the witness opening, or a forwarding op), a
 * weight's is claimed off the face, f′(p, Z(ρ), 0, …), a public operand's value is A(ρ) in the clear.
 *
 * <p><b>Soundness.</b> M (c, g) is committed before ρ, so the sumcheck proves the identity for polynomials fixed before its
 * challenges that equal A and B on the hypercube; A′(ρ) is bound through its claim with the offset (the witness opening or
 * the producer's protocol), W′(ρ) by the off-face opening of the weight commitment.
 *
 * <p><b>Simulator.</b> A′(ρ) is uniform through c (read by no other sent value: Z(ρ) ≠ 0 except with probability
 * 2/|F_{p²}|), W′(ρ) through h(p) (a fresh functional of the face), the rounds, G* and the pieces are Libra's.
 */
final class ZkElementwise {
    private static final List<ProductTerm> PRODUCT = List.of(new ProductTerm(Ext2.ONE, new int[] {0, 1, 2}));

    /** The statement's terms over tables 0 eq(r), 1 A, 2 B: eq·A·B for a Mul, eq·A ± eq·B for an Add/Sub. */
    private static List<ProductTerm> terms(QNode node) {
        return switch (node.op()) {
            case QOp.Mul m -> PRODUCT;
            case QOp.Sub s -> List.of(ProductTerm.of(Ext2.ONE, 0, 1), ProductTerm.of(Ext2.ONE.neg(), 0, 2));
            default -> List.of(ProductTerm.of(Ext2.ONE, 0, 1), ProductTerm.of(Ext2.ONE, 0, 2));
        };
    }

    /** What the final values give: a·b, a + b or a − b. */
    private static Ext2 combine(QNode node, Ext2 a, Ext2 b) {
        return switch (node.op()) {
            case QOp.Mul m -> a.mul(b);
            case QOp.Sub s -> a.sub(b);
            default -> a.add(b);
        };
    }

    /**
     * An Add/Sub with a weight operand (a LayerNorm's bias) is proven here when no operand is broadcast over a dimension with
     * padding (one whose size is not a power of two): the broadcast operand is then repeated over real entries only, and
     * y = A ± B holds on y's whole padded hypercube (no real-region indicator needed).
     */
    private static boolean weightSum(QuantGraph graph, ProofPlan plan, QNode node) {
        if (!(node.op() instanceof QOp.Add || node.op() instanceof QOp.Sub)
                || Arrays.stream(node.inputs()).noneMatch(t -> graph.tensor(t).kind() == QTensor.Kind.WEIGHT)) {
            return false;
        }
        PaddedShape out = plan.shapes[node.output()];
        return Arrays.stream(node.inputs()).allMatch(t -> {
            PaddedShape operand = plan.shapes[t];
            int offset = out.rank() - operand.rank();
            for (int d = 0; d < out.rank(); d++) {
                boolean broadcast = d < offset || operand.dim(d - offset) != out.dim(d);
                if (broadcast && (1 << out.bits(d)) != out.dim(d)) { // repeated over padding there: A ± B ≠ 0 in y's padding
                    return false;
                }
            }
            return true;
        });
    }

    private ZkElementwise() {}

    /**
     * Whether a Mul reading a private value is proven in zero knowledge: its output has a variable (to mask off the hypercube)
     * and one claim, the proof's leaves are masked (the witness opening takes masked claims), and each private operand is a
     * weight (claimed off the face) or committed or takes masked claims ({@link ZeroKnowledge#takesMaskedClaims}).
     */
    static boolean covered(QuantGraph graph, ProofPlan plan, QNode node, boolean[] priv) {
        if (plan == null || !(node.op() instanceof QOp.Mul || weightSum(graph, plan, node)) || !ZeroKnowledge.masksLeaves(graph, plan) || plan.shapes[node.output()].numVars() == 0
                || Arrays.stream(node.inputs()).noneMatch(t -> priv[t])) {
            return false;
        }
        return Arrays.stream(node.inputs()).allMatch(t -> !priv[t] || graph.tensor(t).kind() == QTensor.Kind.WEIGHT || ZeroKnowledge.opened(plan, t)
                || ZeroKnowledge.takesMaskedClaims(graph, plan, t, priv));
    }

    /** The covered Muls in proving order (the graph's nodes from the last). */
    static List<QNode> nodes(QuantGraph graph, ProofPlan plan) {
        return plan != null && graph == plan.graph ? plan.derived("ZkElementwise.nodes", 0, () -> List.copyOf(nodesScan(graph, plan))) : nodesScan(graph, plan);
    }

    private static List<QNode> nodesScan(QuantGraph graph, ProofPlan plan) {
        boolean[] priv = ZeroKnowledge.privateTensors(graph, plan);
        List<QNode> out = new ArrayList<>();
        for (int i = graph.nodes().size() - 1; i >= 0; i--) {
            QNode node = graph.nodes().get(i);
            if (covered(graph, plan, node, priv)
                    && (ZeroKnowledge.onlyClaim(graph, plan, node.output()) || ZkClaimMerge.mergeable(graph, plan, node.output()))) {
                out.add(node);
            }
        }
        return out;
    }

    /** Whether {@code node} is one this class proves (the caller knows the proof is zero-knowledge). */
    static boolean proves(ProofPlan plan, QNode node) {
        return nodes(plan.graph, plan).contains(node);
    }

    /** Scalars of M the covered Muls take: one per distinct private activation operand. */
    static int scalars(QuantGraph graph, ProofPlan plan) {
        return nodes(graph, plan).stream().mapToInt(n -> (int) Arrays.stream(masked(plan, n)).filter(t -> t >= 0).distinct().count()).sum();
    }

    /** Per operand: the tensor when it is a private activation (masked by a scalar of M), else −1. */
    private static int[] masked(ProofPlan plan, QNode node) {
        boolean[] priv = ZeroKnowledge.privateTensors(plan);
        return Arrays.stream(node.inputs()).map(t -> priv[t] && plan.graph.tensor(t).kind() != QTensor.Kind.WEIGHT ? t : -1).toArray();
    }

    /** Per operand: the scalar of M (from {@link ProofMasks.ZkLayout#firstLeafScalar}) masking it, or −1. */
    private static int[] slots(ProofPlan plan, QNode node) {
        int next = LookupPhase.leafSlots(plan).count() + LinearLayers.privateLeftMatMuls(plan.graph, plan).size() + ZkMaxLayers.scalars(plan)
                + LinearLayers.maskedSums(plan.graph, plan).size();
        for (QNode n : nodes(plan.graph, plan)) {
            int[] m = masked(plan, n);
            int[] slots = new int[m.length];
            for (int k = 0; k < m.length; k++) {
                slots[k] = m[k] < 0 ? -1 : k == 1 && m[1] == m[0] ? slots[0] : next++;
            }
            if (n == node) {
                return slots;
            }
        }
        throw new IllegalStateException("node '" + node.onnxName() + "' is no zero-knowledge Mul");
    }

    /** The round degrees over y's variables: eq·A·B, the last raised by the masked operands (a weight's companion by one more). */
    static int[] degrees(ProofPlan plan, QNode node) {
        boolean[] priv = ZeroKnowledge.privateTensors(plan);
        VanishingMask[] pattern = new VanishingMask[3];
        for (int k = 0; k < 2; k++) {
            int t = node.inputs()[k];
            pattern[1 + k] = !priv[t] ? null : plan.graph.tensor(t).kind() == QTensor.Kind.WEIGHT ? VanishingMask.ofTable(0)
                    : new VanishingMask(new Ext2[] {Ext2.ZERO});
        }
        return ZkSumcheckProver.roundDegrees(plan.shapes[node.output()].numVars(), terms(node), false, pattern);
    }

    static void prove(ProverContext cx, QNode node, Claim claim, int sumcheck) {
        ProofPlan plan = cx.plan();
        ZkProver zk = cx.zk();
        PaddedShape out = plan.shapes[node.output()];
        int[] slots = slots(plan, node);
        List<MleTable> tables = new ArrayList<>(List.of(new ExtTable(Mle.eqTable(claim.point()))));
        List<VanishingMask> hiding = new ArrayList<>(Arrays.asList(null, null, null));
        for (int k = 0; k < 2; k++) {
            int t = node.inputs()[k];
            Broadcast bc = new Broadcast(plan.shapes[t], out);
            tables.add(new BaseTable(bc.expand(cx.tensors().padded(t))));
        }
        for (int k = 0; k < 2; k++) {
            int t = node.inputs()[k];
            if (slots[k] >= 0) {
                hiding.set(1 + k, new VanishingMask(new Ext2[] {zk.masks().scalars()[zk.layout().firstLeafScalar() + slots[k]]}));
            } else if (plan.graph.tensor(t).kind() == QTensor.Kind.WEIGHT) { // its companion: the weight's block of the mask face, broadcast
                tables.add(new BaseTable(new Broadcast(plan.shapes[t], out).expand(LinearLayers.weightFace(plan, zk.weightFace(), t))));
                hiding.set(1 + k, VanishingMask.ofTable(tables.size() - 1));
                hiding.add(null);
            }
        }
        HiddenOffset offset = cx.claims().offset(claim);
        var mask = zk.masks().mask(sumcheck);
        ZkSumcheckProverResult res = offset.isNone()
                ? ZkSumcheckProver.prove(cx.channel().transcript, claim.value(), tables, terms(node), hiding.toArray(VanishingMask[]::new), mask, zk.masks())
                : ZkSumcheckProver.proveWithHiddenOffset(cx.channel().transcript, null, claim.value(), zk.masks().hideOffset(offset), tables, terms(node),
                        hiding.toArray(VanishingMask[]::new), mask, zk.masks());
        res.proof().write(cx.channel().out);
        zk.masks().flush(cx.channel().out);
        Ext2[] values = {res.finalEvaluations()[1], res.finalEvaluations()[2]};
        cx.channel().sendExts("elementwise-evals", values);
        for (Claim w : record(plan, cx.claims(), zk.layout(), node, slots, res.point(), values)) {
            zk.weightOpenings().add(new PcsOpening(zk.weights(), w.point(), w.value()));
        }
    }

    static void verify(VerifierContext cx, QNode node, Claim claim, int sumcheck) throws MalformedProofException, ProofRejectedException {
        ZkVerifier zk = cx.zk();
        int[] degrees = degrees(cx.plan(), node);
        int degree = node.op() instanceof QOp.Mul ? 3 : 2;
        ZkSumcheckProof proof = ZkSumcheckProof.read(cx.channel().in, degrees);
        SubClaim sub;
        try {
            HiddenOffset offset = cx.claims().offset(claim);
            sub = offset.isNone()
                    ? ZkSumcheckVerifier.verify(cx.channel().transcript, claim.value(), degree, degrees, proof, zk.masks().sumcheck(sumcheck))
                    : ZkSumcheckVerifier.verifyWithHiddenOffset(cx.channel().transcript, claim.value(), degree, degrees, proof,
                            zk.masks().sumcheck(sumcheck).hideOffset(offset));
        } catch (SumcheckRejectedException e) {
            throw new ProofRejectedException("node '" + node.onnxName() + "': " + e.getMessage(), e);
        }
        Ext2[] values = cx.channel().receiveExts("elementwise-evals", 2);
        if (!Mle.eq(claim.point(), sub.point()).mul(combine(node, values[0], values[1])).equals(sub.expectedEvaluation())) {
            throw new ProofRejectedException("node '" + node.onnxName() + "': sumcheck final evaluation does not match");
        }
        for (Claim w : record(cx.plan(), cx.claims(), zk.layout(), node, slots(cx.plan(), node), sub.point(), values)) {
            zk.weightClaims().add(new PcsClaim(zk.weightRoot(), zk.weightVars(), w.point(), w.value()));
        }
    }

    /**
     * The operands' claims at their broadcast points of ρ: an activation's with the hidden offset Z(ρ)·c, a public one's plain;
     * a weight's returned as an off-face claim f′(p, Z(ρ), 0, …) on the packed weights (point and value).
     */
    private static List<Claim> record(ProofPlan plan, ClaimBook book, ProofMasks.ZkLayout layout, QNode node, int[] slots, Ext2[] rho,
                                      Ext2[] values) {
        PaddedShape out = plan.shapes[node.output()];
        Ext2 z = VanishingMask.vanishing(rho);
        List<Claim> weights = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            int t = node.inputs()[k];
            Ext2[] p = new Broadcast(plan.shapes[t], out).operandPoint(rho);
            Claim c = new Claim(p, values[k]);
            if (slots[k] >= 0) {
                book.on(new ProofPlan.TensorSource(t), c, HiddenOffset.scalar(layout, layout.firstLeafScalar() + slots[k], z));
            } else if (plan.graph.tensor(t).kind() == QTensor.Kind.WEIGHT) {
                weights.add(new Claim(LinearLayers.offFacePoint(plan, t, p, rho), values[k]));
            } else {
                book.onTensor(t, c);
            }
        }
        return weights;
    }
}
