package dev.verinfer.model;

import dev.verinfer.model.graph.FloatOps;
import dev.verinfer.model.graph.Graph;
import dev.verinfer.model.graph.GraphPreparer;
import dev.verinfer.model.graph.Node;
import dev.verinfer.model.graph.Tensor;
import dev.verinfer.model.graph.ValueInfo;
import dev.verinfer.model.onnx.OnnxImporter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a model contains and whether verinfer supports it: op counts, parameter count, every node
 * with its output shapes, and each unsupported node with the reason (for {@code verinfer inspect}).
 */
public final class ModelInspector {
    private ModelInspector() {}

    /** One node: its output shapes are null where they could not be inferred. */
    public record NodeInfo(String name, String opType, List<String> inputs, List<String> outputs, List<int[]> outputShapes, String problem) {
        public boolean supported() { return problem == null; }
    }

    public record ModelInfo(String graphName, int opset, List<ValueInfo> inputs, List<String> outputs, Map<String, Integer> opCounts,
                            long parameters, List<NodeInfo> nodes) {
        public List<NodeInfo> unsupported() { return nodes.stream().filter(n -> !n.supported()).toList(); }

        public boolean fullySupported() { return unsupported().isEmpty(); }

        /** A human-readable report. */
        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append("graph ").append(graphName).append(" (opset ").append(opset).append("), ").append(parameters).append(" parameters\n");
            inputs.forEach(i -> sb.append("input  ").append(i.name()).append(' ').append(i.dims()).append('\n'));
            outputs.forEach(o -> sb.append("output ").append(o).append('\n'));
            opCounts.forEach((op, n) -> sb.append(String.format("%6d × %s%n", n, op)));
            for (NodeInfo n : nodes) {
                sb.append(n.supported() ? "  ok  " : "  NO  ").append(n.opType()).append(' ').append(n.name());
                if (n.outputShapes() != null) n.outputShapes().forEach(s -> sb.append(' ').append(s == null ? "?" : Arrays.toString(s)));
                if (!n.supported()) sb.append("  -- ").append(n.problem());
                sb.append('\n');
            }
            sb.append(fullySupported() ? "supported\n" : unsupported().size() + " unsupported node(s)\n");
            return sb.toString();
        }
    }

    public static ModelInfo inspect(Path onnx, Map<String, int[]> inputShapes) {
        return inspect(OnnxImporter.read(onnx), inputShapes);
    }

    /** Shapes are inferred where the input shapes are known (given, or static in the model). */
    public static ModelInfo inspect(Graph g, Map<String, int[]> inputShapes) {
        Map<String, Tensor> values = new HashMap<>(g.constants());
        boolean shapesKnown = true;
        try {
            GraphPreparer.resolveInputShapes(g, inputShapes).forEach((k, s) -> values.put(k, Tensor.zeros(s)));
        } catch (InvalidInputException e) {
            shapesKnown = false;
        }
        String ifProblem = "If, LSTM, GRU and RNN are expanded only once the input shapes are fixed (give the input shapes)";
        if (shapesKnown) {
            Map<String, Tensor> inputs = new HashMap<>();
            GraphPreparer.resolveInputShapes(g, inputShapes).forEach((k, s) -> inputs.put(k, Tensor.zeros(s)));
            try {
                g = GraphPreparer.expandStructural(g, inputs);
            } catch (UnsupportedModelException e) {
                ifProblem = e.getMessage();
            } catch (RuntimeException e) {
                ifProblem = "cannot evaluate the nodes before it: " + e.getMessage();
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        List<NodeInfo> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            counts.merge(n.opType(), 1, Integer::sum);
            String problem = GraphPreparer.STRUCTURAL.contains(n.opType()) ? ifProblem
                    : FloatOps.SUPPORTED.contains(n.opType()) ? null : "operator '" + n.opType() + "' is not supported";
            List<int[]> shapes = null;
            boolean inputsKnown = shapesKnown && n.inputs().stream().allMatch(i -> i.isEmpty() || values.containsKey(i));
            if (problem == null && inputsKnown) {
                try {
                    List<Tensor> in = n.inputs().stream().map(i -> i.isEmpty() ? null : values.get(i)).toList();
                    List<Tensor> out = FloatOps.eval(n, in, g.opset());
                    shapes = new ArrayList<>();
                    for (int i = 0; i < out.size(); i++) {
                        values.put(n.outputs().get(i), out.get(i));
                        shapes.add(out.get(i).shape());
                    }
                } catch (UnsupportedModelException e) {
                    problem = e.getMessage();
                } catch (RuntimeException e) {
                    problem = "cannot evaluate: " + e.getMessage();
                }
            }
            nodes.add(new NodeInfo(n.name(), n.opType(), n.inputs(), n.outputs(), shapes, problem));
        }
        long params = g.constants().values().stream().mapToLong(Tensor::size).sum(); // every constant element (weights, biases, scalars)
        return new ModelInfo(g.name(), g.opset(), g.inputs(), g.outputs(), counts, params, nodes);
    }
}
