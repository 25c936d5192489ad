package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A Gather of one private source in zero knowledge (a transpose, slice or pad; a Reshape changing the padded layout): the plain
 * protocol sends the source's partial sum — here the claim's own value, so nothing — and reduces y(r) = Σ_j x(j)·S_r(j) to x
 * by a selection sumcheck; here that sumcheck is {@link ZkSelection}'s (the claim's hidden offset hidden, x′ = x̃ + Z·c with c a
 * scalar of M), sending x′(p) ("gather-eval"). Soundness and simulator: {@link ZkSelection}'s; S_r is public (the verifier
 * evaluates it, {@link LinearLayers#gatherSelectionAt}) and takes only real source entries, so padding is as in the plain
 * protocol.
 */
final class ZkGather {
    private ZkGather() {}

    /** The op a Gather or a layout-changing Reshape is proven as, or null. */
    private static QOp.Gather gather(ProofPlan plan, QNode node) {
        return switch (node.op()) {
            case QOp.Gather g -> g;
            case QOp.Reshape r when !LinearLayers.sameLayout(plan.shapes[r.x()], plan.shapes[node.output()]) -> LinearLayers.reshapeAsGather(plan, node, r);
            default -> null;
        };
    }

    /**
     * Whether a Gather reading a private value is proven in zero knowledge: one source (several would send partial sums), with a
     * variable, the proof masks leaves, and the source committed or taking masked claims.
     */
    static boolean covered(QuantGraph graph, ProofPlan plan, QNode node, boolean[] priv) {
        QOp.Gather g = plan == null ? null : gather(plan, node);
        if (g == null || g.sources().length != 1 || !ZeroKnowledge.masksLeaves(graph, plan)) {
            return false;
        }
        int x = g.sources()[0];
        return priv[x] && plan.shapes[x].numVars() > 0 && (ZeroKnowledge.opened(plan, x) || ZeroKnowledge.takesMaskedClaims(graph, plan, x, priv));
    }

    /** The covered Gathers in proving order (the graph's nodes from the last); each takes one scalar of M, after the Convs'. */
    static List<QNode> nodes(QuantGraph graph, ProofPlan plan) {
        boolean[] priv = ZeroKnowledge.privateTensors(graph, plan);
        List<QNode> out = new ArrayList<>();
        for (int i = graph.nodes().size() - 1; i >= 0; i--) {
            if (covered(graph, plan, graph.nodes().get(i), priv)) {
                out.add(graph.nodes().get(i));
            }
        }
        return out;
    }

    static int[] degrees(ProofPlan plan, QNode node) {
        return ZkSelection.degrees(plan.shapes[gather(plan, node).sources()[0]].numVars());
    }

    private static int slot(ProofPlan plan, QNode node) {
        return ZkConv.firstScalar(plan) + ZkConv.scalars(plan.graph, plan) + nodes(plan.graph, plan).indexOf(node);
    }

    static void prove(ProverContext cx, QNode node, int x, ExtVector selection, Claim claim) {
        ZkSelection.prove(cx, x, selection, claim.value(), cx.claims().offset(claim), slot(cx.plan(), node), node.output(), "gather-eval");
    }

    static void verify(VerifierContext cx, QNode node, int x, Claim claim, Function<Ext2[], Ext2> selectionAt)
            throws MalformedProofException, ProofRejectedException {
        ZkSelection.verify(cx, x, claim.value(), cx.claims().offset(claim), slot(cx.plan(), node), node.output(), "gather-eval",
                "node '" + node.onnxName() + "': gather", selectionAt);
    }
}
