package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;

import java.util.ArrayList;
import java.util.List;

/**
 * A Gather of private sources in zero knowledge (a transpose, slice or pad; a Reshape changing the padded layout; a Concat of
 * several private tensors): the plain protocol sends each source's partial sum P_s = Σ_j x_s(j)·S_{r,s}(j), checks Σ_s P_s = y(r)
 * and reduces each P_s to x_s by a selection sumcheck. Here, for a claim v = ỹ(r) + Δ (Δ its hidden offset, none for a plain
 * claim), every source but the first sends P′_s = P_s + δ_s ("gather-partial", δ_s a scalar of M read by nothing else) and the
 * first's is derived, P′_0 = v − Σ_{s≥1} P′_s, with the hidden offset Δ − Σ_{s≥1} δ_s — the plain check Σ_s P_s = v solved for
 * the one part it leaves, as {@code LinearLayers.zkSum} does for an Add. Each P′_s is then reduced to x_s by {@link ZkSelection}'s
 * sumcheck with its hidden offset (x′_s = x̃_s + Z·c_s, c_s a scalar of M), sending x′_s(p_s) ("gather-eval"). One source sends
 * no partial at all.
 *
 * <p><b>Soundness.</b> The δ_s, c_s and Δ are functionals of M, bound before r and every sumcheck challenge; the offsets add up
 * to Δ, so the selection sumchecks prove Σ_s Σ_j x_s(j)·S_{r,s}(j) = v − Δ = y(r), the plain protocol's identity, with
 * {@link ZkSelection}'s error per source. S_{r,s} is public (the verifier evaluates it, {@link LinearLayers#gatherSelectionAt})
 * and takes only real entries of source s, so a slice shifted or a source swapped changes the selection the verifier
 * evaluates. <b>Simulator</b>: P′_s (s ≥ 1) uniform through δ_s, P′_0 fixed by the claim, each x′_s(p_s) uniform through c_s,
 * the rounds Libra's.
 */
final class ZkGather {
    private ZkGather() {}

    /** The op a Gather or a layout-changing Reshape is proven as, or null. */
    private static QOp.Gather gather(ProofPlan plan, QNode node) {
        return switch (node.op()) {
            case QOp.Gather g -> g;
            case QOp.Reshape r when !LinearLayers.keepsLayout(plan, node, r) ->
                    plan.derived("ZkGather.reshapeAsGather", node.output(), () -> LinearLayers.reshapeAsGather(plan, node, r));
            default -> null;
        };
    }

    /**
     * Whether a Gather reading a private value is proven in zero knowledge: the proof masks leaves, and every source is private,
     * has a variable and is committed or takes masked claims (a public source would need a plain claim of its own).
     */
    static boolean covered(QuantGraph graph, ProofPlan plan, QNode node, boolean[] priv) {
        QOp.Gather g = plan == null ? null : gather(plan, node);
        if (g == null || !ZeroKnowledge.masksLeaves(graph, plan)) {
            return false;
        }
        for (int x : g.sources()) {
            if (!priv[x] || plan.shapes[x].numVars() == 0 || !(ZeroKnowledge.opened(plan, x) || ZeroKnowledge.takesMaskedClaims(graph, plan, x, priv))) {
                return false;
            }
        }
        return true;
    }

    /** The covered Gathers in proving order (the graph's nodes from the last); each takes {@link #scalars} scalars of M, after the Convs'. */
    static List<QNode> nodes(QuantGraph graph, ProofPlan plan) {
        return plan != null && graph == plan.graph ? plan.derived("ZkGather.nodes", 0, () -> List.copyOf(nodesScan(graph, plan))) : nodesScan(graph, plan);
    }

    private static List<QNode> nodesScan(QuantGraph graph, ProofPlan plan) {
        boolean[] priv = ZeroKnowledge.privateTensors(graph, plan);
        List<QNode> out = new ArrayList<>();
        for (int i = graph.nodes().size() - 1; i >= 0; i--) {
            if (covered(graph, plan, graph.nodes().get(i), priv)) {
                out.add(graph.nodes().get(i));
            }
        }
        return out;
    }

    /** A covered Gather's sources, in its op's order. */
    static int[] sources(ProofPlan plan, QNode node) {
        return gather(plan, node).sources();
    }

    /** Scalars of M of one covered Gather of S sources: c_0 … c_{S−1} (the selections'), then δ_1 … δ_{S−1} (the partials'). */
    private static int scalars(ProofPlan plan, QNode node) {
        return 2 * sources(plan, node).length - 1;
    }

    /** Scalars of M of every covered Gather. */
    static int scalars(QuantGraph graph, ProofPlan plan) {
        int n = 0;
        for (QNode node : nodes(graph, plan)) {
            n += scalars(plan, node);
        }
        return n;
    }

    /**
     * The key among the proof's zero-knowledge sumchecks of source s's selection: the Gather's output for the first (one source
     * as before), below {@link ZkWitnessBatching#committedKey}'s range for the others.
     */
    static int key(QuantGraph graph, QNode node, int s) {
        return s == 0 ? node.output() : -2 - (3 + s) * graph.tensors().size() - node.output();
    }

    static int[] degrees(ProofPlan plan, QNode node, int s) {
        return ZkSelection.degrees(plan.shapes[sources(plan, node)[s]].numVars());
    }

    private static int firstSlot(ProofPlan plan, QNode node) {
        int slot = ZkConv.firstScalar(plan) + ZkConv.scalars(plan.graph, plan);
        for (QNode before : nodes(plan.graph, plan)) {
            if (before == node) {
                return slot;
            }
            slot += scalars(plan, before);
        }
        throw new IllegalArgumentException("node '" + node.onnxName() + "' is no zero-knowledge Gather");
    }

    /** The parts' claims (P′_s with their hidden offsets) from the sent P′_1 … P′_{S−1}: P′_0 derived. */
    private static HiddenOffset[] offsets(ProofMasks.ZkLayout layout, int first, int sources, HiddenOffset claimOffset) {
        HiddenOffset[] offset = new HiddenOffset[sources];
        offset[0] = claimOffset;
        for (int s = 1; s < sources; s++) {
            offset[s] = HiddenOffset.scalar(layout, layout.firstLeafScalar() + first + sources - 1 + s, Ext2.ONE);
            offset[0] = offset[0].plus(offset[s].times(Ext2.ONE.neg()));
        }
        return offset;
    }

    static void prove(ProverContext cx, QNode node, ExtVector[] selections, Claim claim) {
        ProofPlan plan = cx.plan();
        ZkProver zk = cx.zk();
        int[] src = sources(plan, node);
        int first = firstSlot(plan, node);
        Ext2[] part = new Ext2[src.length];
        part[0] = claim.value();
        for (int s = 1; s < src.length; s++) {
            Ext2 delta = zk.masks().scalars()[zk.layout().firstLeafScalar() + first + src.length - 1 + s];
            part[s] = LinearLayers.innerProduct(cx.tensors().padded(src[s]), selections[s]).add(delta);
            part[0] = part[0].sub(part[s]);
        }
        if (src.length > 1) {
            cx.channel().sendExts("gather-partials", java.util.Arrays.copyOfRange(part, 1, src.length));
        }
        HiddenOffset[] offset = offsets(zk.layout(), first, src.length, cx.claims().offset(claim));
        for (int s = 0; s < src.length; s++) {
            ZkSelection.prove(cx, src[s], selections[s], part[s], offset[s], first + s, key(plan.graph, node, s), "gather-eval");
        }
    }

    static void verify(VerifierContext cx, QNode node, Claim claim, java.util.function.BiFunction<Integer, Ext2[], Ext2> selectionAt)
            throws MalformedProofException, ProofRejectedException {
        ProofPlan plan = cx.plan();
        int[] src = sources(plan, node);
        int first = firstSlot(plan, node);
        Ext2[] part = new Ext2[src.length];
        part[0] = claim.value();
        if (src.length > 1) {
            Ext2[] sent = cx.channel().receiveExts("gather-partials", src.length - 1);
            for (int s = 1; s < src.length; s++) {
                part[s] = sent[s - 1];
                part[0] = part[0].sub(part[s]);
            }
        }
        HiddenOffset[] offset = offsets(cx.zk().layout(), first, src.length, cx.claims().offset(claim));
        for (int s = 0; s < src.length; s++) {
            int source = s;
            ZkSelection.verify(cx, src[s], part[s], offset[s], first + s, key(plan.graph, node, s), "gather-eval",
                    "node '" + node.onnxName() + "': gather (source " + s + ")", rho -> selectionAt.apply(source, rho));
        }
    }
}
