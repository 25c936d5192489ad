package dev.verinfer.model.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites LayerNormalization into its spelled-out form (ReduceMean, Sub, Mul, ReduceMean, Add,
 * Sqrt, Div, Mul, Add), so every intermediate is a graph value that calibration observes.
 */
final class LayerNormDecomposer {
    private LayerNormDecomposer() {}

    static Graph decompose(Graph g, Map<String, int[]> shapes) {
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> constants = new HashMap<>(g.constants());
        for (Node n : g.nodes()) {
            if (!n.opType().equals("LayerNormalization")) {
                nodes.add(n);
                continue;
            }
            FloatOps.eval(n, FloatExecutor.inputsOf(n, zerosFor(n, shapes, constants)), g.opset()); // attribute checks
            int rank = shapes.get(n.input(0)).length;
            int axis = MovementOps.axis(Attrs.getInt(n, "axis", -1), rank);
            long[] axes = new long[rank - axis];
            for (int i = 0; i < axes.length; i++) axes[i] = axis + i;
            String p = n.name() + "/";
            constants.put(p + "epsilon", Tensor.scalar(Attrs.getFloat(n, "epsilon", 1e-5)));
            Map<String, Object> red = Map.of("axes", axes, "keepdims", 1L);
            nodes.add(new Node(p + "mean", "ReduceMean", List.of(n.input(0)), List.of(p + "mean"), red));
            nodes.add(new Node(p + "centred", "Sub", List.of(n.input(0), p + "mean"), List.of(p + "centred"), Map.of()));
            nodes.add(new Node(p + "square", "Mul", List.of(p + "centred", p + "centred"), List.of(p + "square"), Map.of()));
            nodes.add(new Node(p + "variance", "ReduceMean", List.of(p + "square"), List.of(p + "variance"), red));
            nodes.add(new Node(p + "variance_eps", "Add", List.of(p + "variance", p + "epsilon"), List.of(p + "variance_eps"), Map.of()));
            nodes.add(new Node(p + "std", "Sqrt", List.of(p + "variance_eps"), List.of(p + "std"), Map.of()));
            nodes.add(new Node(p + "normalised", "Div", List.of(p + "centred", p + "std"), List.of(p + "normalised"), Map.of()));
            String scaled = n.hasInput(2) ? p + "scaled" : n.output();
            nodes.add(new Node(p + "scaled", "Mul", List.of(p + "normalised", n.input(1)), List.of(scaled), Map.of()));
            if (n.hasInput(2)) nodes.add(new Node(p + "shifted", "Add", List.of(scaled, n.input(2)), List.of(n.output()), Map.of()));
        }
        return new Graph(g.name(), g.opset(), nodes, constants, g.inputs(), g.outputs());
    }

    private static Map<String, Tensor> zerosFor(Node n, Map<String, int[]> shapes, Map<String, Tensor> constants) {
        Map<String, Tensor> v = new HashMap<>(constants);
        for (String i : n.inputs()) if (!i.isEmpty() && !v.containsKey(i)) v.put(i, Tensor.zeros(shapes.get(i)));
        return v;
    }
}
