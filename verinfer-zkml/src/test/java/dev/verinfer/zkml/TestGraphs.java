package dev.verinfer.zkml;

import dev.verinfer.model.quant.LookupTable;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small quantised graphs built directly, covering each op the prover supports. */
final class TestGraphs {
    private final List<QTensor> tensors = new ArrayList<>();
    private final List<QNode> nodes = new ArrayList<>();
    private final List<Integer> inputs = new ArrayList<>();
    private final List<Integer> outputs = new ArrayList<>();
    private final SplittableRandom rng;

    TestGraphs(long seed) {
        rng = new SplittableRandom(seed);
    }

    int input(String name, int scale, int bits, int... shape) {
        int id = add(name, shape, scale, bits, QTensor.Kind.INPUT, null);
        inputs.add(id);
        return id;
    }

    int weight(String name, int scale, int maxAbs, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        long[] data = new long[n];
        for (int i = 0; i < n; i++) {
            data[i] = rng.nextLong(-maxAbs, maxAbs + 1);
        }
        return add(name, shape, scale, 20, QTensor.Kind.WEIGHT, data);
    }

    /** A weight with the given values. */
    int weight(String name, int scale, long[] data, int... shape) {
        return add(name, shape, scale, 20, QTensor.Kind.WEIGHT, data);
    }

    int constant(String name, int scale, long[] data, int... shape) {
        return add(name, shape, scale, 20, QTensor.Kind.CONSTANT, data);
    }

    int node(String name, QOp op, int scale, int bits, int... shape) {
        int id = add(name, shape, scale, bits, QTensor.Kind.ACTIVATION, null);
        nodes.add(new QNode(name, op, id));
        return id;
    }

    void output(int id) {
        outputs.add(id);
    }

    QuantGraph build() {
        return new QuantGraph(tensors, nodes, inputs, outputs);
    }

    private int add(String name, int[] shape, int scale, int bits, QTensor.Kind kind, long[] data) {
        int id = tensors.size();
        tensors.add(new QTensor(id, name, shape, scale, bits, kind, data));
        return id;
    }

    static LookupTable table(String function, int inScale, int outScale) {
        return LookupTable.build(function, inScale, outScale, 16, -(1L << 15), 1 << 16);
    }

    /** x[1,8] → Gemm(8→5)+bias → rescale → ReLU → Gemm(5→3) → rescale → sigmoid. */
    static QuantGraph mlp(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 1, 8);
        int w1 = b.weight("w1", 8, 200, 8, 5);
        int b1 = b.weight("b1", 16, 20000, 5);
        int z1 = b.node("gemm1", new QOp.MatMul(x, w1, b1), 16, 30, 1, 5);
        int q1 = b.node("rescale1", new QOp.Rescale(z1, 8), 8, 15, 1, 5);
        int h1 = b.node("relu1", new QOp.Lookup(q1, table("relu", 8, 8)), 8, 16, 1, 5);
        int w2 = b.weight("w2", 8, 200, 5, 3);
        int z2 = b.node("gemm2", new QOp.MatMul(h1, w2, -1), 16, 30, 1, 3);
        int q2 = b.node("rescale2", new QOp.Rescale(z2, 8), 8, 15, 1, 3);
        int y = b.node("sigmoid", new QOp.Lookup(q2, table("sigmoid", 8, 12)), 12, 16, 1, 3);
        b.output(y);
        return b.build();
    }

    /**
     * Layer-norm-like arithmetic over x[2,6]: mean by ReduceSum·MulConst·Rescale, a broadcast Sub, a
     * square by Mul, a transpose by Gather, a Reshape, an Add of a weight and a range-checked Rescale
     * whose output is not a look-up input.
     */
    static QuantGraph arithmetic(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 2, 6);
        int sum = b.node("sum", new QOp.ReduceSum(x, new int[] {1}, true), 8, 16, 2, 1);
        int meanWide = b.node("mean_wide", new QOp.MulConst(sum, 43, 8), 16, 24, 2, 1); // 43/256 ≈ 1/6
        int mean = b.node("mean", new QOp.Rescale(meanWide, 8), 8, 14, 2, 1);
        int centred = b.node("centred", new QOp.Sub(x, mean), 8, 15, 2, 6);
        int square = b.node("square", new QOp.Mul(centred, centred), 16, 30, 2, 6);
        int sq8 = b.node("square8", new QOp.Rescale(square, 12), 4, 17, 2, 6); // 18-bit range check: 16-bit limbs
        int[] srcIndex = new int[12];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 2; j++) {
                srcIndex[i * 2 + j] = j * 6 + i;
            }
        }
        int transposed = b.node("transpose", new QOp.Gather(new int[] {sq8}, new int[12], srcIndex), 4, 17, 6, 2);
        int flat = b.node("flatten", new QOp.Reshape(transposed), 4, 17, 12);
        int bias = b.weight("bias", 4, 100, 12);
        int y = b.node("add", new QOp.Add(flat, bias), 4, 18, 12);
        b.output(y);
        return b.build();
    }

    /** x[1,3,7,6] → Conv 3×3 (stride (2,1), asymmetric pads) + bias → ReLU → depthwise 3×3 → sigmoid. */
    static QuantGraph conv2d(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 1, 3, 7, 6);
        int w1 = b.weight("w1", 8, 100, 4, 3, 3, 3);
        int b1 = b.weight("b1", 16, 20000, 4);
        int z1 = b.node("conv1", new QOp.Conv(x, w1, b1, new int[] {2, 1}, new int[] {1, 1, 1, 0}, new int[] {1, 1}, 1), 16, 30, 1, 4, 4, 5);
        int q1 = b.node("rescale1", new QOp.Rescale(z1, 8), 8, 15, 1, 4, 4, 5);
        int h1 = b.node("relu1", new QOp.Lookup(q1, table("relu", 8, 8)), 8, 16, 1, 4, 4, 5);
        int w2 = b.weight("w2", 8, 100, 4, 1, 3, 3);
        int z2 = b.node("depthwise", new QOp.Conv(h1, w2, -1, new int[] {1, 1}, new int[] {1, 1, 1, 1}, new int[] {1, 1}, 4), 16, 30, 1, 4, 4, 5);
        int q2 = b.node("rescale2", new QOp.Rescale(z2, 8), 8, 15, 1, 4, 4, 5);
        int y = b.node("sigmoid", new QOp.Lookup(q2, table("sigmoid", 8, 12)), 12, 16, 1, 4, 4, 5);
        b.output(y);
        return b.build();
    }

    /** x[1,2,9] → 1-D Conv (kernel 3, stride 2, pads 1, dilation 2) + bias → rescale (range-checked output). */
    static QuantGraph conv1d(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 1, 2, 9);
        int w = b.weight("w", 8, 100, 3, 2, 3);
        int bias = b.weight("bias", 16, 20000, 3);
        int z = b.node("conv", new QOp.Conv(x, w, bias, new int[] {1, 2}, new int[] {0, 1, 0, 1}, new int[] {1, 2}, 1), 16, 30, 1, 3, 4);
        int y = b.node("rescale", new QOp.Rescale(z, 8), 8, 15, 1, 3, 4);
        b.output(y);
        return b.build();
    }

    /**
     * x[1,2,6,4] → Conv → rescale → Max(q, LeakyReLU(q)) → MaxPool 2×2/2 → ReduceMax over channels →
     * Min with a public constant.
     */
    static QuantGraph pooling(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 1, 2, 6, 4);
        int w = b.weight("w", 8, 100, 3, 2, 3, 3);
        int z = b.node("conv", new QOp.Conv(x, w, -1, new int[] {1, 1}, new int[] {1, 1, 1, 1}, new int[] {1, 1}, 1), 16, 30, 1, 3, 6, 4);
        int q = b.node("rescale", new QOp.Rescale(z, 8), 8, 15, 1, 3, 6, 4);
        int leaky = b.node("leaky", new QOp.Lookup(q, table("leaky_relu(0.2)", 8, 8)), 8, 15, 1, 3, 6, 4);
        int m = b.node("max", new QOp.Max(q, leaky), 8, 15, 1, 3, 6, 4);
        int p = b.node("pool", new QOp.MaxPool(m, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0, 0, 0}, new int[] {1, 1}), 8, 15, 1, 3, 3, 2);
        int r = b.node("reducemax", new QOp.ReduceMax(p, new int[] {1}, true), 8, 15, 1, 1, 3, 2);
        int cap = b.constant("cap", 8, new long[] {6000}, 1);
        int y = b.node("min", new QOp.Min(r, cap), 8, 15, 1, 1, 3, 2);
        b.output(y);
        return b.build();
    }

    /** x[2,20] → ×1000 (22-bit values) → Max with 0 (gaps in 16-bit limbs) → ReduceMax over 20 values (argmax). */
    static QuantGraph wideMaxima(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 2, 20);
        int wide = b.node("wide", new QOp.MulConst(x, 1000, 0), 8, 22, 2, 20);
        int zero = b.constant("zero", 8, new long[] {0}, 1);
        int m = b.node("relu_wide", new QOp.Max(wide, zero), 8, 22, 2, 20);
        int y = b.node("reducemax", new QOp.ReduceMax(m, new int[] {1}, false), 8, 22, 2);
        b.output(y);
        return b.build();
    }

    /**
     * Big enough for the dedicated wide tables: x[1,4,48,48] ×16 (16-bit values) → ReLU as Max with 0
     * (a 2^17 clamp table) → Max with −x·16 (gaps in a 2^17 range table) → MaxPool 2×2 (gaps committed).
     */
    static QuantGraph wideTables(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 1, 4, 48, 48);
        int a = b.node("up", new QOp.MulConst(x, 16, 0), 8, 16, 1, 4, 48, 48);
        int zero = b.constant("zero", 8, new long[] {0}, 1);
        int relu = b.node("relu", new QOp.Max(a, zero), 8, 16, 1, 4, 48, 48);
        int neg = b.node("neg", new QOp.MulConst(x, -16, 0), 8, 16, 1, 4, 48, 48);
        int m = b.node("max", new QOp.Max(relu, neg), 8, 16, 1, 4, 48, 48);
        int p = b.node("pool", new QOp.MaxPool(m, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0, 0, 0}, new int[] {1, 1}), 8, 16, 1, 4, 24, 24);
        b.output(p);
        return b.build();
    }

    static float[] randomInput(long seed, int n, double maxAbs) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble(-maxAbs, maxAbs);
        }
        return v;
    }
}
