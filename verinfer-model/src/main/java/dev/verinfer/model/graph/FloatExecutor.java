package dev.verinfer.model.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs a float graph node by node (the reference for shapes, constant folding and calibration). */
public final class FloatExecutor {
    private FloatExecutor() {}

    /** Every value of the graph by name: inputs, constants and every node output. */
    public static Map<String, Tensor> run(Graph g, Map<String, Tensor> inputs) {
        Map<String, Tensor> values = new HashMap<>(g.constants());
        values.putAll(inputs);
        for (Node n : g.nodes()) {
            List<Tensor> outs = FloatOps.eval(n, inputsOf(n, values), g.opset());
            for (int i = 0; i < outs.size() && i < n.outputs().size(); i++) values.put(n.outputs().get(i), outs.get(i));
        }
        return values;
    }

    static List<Tensor> inputsOf(Node n, Map<String, Tensor> values) {
        List<Tensor> in = new ArrayList<>();
        for (String name : n.inputs()) {
            if (name.isEmpty()) { in.add(null); continue; }
            Tensor t = values.get(name);
            if (t == null) throw new IllegalStateException("node '" + n.name() + "' reads undefined value '" + name + "'");
            in.add(t);
        }
        return in;
    }
}
