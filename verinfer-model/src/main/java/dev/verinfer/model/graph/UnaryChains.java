package dev.verinfer.model.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuses a chain of elementwise ops that computes a function of one value x — scalar-constant
 * affine steps, Clip, Relu, the activation functions, and products of such values (HardSwish
 * spelled out as x·Clip(x + 3, 0, 6)/6, a learnable affine block a·x + b around it, GELU spelled
 * out) — into one {@value #OP} node whose {@link UnaryExpression} is its whole composition. The
 * quantiser lowers it to one table look-up, so the chain's intermediate values are neither
 * requantised nor committed. Fused only where that saves work: when the chain multiplies two
 * functions of x or has at least two non-affine steps (a lone ReLU or Clip after a bias stays as it is).
 */
public final class UnaryChains {
    private UnaryChains() {}

    /** The op type of a fused chain; its attribute {@value #EXPRESSION} holds the expression. */
    public static final String OP = "UnaryFunction", EXPRESSION = "expression";

    private static final Set<String> BINARY = Set.of("Add", "Sub", "Mul", "Div", "Max", "Min");
    private static final Map<String, String> UNARY = Map.of("Relu", "relu", "Neg", "neg", "Sigmoid", "sigmoid", "Tanh", "tanh",
            "Erf", "erf", "HardSwish", "hard_swish");

    public static Graph fuse(Graph g, Map<String, int[]> shapes) {
        Map<String, List<Node>> consumers = new HashMap<>();
        for (Node n : g.nodes()) for (String i : n.inputs()) consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
        Set<String> outputs = new HashSet<>(g.outputs());
        Set<Node> fused = new HashSet<>();
        Map<Node, Node> replacement = new HashMap<>();
        List<String> roots = new ArrayList<>(g.inputNames());
        for (Node n : g.nodes()) roots.addAll(n.outputs());
        for (String root : roots) {
            if (!shapes.containsKey(root)) continue;
            List<Node> region = grow(g, root, shapes, fused);
            region = trim(region, consumers, outputs);
            if (region.size() < 2 || !worthFusing(g, root, region)) continue;
            Node sink = region.getLast();
            Map<String, Node> producer = new HashMap<>();
            for (Node n : region) producer.put(n.output(), n);
            StringBuilder expression = new StringBuilder();
            emit(g, root, sink.output(), producer, expression);
            fused.addAll(region);
            replacement.put(sink, new Node(sink.name(), OP, List.of(root), List.of(sink.output()), Map.of(EXPRESSION, expression.toString().strip())));
        }
        if (replacement.isEmpty()) return g;
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (replacement.containsKey(n)) nodes.add(replacement.get(n));
            else if (!fused.contains(n)) nodes.add(n);
        }
        Set<String> used = new HashSet<>(g.outputs());
        for (Node n : nodes) used.addAll(n.inputs());
        Map<String, Tensor> constants = new HashMap<>(g.constants());
        constants.keySet().retainAll(used);
        return new Graph(g.name(), g.opset(), nodes, constants, g.inputs(), g.outputs());
    }

    /** Every later node whose operands are x, values computed from x in the region, or scalar constants (topological order). */
    private static List<Node> grow(Graph g, String root, Map<String, int[]> shapes, Set<Node> fused) {
        Set<String> values = new HashSet<>(Set.of(root));
        List<Node> region = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (fused.contains(n) || n.outputs().size() != 1 || !Arrays.equals(shapes.get(n.output()), shapes.get(root))) continue;
            if (eligible(g, n, values)) {
                region.add(n);
                values.add(n.output());
            }
        }
        return region;
    }

    private static boolean eligible(Graph g, Node n, Set<String> values) {
        String op = n.opType();
        if (BINARY.contains(op)) {
            if (n.inputs().size() != 2 || !n.attributes().isEmpty() || n.input(0).equals(n.input(1))) return false; // x·x stays a square
            return operand(g, n.input(0), values) && operand(g, n.input(1), values)
                    && (values.contains(n.input(0)) || values.contains(n.input(1)));
        }
        if (op.equals("Clip")) {
            if (!values.contains(n.input(0))) return false;
            if (g.opset() < 11) return n.attributes().keySet().stream().allMatch(a -> a.equals("min") || a.equals("max"));
            return n.attributes().isEmpty() && n.inputs().size() <= 3
                    && (!n.hasInput(1) || scalar(g, n.input(1))) && (!n.hasInput(2) || scalar(g, n.input(2)));
        }
        if (op.equals("HardSigmoid") || op.equals("LeakyRelu")) {
            Set<String> allowed = op.equals("LeakyRelu") ? Set.of("alpha") : Set.of("alpha", "beta");
            return n.inputs().size() == 1 && values.contains(n.input(0)) && allowed.containsAll(n.attributes().keySet());
        }
        return UNARY.containsKey(op) && n.inputs().size() == 1 && n.attributes().isEmpty() && values.contains(n.input(0));
    }

    private static boolean operand(Graph g, String v, Set<String> values) {
        return values.contains(v) || scalar(g, v);
    }

    private static boolean scalar(Graph g, String v) {
        Tensor c = g.constants().get(v);
        return c != null && c.size() == 1 && Double.isFinite(c.data()[0]);
    }

    /**
     * Cuts the region back until exactly one of its values is used outside it (or is a graph output):
     * while several are, keep the first such node and what it is computed from.
     */
    private static List<Node> trim(List<Node> region, Map<String, List<Node>> consumers, Set<String> outputs) {
        while (!region.isEmpty()) {
            Set<Node> members = new HashSet<>(region);
            List<Node> escaping = region.stream().filter(n -> outputs.contains(n.output())
                    || consumers.getOrDefault(n.output(), List.of()).stream().anyMatch(c -> !members.contains(c))).toList();
            if (escaping.size() == 1 && escaping.getFirst() == region.getLast()) return region;
            if (escaping.isEmpty()) return List.of();
            Node first = escaping.getFirst();
            Set<String> needed = new HashSet<>(Set.of(first.output()));
            List<Node> kept = new ArrayList<>();
            for (Node n : region.reversed()) {
                if (needed.contains(n.output())) {
                    kept.addFirst(n);
                    needed.addAll(n.inputs());
                }
            }
            if (kept.size() == region.size()) return List.of(); // cannot shrink further: leave it unfused
            region = kept;
        }
        return region;
    }

    /** A product (or sum, max, ...) of two functions of x, or at least two non-affine steps. */
    private static boolean worthFusing(Graph g, String root, List<Node> region) {
        Set<String> values = new HashSet<>(Set.of(root));
        for (Node n : region) values.add(n.output());
        int nonAffine = 0;
        for (Node n : region) {
            switch (n.opType()) {
                case "Add", "Sub", "Mul", "Div" -> {
                    if (values.contains(n.input(0)) && values.contains(n.input(1))) return true;
                }
                case "Neg" -> { }
                case "Clip" -> nonAffine += g.opset() < 11 ? n.attributes().size() : (n.hasInput(1) ? 1 : 0) + (n.hasInput(2) ? 1 : 0);
                default -> {
                    if (BINARY.contains(n.opType()) && values.contains(n.input(0)) && values.contains(n.input(1))) return true;
                    nonAffine++;
                }
            }
        }
        return nonAffine >= 2;
    }

    /** Appends the postfix expression of {@code value} in terms of x = {@code root}. */
    private static void emit(Graph g, String root, String value, Map<String, Node> producer, StringBuilder out) {
        if (value.equals(root)) {
            out.append("x ");
            return;
        }
        Node n = producer.get(value);
        if (n == null) {
            out.append(Double.toString(g.constants().get(value).data()[0])).append(' ');
            return;
        }
        String op = n.opType();
        emit(g, root, n.input(0), producer, out);
        if (BINARY.contains(op)) {
            emit(g, root, n.input(1), producer, out);
            out.append(op.toLowerCase()).append(' ');
        } else if (op.equals("Clip")) {
            if (g.opset() < 11) {
                if (n.attributes().containsKey("min")) out.append(Double.toString(Attrs.getFloat(n, "min", 0))).append(" max ");
                if (n.attributes().containsKey("max")) out.append(Double.toString(Attrs.getFloat(n, "max", 0))).append(" min ");
            } else {
                if (n.hasInput(1)) out.append(Double.toString(g.constants().get(n.input(1)).data()[0])).append(" max ");
                if (n.hasInput(2)) out.append(Double.toString(g.constants().get(n.input(2)).data()[0])).append(" min ");
            }
        } else if (op.equals("HardSigmoid")) {
            out.append(Double.toString(Attrs.getFloat(n, "alpha", 0.2))).append(' ').append(Double.toString(Attrs.getFloat(n, "beta", 0.5))).append(" hard_sigmoid ");
        } else if (op.equals("LeakyRelu")) {
            out.append(Double.toString(Attrs.getFloat(n, "alpha", 0.01))).append(" leaky_relu ");
        } else {
            out.append(UNARY.get(op)).append(' ');
        }
    }
}
