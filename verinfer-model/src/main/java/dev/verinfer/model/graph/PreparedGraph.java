package dev.verinfer.model.graph;

import java.util.Map;

/** A float graph with static shapes for every value, shape subgraphs folded and BatchNorms fused. */
public record PreparedGraph(Graph graph, Map<String, int[]> shapes) {
    public PreparedGraph { shapes = Map.copyOf(shapes); }

    public int[] shape(String value) {
        int[] s = shapes.get(value);
        if (s == null) throw new IllegalArgumentException("no shape for value '" + value + "'");
        return s;
    }
}
