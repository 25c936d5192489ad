package dev.verinfer.model.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spells out operators that are compositions of supported ones, after folding and before
 * calibration, so every intermediate is a graph value with its own calibrated range:
 * ReduceL2 = Sqrt(ReduceSum(x·x)); ReduceSumSquare = ReduceSum(x·x);
 * ReduceLogSumExp = m + Log(ReduceSum(Exp(x − m))), m = ReduceMax(x);
 * InstanceNormalization as LayerNorm over each (n, c) plane with per-channel scale and bias;
 * LpPool (p = 1, 2) = (AveragePool(|x|^p, padding counted) · window)^(1/p);
 * Pow(a, b) with b not a constant = Exp(b · Log(a)) (for a > 0).
 */
final class OpDecomposer {
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> constants;
    private final Map<String, int[]> shapes;

    private OpDecomposer(Graph g, Map<String, int[]> shapes) {
        this.constants = new HashMap<>(g.constants());
        this.shapes = shapes;
    }

    static Graph decompose(Graph g, Map<String, int[]> shapes) {
        OpDecomposer d = new OpDecomposer(g, shapes);
        boolean changed = false;
        for (Node n : g.nodes()) changed |= d.rewrite(n);
        return changed ? new Graph(g.name(), g.opset(), d.nodes, d.constants, g.inputs(), g.outputs()) : g;
    }

    private String node(String name, String op, List<String> in, Map<String, Object> attrs) {
        nodes.add(new Node(name, op, in, List.of(name), attrs));
        return name;
    }

    private String constant(String name, Tensor t) {
        constants.put(name, t);
        return name;
    }

    private boolean rewrite(Node n) {
        String p = n.name() + "/";
        switch (n.opType()) {
            case "ReduceL2", "ReduceSumSquare", "ReduceLogSumExp" -> {
                int rank = shapes.get(n.input(0)).length;
                long[] axes = Attrs.getInts(n, "axes");
                if (n.hasInput(1)) axes = constants.get(n.input(1)).toLongs();
                if ((axes == null || axes.length == 0) && Attrs.getInt(n, "noop_with_empty_axes", 0) != 0) return false;
                int[] ax = ReduceOps.axes(axes, rank);
                long[] axl = java.util.Arrays.stream(ax).asLongStream().toArray();
                long keep = Attrs.getInt(n, "keepdims", 1);
                String x = n.input(0);
                if (n.opType().equals("ReduceLogSumExp")) {
                    Map<String, Object> kept = Map.of("axes", axl, "keepdims", 1L);
                    String m = node(p + "max", "ReduceMax", List.of(x), kept);
                    String d = node(p + "centred", "Sub", List.of(x, m), Map.of());
                    String e = node(p + "exp", "Exp", List.of(d), Map.of());
                    String s = node(p + "sum", "ReduceSum", List.of(e), kept);
                    String l = node(p + "log", "Log", List.of(s), Map.of());
                    if (keep != 0) nodes.add(new Node(p + "add", "Add", List.of(l, m), n.outputs(), Map.of()));
                    else {
                        String y = node(p + "add", "Add", List.of(l, m), Map.of());
                        double[] shape = java.util.Arrays.stream(shapes.get(n.output())).asDoubleStream().toArray();
                        nodes.add(new Node(p + "squeeze", "Reshape", List.of(y, constant(p + "shape", Tensor.vector(shape))), n.outputs(), Map.of()));
                    }
                    return true;
                }
                String sq = node(p + "square", "Mul", List.of(x, x), Map.of());
                Map<String, Object> red = Map.of("axes", axl, "keepdims", keep);
                if (n.opType().equals("ReduceSumSquare")) {
                    nodes.add(new Node(p + "sum", "ReduceSum", List.of(sq), n.outputs(), red));
                } else {
                    String s = node(p + "sum", "ReduceSum", List.of(sq), red);
                    nodes.add(new Node(p + "sqrt", "Sqrt", List.of(s), n.outputs(), Map.of()));
                }
                return true;
            }
            case "InstanceNormalization" -> {
                Attrs.allowOnly(n, java.util.Set.of("epsilon"));
                int rank = shapes.get(n.input(0)).length;
                long[] axes = new long[rank - 2];
                for (int i = 0; i < axes.length; i++) axes[i] = i + 2;
                double[] perChannel = new double[rank - 1];
                java.util.Arrays.fill(perChannel, 1);
                perChannel[0] = -1;
                String shape = constant(p + "channel_shape", Tensor.vector(perChannel));
                Map<String, Object> red = Map.of("axes", axes, "keepdims", 1L);
                String x = n.input(0);
                String mean = node(p + "mean", "ReduceMean", List.of(x), red);
                String c = node(p + "centred", "Sub", List.of(x, mean), Map.of());
                String sq = node(p + "square", "Mul", List.of(c, c), Map.of());
                String var = node(p + "variance", "ReduceMean", List.of(sq), red);
                String ve = node(p + "variance_eps", "Add", List.of(var, constant(p + "epsilon", Tensor.scalar(Attrs.getFloat(n, "epsilon", 1e-5)))), Map.of());
                String sd = node(p + "std", "Sqrt", List.of(ve), Map.of());
                String norm = node(p + "normalised", "Div", List.of(c, sd), Map.of());
                String scale = node(p + "scale", "Reshape", List.of(n.input(1), shape), Map.of());
                String bias = node(p + "bias", "Reshape", List.of(n.input(2), shape), Map.of());
                String scaled = node(p + "scaled", "Mul", List.of(norm, scale), Map.of());
                nodes.add(new Node(p + "shifted", "Add", List.of(scaled, bias), n.outputs(), Map.of()));
                return true;
            }
            case "LpPool" -> {
                FloatOps.eval(n, List.of(Tensor.zeros(shapes.get(n.input(0)))), 18); // attribute checks
                long pw = Attrs.getInt(n, "p", 2);
                Map<String, Object> attrs = new HashMap<>(n.attributes());
                attrs.remove("p");
                attrs.put("count_include_pad", 1L);
                int[] kernel = Attrs.getIntArray(n, "kernel_shape", null);
                int window = 1;
                for (int k : kernel) window *= k;
                String x = n.input(0);
                String powered = pw == 1 ? node(p + "abs", "Abs", List.of(x), Map.of()) : node(p + "square", "Mul", List.of(x, x), Map.of());
                String avg = node(p + "average", "AveragePool", List.of(powered), attrs);
                String w = constant(p + "window", Tensor.scalar(window));
                if (pw == 1) nodes.add(new Node(p + "sum", "Mul", List.of(avg, w), n.outputs(), Map.of()));
                else nodes.add(new Node(p + "sqrt", "Sqrt", List.of(node(p + "sum", "Mul", List.of(avg, w), Map.of())), n.outputs(), Map.of()));
                return true;
            }
            case "Pow" -> {
                if (constants.containsKey(n.input(1))) break;
                String l = node(p + "log", "Log", List.of(n.input(0)), Map.of());
                String m = node(p + "product", "Mul", List.of(n.input(1), l), Map.of());
                nodes.add(new Node(p + "exp", "Exp", List.of(m), n.outputs(), Map.of()));
                return true;
            }
            default -> { }
        }
        nodes.add(n);
        return false;
    }
}
