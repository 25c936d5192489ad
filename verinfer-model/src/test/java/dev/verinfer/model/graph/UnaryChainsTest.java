package dev.verinfer.model.graph;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fused chain computes exactly what the chain of nodes computed, and only chains worth fusing are fused. */
class UnaryChainsTest {
    private static final int[] SHAPE = {1, 2, 3};

    /** PP-LCNetV3's block: a·x + b, HardSwish spelled out as t·Clip(t + 3, 0, 6)/6, c·h + d. */
    private static Graph hardSwishBlock(double a, double b, double c, double d) {
        Map<String, Tensor> k = new HashMap<>(Map.of("a", Tensor.scalar(a), "b", Tensor.scalar(b), "c", Tensor.scalar(c), "d", Tensor.scalar(d),
                "three", Tensor.scalar(3), "zero", Tensor.scalar(0), "six", Tensor.scalar(6)));
        List<Node> nodes = List.of(
                node("Mul", List.of("a", "x"), "ax"), node("Add", List.of("ax", "b"), "t"), node("Add", List.of("t", "three"), "t3"),
                node("Clip", List.of("t3", "zero", "six"), "clip"), node("Mul", List.of("t", "clip"), "tc"), node("Div", List.of("tc", "six"), "h"),
                node("Mul", List.of("c", "h"), "ch"), node("Add", List.of("ch", "d"), "y"));
        return new Graph("block", 13, nodes, k, List.of(new ValueInfo("x", List.of(1L, 2L, 3L))), List.of("y"));
    }

    private static Node node(String op, List<String> in, String out) {
        return new Node(out, op, in, List.of(out), Map.of());
    }

    private static Map<String, int[]> shapes(Graph g) {
        Map<String, int[]> s = new HashMap<>();
        FloatExecutor.run(g, Map.of("x", Tensor.zeros(SHAPE))).forEach((name, t) -> s.put(name, t.shape()));
        return s;
    }

    @Property(tries = 200)
    void aFusedHardSwishBlockIsBitExact(@ForAll @DoubleRange(min = -40, max = 40) double x0, @ForAll @DoubleRange(min = -3, max = 3) double a,
                                        @ForAll @DoubleRange(min = -2, max = 2) double b, @ForAll @DoubleRange(min = -3, max = 3) double c) {
        Graph g = hardSwishBlock(a, b, c, 0.125);
        Graph fused = UnaryChains.fuse(g, shapes(g));
        assertEquals(1, fused.nodes().size(), fused.nodes().toString());
        assertEquals(UnaryChains.OP, fused.nodes().getFirst().opType());
        Tensor x = new Tensor(SHAPE, new double[] {x0, -x0, x0 / 3, 0, 3, -3});
        assertEquals(FloatExecutor.run(g, Map.of("x", x)).get("y"), FloatExecutor.run(fused, Map.of("x", x)).get("y"));
    }

    @Test void aChainStopsWhereAnIntermediateIsReadElsewhere() {
        Graph g = hardSwishBlock(1.5, 0.25, 2, 0.5);
        Graph shared = new Graph(g.name(), g.opset(), g.nodes(), g.constants(), g.inputs(), List.of("y", "t"));
        Graph fused = UnaryChains.fuse(shared, shapes(shared));
        // t is an output: a·x + b stays (affine, not worth a table), the HardSwish and what follows it are one function of t
        assertEquals(List.of("Mul", "Add", UnaryChains.OP), fused.nodes().stream().map(Node::opType).toList());
        assertEquals(List.of("t"), fused.nodes().getLast().inputs());
    }

    @Test void aLoneActivationAfterABiasIsNotFused() {
        Graph g = new Graph("relu", 13, List.of(node("Add", List.of("x", "b"), "xb"), node("Relu", List.of("xb"), "y")),
                Map.of("b", Tensor.scalar(0.5)), List.of(new ValueInfo("x", List.of(1L, 2L, 3L))), List.of("y"));
        assertEquals(g, UnaryChains.fuse(g, shapes(g)));
    }

    @Test void malformedExpressionsAreRefused() {
        for (String e : List.of("", "x add", "x x", "x 3 add", "x 3.0 frob", "x NaN add")) {
            assertThrows(IllegalArgumentException.class, () -> UnaryExpression.compile(e), e);
        }
        assertEquals(4.0, UnaryExpression.compile("x 3.0 add 0.0 max 6.0 min").applyAsDouble(1));
    }
}
