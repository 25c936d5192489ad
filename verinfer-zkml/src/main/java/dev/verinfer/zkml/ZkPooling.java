package dev.verinfer.zkml;

import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;

import java.util.ArrayList;
import java.util.List;

/**
 * The graph a zero-knowledge key proves: every MaxPool of a private value over more than {@link #MAX_TAPS} taps (2×2 in
 * embedding_model) split into a pass over the width (kernel 1×k_w) and one over the height (k_h×1) of its output, a new
 * committed tensor between them. max is associative and the second pass reads each window's row maxima, so the output is the
 * executor's bit for bit. Why: the zero-knowledge zero-check Σ eq(τ, x)·Π_k D′_k(x) = 0 ({@link ZkMaxLayers}) masks every gap
 * by a vanishing polynomial on the last variable, which raises the last round's degree to 1 + 2K; the proof's mask blocks hold
 * degree ≤ 7 ({@link ProofMasks#MAX_DEGREE}), so K ≤ 3 taps per maximum.
 */
final class ZkPooling {
    /** Taps a zero-knowledge maximum may have: 1 + 2K ≤ {@link ProofMasks#MAX_DEGREE}. */
    static final int MAX_TAPS = (ProofMasks.MAX_DEGREE - 1) / 2;

    private ZkPooling() {}

    /** {@code graph} with its private MaxPools of more than {@link #MAX_TAPS} taps split (the same graph when there are none). */
    static QuantGraph separable(QuantGraph graph) {
        boolean[] priv = ZeroKnowledge.privateTensors(graph);
        List<QTensor> tensors = new ArrayList<>(graph.tensors());
        List<QNode> nodes = new ArrayList<>();
        for (QNode n : graph.nodes()) {
            if (!(n.op() instanceof QOp.MaxPool p) || !splits(graph, p, priv)) {
                nodes.add(n);
                continue;
            }
            QTensor y = graph.tensor(n.output());
            int[] xs = graph.tensor(p.x()).shape();
            int[] k = p.kernel();
            int[] s = p.strides();
            int[] d = p.dilations();
            int[] pads = p.pads();
            // a maximum of x's values: x's scale, and within x's bound as well as y's
            QTensor columns = new QTensor(tensors.size(), y.name() + "/width-pass", new int[] {xs[0], xs[1], xs[2], y.shape()[3]}, y.scale(),
                    Math.max(y.bits(), graph.tensor(p.x()).bits()), QTensor.Kind.ACTIVATION, null);
            tensors.add(columns);
            nodes.add(new QNode(n.onnxName(), new QOp.MaxPool(p.x(), new int[] {1, k[1]}, new int[] {1, s[1]}, new int[] {0, pads[1], 0, pads[3]},
                    new int[] {1, d[1]}), columns.id()));
            nodes.add(new QNode(n.onnxName(), new QOp.MaxPool(columns.id(), new int[] {k[0], 1}, new int[] {s[0], 1}, new int[] {pads[0], 0, pads[2], 0},
                    new int[] {d[0], 1}), n.output()));
        }
        return nodes.size() == graph.nodes().size() ? graph : new QuantGraph(tensors, nodes, graph.inputs(), graph.outputs());
    }

    /** A 2-D MaxPool of a private value with too many taps for one maximum, each pass within the bound. */
    private static boolean splits(QuantGraph graph, QOp.MaxPool p, boolean[] priv) {
        int[] k = p.kernel();
        return priv[p.x()] && graph.tensor(p.x()).shape().length == 4 && k.length == 2 && k[0] * k[1] > MAX_TAPS && k[0] > 1 && k[1] > 1
                && k[0] <= MAX_TAPS && k[1] <= MAX_TAPS;
    }
}
