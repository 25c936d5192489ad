package dev.verinfer.market;

import dev.verinfer.model.quant.LookupTable;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;

import java.util.List;
import java.util.SplittableRandom;

/** Two small private models that chain (the producer's output is the consumer's input format), for committed workflow tests. */
public final class PrivateChainGraphs {
    private PrivateChainGraphs() {
    }

    /** x[3,6] · W[6,8] + b → Rescale by 2^12 → ReLU table → y[3,8] at scale 4. */
    public static QuantGraph producer() {
        SplittableRandom rng = new SplittableRandom(31);
        List<QTensor> t = List.of(new QTensor(0, "x", new int[] {3, 6}, 8, 12, QTensor.Kind.INPUT, null),
                new QTensor(1, "w", new int[] {6, 8}, 8, 20, QTensor.Kind.WEIGHT, rng.longs(48, -200, 201).toArray()),
                new QTensor(2, "b", new int[] {8}, 16, 20, QTensor.Kind.WEIGHT, rng.longs(8, -20_000, 20_001).toArray()),
                new QTensor(3, "z", new int[] {3, 8}, 16, 30, QTensor.Kind.ACTIVATION, null),
                new QTensor(4, "q", new int[] {3, 8}, 4, 9, QTensor.Kind.ACTIVATION, null),
                new QTensor(5, "y", new int[] {3, 8}, 4, 9, QTensor.Kind.ACTIVATION, null));
        return new QuantGraph(t, List.of(new QNode("gemm", new QOp.MatMul(0, 1, 2), 3), new QNode("rescale", new QOp.Rescale(3, 12), 4),
                new QNode("relu", new QOp.Lookup(4, LookupTable.build("relu", 4, 4, 9, -512, 1024)), 5)), List.of(0), List.of(5));
    }

    /** x[3,8] at the producer's output format · W[8,4] → Rescale by 2^8 → y[3,4]. */
    public static QuantGraph consumer() {
        SplittableRandom rng = new SplittableRandom(32);
        List<QTensor> t = List.of(new QTensor(0, "x", new int[] {3, 8}, 4, 9, QTensor.Kind.INPUT, null),
                new QTensor(1, "w", new int[] {8, 4}, 8, 20, QTensor.Kind.WEIGHT, rng.longs(32, -200, 201).toArray()),
                new QTensor(2, "z", new int[] {3, 4}, 12, 30, QTensor.Kind.ACTIVATION, null),
                new QTensor(3, "y", new int[] {3, 4}, 4, 12, QTensor.Kind.ACTIVATION, null));
        return new QuantGraph(t, List.of(new QNode("gemm", new QOp.MatMul(0, 1, -1), 2), new QNode("rescale", new QOp.Rescale(2, 8), 3)),
                List.of(0), List.of(3));
    }
}
