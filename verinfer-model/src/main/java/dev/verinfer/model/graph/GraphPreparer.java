package dev.verinfer.model.graph;

import dev.verinfer.model.InvalidInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fixes dynamic dims from the given input shapes, infers every shape, folds everything computable
 * from constants (including {@code Shape} of values with known shape) and fuses BatchNormalization
 * into a preceding Conv or Gemm when that is exact, and chains of elementwise ops of one value into
 * one function ({@link UnaryChains}).
 */
public final class GraphPreparer {
    private GraphPreparer() {}

    /** {@code inputShapes} may omit inputs whose declared shape is fully static. */
    public static PreparedGraph prepare(Graph g, Map<String, int[]> inputShapes) {
        Map<String, int[]> in = resolveInputShapes(g, inputShapes);
        Map<String, Tensor> zeros = new HashMap<>();
        in.forEach((k, s) -> zeros.put(k, Tensor.zeros(s)));
        Graph inlined = expandStructural(g, zeros);
        Graph spelled = LayerNormDecomposer.decompose(inlined, probeShapes(inlined, zeros));
        Map<String, int[]> shapes = probeShapes(spelled, zeros);
        Graph folded = fuseBatchNorm(fold(spelled, shapes));
        Graph decomposed = OpDecomposer.decompose(folded, shapes);
        if (decomposed != folded) {
            shapes = probeShapes(decomposed, zeros);
            folded = fold(decomposed, shapes);
        }
        return new PreparedGraph(UnaryChains.fuse(folded, shapes), shapes);
    }

    /** Nodes replaced by other nodes before anything else (see {@link #expandStructural}). */
    public static final Set<String> STRUCTURAL = Set.of("If", "LSTM", "GRU", "RNN");

    /**
     * Replaces every If whose condition is constant once shapes are fixed (a Shape-derived test, say)
     * by the nodes of the branch it takes, the branch's outputs renamed to the If's by Identity nodes,
     * and unrolls every LSTM, GRU and RNN over its (now static) sequence length ({@link Recurrent}).
     * An If whose condition depends on the inputs is refused: both branches would have to be proven.
     */
    public static Graph expandStructural(Graph g, Map<String, Tensor> inputs) {
        while (true) {
            int at = -1;
            for (int i = 0; i < g.nodes().size() && at < 0; i++) if (STRUCTURAL.contains(g.nodes().get(i).opType())) at = i;
            if (at < 0) return g;
            Map<String, Tensor> values = new HashMap<>(g.constants());
            values.putAll(inputs);
            Set<String> constant = new HashSet<>(g.constants().keySet());
            for (int i = 0; i < at; i++) {
                Node n = g.nodes().get(i);
                List<Tensor> outs = FloatOps.eval(n, FloatExecutor.inputsOf(n, values), g.opset());
                for (int o = 0; o < outs.size() && o < n.outputs().size(); o++) values.put(n.outputs().get(o), outs.get(o));
                if (n.opType().equals("Shape") || n.inputs().stream().allMatch(v -> v.isEmpty() || constant.contains(v))) constant.addAll(n.outputs());
            }
            Node ifNode = g.nodes().get(at);
            if (!ifNode.opType().equals("If")) {
                Map<String, Tensor> known = new HashMap<>(g.constants()); // constants, and values computed from constants alone
                for (String c : constant) if (values.containsKey(c)) known.put(c, values.get(c));
                List<Node> nodes = new ArrayList<>(g.nodes().subList(0, at));
                nodes.addAll(Recurrent.unroll(ifNode, values, known));
                Map<String, Tensor> constants = new HashMap<>(g.constants());
                known.forEach((k, v) -> { if (k.startsWith(ifNode.name() + "/")) constants.put(k, v); });
                nodes.addAll(g.nodes().subList(at + 1, g.nodes().size()));
                g = new Graph(g.name(), g.opset(), nodes, constants, g.inputs(), g.outputs());
                continue;
            }
            if (!constant.contains(ifNode.input(0))) {
                throw Attrs.unsupported(ifNode, "the condition '" + ifNode.input(0) + "' depends on the model's inputs; only an If whose "
                        + "condition is constant once the input shapes are fixed is supported (it is folded away)");
            }
            boolean taken = values.get(ifNode.input(0)).data()[0] != 0;
            if (!(ifNode.attributes().get(taken ? "then_branch" : "else_branch") instanceof Graph branch)) {
                throw Attrs.unsupported(ifNode, "has no " + (taken ? "then_branch" : "else_branch") + " graph");
            }
            if (branch.outputs().size() != ifNode.outputs().size()) {
                throw Attrs.unsupported(ifNode, "its branch has " + branch.outputs().size() + " outputs, the node " + ifNode.outputs().size());
            }
            List<Node> nodes = new ArrayList<>(g.nodes().subList(0, at));
            nodes.addAll(branch.nodes());
            for (int o = 0; o < branch.outputs().size(); o++) {
                nodes.add(new Node(ifNode.name() + "/output_" + o, "Identity", List.of(branch.outputs().get(o)), List.of(ifNode.outputs().get(o)), Map.of()));
            }
            nodes.addAll(g.nodes().subList(at + 1, g.nodes().size()));
            Map<String, Tensor> constants = new HashMap<>(g.constants());
            constants.putAll(branch.constants());
            g = new Graph(g.name(), g.opset(), nodes, constants, g.inputs(), g.outputs());
        }
    }

    /** Shapes are data-independent once the input shapes are fixed: evaluate on zeros and record them. */
    private static Map<String, int[]> probeShapes(Graph g, Map<String, Tensor> zeros) {
        Map<String, int[]> shapes = new HashMap<>();
        FloatExecutor.run(g, zeros).forEach((k, t) -> shapes.put(k, t.shape()));
        return shapes;
    }

    public static Map<String, int[]> resolveInputShapes(Graph g, Map<String, int[]> given) {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (String k : given.keySet()) {
            if (!g.inputNames().contains(k)) throw new InvalidInputException("model has no input '" + k + "'; inputs are " + g.inputNames());
        }
        for (ValueInfo vi : g.inputs()) {
            int[] s = given.get(vi.name());
            if (s == null) {
                if (!vi.hasShape() || vi.dims().contains(null)) {
                    throw new InvalidInputException("input '" + vi.name() + "' has dynamic dims " + vi.dims() + "; give its shape");
                }
                s = vi.dims().stream().mapToInt(Long::intValue).toArray();
            } else if (vi.hasShape()) {
                boolean ok = vi.dims().size() == s.length;
                for (int i = 0; ok && i < s.length; i++) ok = vi.dims().get(i) == null || vi.dims().get(i) == s[i];
                if (!ok) throw new InvalidInputException("input '" + vi.name() + "' shape " + Arrays.toString(s) + " does not match the model's " + vi.dims());
            }
            out.put(vi.name(), s.clone());
        }
        return out;
    }

    private static Graph fold(Graph g, Map<String, int[]> shapes) {
        Map<String, Tensor> constants = new HashMap<>(g.constants());
        List<Node> kept = new ArrayList<>();
        for (Node n : g.nodes()) {
            boolean constant = n.opType().equals("Shape")
                    || n.inputs().stream().allMatch(i -> i.isEmpty() || constants.containsKey(i));
            if (!constant) {
                kept.add(n);
                continue;
            }
            List<Tensor> in = n.opType().equals("Shape")
                    ? List.of(Tensor.zeros(shapes.get(n.input(0))))
                    : FloatExecutor.inputsOf(n, constants);
            List<Tensor> outs = FloatOps.eval(n, in, g.opset());
            for (int i = 0; i < outs.size(); i++) constants.put(n.outputs().get(i), outs.get(i));
        }
        Set<String> used = new HashSet<>(g.outputs());
        for (Node n : kept) used.addAll(n.inputs());
        constants.keySet().retainAll(used);
        return new Graph(g.name(), g.opset(), kept, constants, g.inputs(), g.outputs());
    }

    /** Conv/Gemm(constant weights) → BatchNormalization(constant params), the product used only there. */
    private static Graph fuseBatchNorm(Graph g) {
        Map<String, Integer> uses = new HashMap<>();
        for (Node n : g.nodes()) for (String i : n.inputs()) uses.merge(i, 1, Integer::sum);
        for (String o : g.outputs()) uses.merge(o, 1, Integer::sum);
        Map<String, Node> producer = new HashMap<>();
        for (Node n : g.nodes()) for (String o : n.outputs()) producer.put(o, n);
        Map<String, Tensor> constants = new HashMap<>(g.constants());
        Map<Node, Node> replaced = new HashMap<>();
        Set<Node> dropped = new HashSet<>();
        for (Node bn : g.nodes()) {
            if (!bn.opType().equals("BatchNormalization") || bn.outputs().size() != 1) continue;
            Node conv = producer.get(bn.input(0));
            if (conv == null || !conv.opType().equals("Conv") || uses.get(bn.input(0)) != 1) continue;
            if (!bn.inputs().subList(1, 5).stream().allMatch(constants::containsKey) || !constants.containsKey(conv.input(1))) continue;
            if (conv.hasInput(2) && !constants.containsKey(conv.input(2))) continue;
            Tensor w = constants.get(conv.input(1));
            Tensor scale = constants.get(bn.input(1)), shift = constants.get(bn.input(2)), mean = constants.get(bn.input(3)), var = constants.get(bn.input(4));
            double eps = Attrs.getFloat(bn, "epsilon", 1e-5);
            int oc = w.shape()[0], per = w.size() / oc;
            double[] nw = new double[w.size()], nb = new double[oc];
            for (int o = 0; o < oc; o++) {
                double mul = scale.data()[o] / StrictMath.sqrt(var.data()[o] + eps);
                for (int i = 0; i < per; i++) nw[o * per + i] = w.data()[o * per + i] * mul;
                double b = conv.hasInput(2) ? constants.get(conv.input(2)).data()[o] : 0;
                nb[o] = (b - mean.data()[o]) * mul + shift.data()[o];
            }
            String wName = bn.name() + "/fused_weight", bName = bn.name() + "/fused_bias";
            constants.put(wName, new Tensor(w.shape(), nw));
            constants.put(bName, Tensor.vector(nb));
            replaced.put(conv, new Node(conv.name(), "Conv", List.of(conv.input(0), wName, bName), bn.outputs(), conv.attributes()));
            dropped.add(bn);
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) if (!dropped.contains(n)) nodes.add(replaced.getOrDefault(n, n));
        Set<String> used = new HashSet<>(g.outputs());
        for (Node n : nodes) used.addAll(n.inputs());
        constants.keySet().retainAll(used);
        return new Graph(g.name(), g.opset(), nodes, constants, g.inputs(), g.outputs());
    }
}
