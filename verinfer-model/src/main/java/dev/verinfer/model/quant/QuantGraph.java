package dev.verinfer.model.quant;

import java.util.List;

/** The quantised graph: the exact integer computation verinfer proves (see docs/quantised-ir.md). */
public record QuantGraph(List<QTensor> tensors, List<QNode> nodes, List<Integer> inputs, List<Integer> outputs) {
    /** No value, product or accumulator may reach 2^MAX_BITS in magnitude. */
    public static final int MAX_BITS = 40;
    /** Bound on a Rescale output (the prover range-checks it by table look-up). */
    public static final int MAX_RESCALE_BITS = 20;

    public QuantGraph {
        tensors = List.copyOf(tensors);
        nodes = List.copyOf(nodes);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        for (int i = 0; i < tensors.size(); i++) {
            if (tensors.get(i).id() != i) throw new IllegalArgumentException("tensor ids must be 0..n-1 in order");
        }
    }

    public QTensor tensor(int id) { return tensors.get(id); }

    /** The id of the tensor named {@code name}. */
    public int id(String name) {
        for (QTensor t : tensors) if (t.name().equals(name)) return t.id();
        throw new IllegalArgumentException("no tensor named '" + name + "'");
    }
}
