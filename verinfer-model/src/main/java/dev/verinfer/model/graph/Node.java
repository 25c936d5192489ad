package dev.verinfer.model.graph;

import java.util.List;
import java.util.Map;

/**
 * One operator of the float graph. Inputs that ONNX leaves optional and absent are empty strings.
 * Attribute values are Long, Double, String, long[], double[], String[], Tensor or Graph (an If branch).
 */
public record Node(String name, String opType, List<String> inputs, List<String> outputs, Map<String, Object> attributes) {
    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Map.copyOf(attributes);
    }

    public String input(int i) { return i < inputs.size() ? inputs.get(i) : ""; }

    public boolean hasInput(int i) { return !input(i).isEmpty(); }

    public String output() { return outputs.getFirst(); }
}
