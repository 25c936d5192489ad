package dev.verinfer.model.graph;

import java.util.List;
import java.util.Map;

/**
 * The float graph IR: topologically ordered nodes, constants (initializers and the values of
 * {@code Constant} nodes) by name, and the graph's real inputs and outputs.
 */
public record Graph(String name, int opset, List<Node> nodes, Map<String, Tensor> constants,
                    List<ValueInfo> inputs, List<String> outputs) {
    public Graph {
        nodes = List.copyOf(nodes);
        constants = Map.copyOf(constants);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public List<String> inputNames() { return inputs.stream().map(ValueInfo::name).toList(); }
}
