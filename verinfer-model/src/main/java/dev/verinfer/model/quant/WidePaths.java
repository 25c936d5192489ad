package dev.verinfer.model.quant;

import dev.verinfer.model.graph.Graph;
import dev.verinfer.model.graph.Node;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the values that must keep their full integer range: those flowing into a Log through
 * exact ops (Clip/Max/Min, Add, MatMul by a constant, data movement), starting from squares.
 * A log spans many decades (a power spectrum's 80 dB), which activationBits cannot hold; these
 * values stay exact, and the Log is evaluated piecewise ({@link Lowering#wideMonotoneLookup}).
 */
final class WidePaths {
    private static final Set<String> THROUGH = Set.of("Clip", "Max", "Min", "Add", "MatMul", "Transpose", "Reshape",
            "Flatten", "Squeeze", "Unsqueeze", "Identity");

    private WidePaths() {}

    static Set<String> find(Graph g) {
        Set<String> wide = new HashSet<>();
        List<Node> nodes = g.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.opType().equals("Log")) wide.add(n.input(0));
            if (!wide.contains(n.output())) continue;
            if (n.opType().equals("MatMul")) {
                if (g.constants().containsKey(n.input(1))) wide.add(n.input(0));
            } else if (THROUGH.contains(n.opType())) {
                for (String in : n.inputs()) if (!in.isEmpty() && !g.constants().containsKey(in)) wide.add(in);
            }
        }
        // only squares (Pow 2, Mul x·x) and the exact ops above may be widened; anything else keeps its rescale
        Set<String> produced = new HashSet<>();
        for (Node n : nodes) {
            boolean square = n.opType().equals("Pow") || (n.opType().equals("Mul") && n.input(0).equals(n.input(1)));
            if (wide.contains(n.output()) && (square || THROUGH.contains(n.opType()))) produced.add(n.output());
        }
        wide.retainAll(produced);
        return wide;
    }
}
