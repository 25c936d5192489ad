package dev.verinfer.node;

import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.Setup;
import dev.verinfer.zkml.UnsupportedGraphException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which nodes of a quantised graph the prover has no protocol for, all of them (setup stops at the
 * first): each node is set up alone, as a graph whose inputs are its activation inputs, whose
 * weights are its own weights only, and whose output is its output.
 */
final class ProverSupport {
    record Unsupported(String node, String reason) {}

    private ProverSupport() {}

    static List<Unsupported> unsupported(QuantGraph g) {
        List<Unsupported> out = new ArrayList<>();
        for (QNode n : g.nodes()) {
            try {
                Setup.setup(alone(g, n));
            } catch (UnsupportedGraphException e) {
                out.add(new Unsupported(n.onnxName(), e.getMessage()));
            }
        }
        return out;
    }

    private static QuantGraph alone(QuantGraph g, QNode n) {
        int[] in = Arrays.stream(n.inputs()).distinct().toArray();
        List<Integer> inputs = new ArrayList<>();
        List<QTensor> tensors = new ArrayList<>();
        for (QTensor t : g.tensors()) {
            boolean used = Arrays.stream(in).anyMatch(i -> i == t.id());
            QTensor.Kind kind = switch (t.kind()) {
                case INPUT, ACTIVATION -> used ? QTensor.Kind.INPUT : QTensor.Kind.ACTIVATION;
                case WEIGHT -> used ? QTensor.Kind.WEIGHT : QTensor.Kind.CONSTANT;
                case CONSTANT -> QTensor.Kind.CONSTANT;
            };
            if (kind == QTensor.Kind.INPUT) inputs.add(t.id());
            boolean hasData = kind == QTensor.Kind.WEIGHT || kind == QTensor.Kind.CONSTANT;
            tensors.add(new QTensor(t.id(), t.name(), t.shape(), t.scale(), t.bits(), kind, hasData ? t.data() : null));
        }
        return new QuantGraph(tensors, List.of(n), inputs, List.of(n.output()));
    }
}
