package dev.verinfer.zkml;

import dev.verinfer.model.quant.LookupTable;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.layout.PaddedShape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random small quantised graphs over every op of docs/quantised-ir.md: a chain of 2–5 random ops on
 * tensors with a leading batch axis of 1 and mostly non-power-of-two dimensions, with broadcasts
 * (lower-rank and size-1 operands, weights and activations), keepdims=0 reductions, activation·activation
 * MatMuls, grouped and 1-D convolutions, pads and slices. Every declared bound is the worst case from
 * the inputs' bounds (inputs |x| < 2^12), and a Rescale narrows any value wider than 13 bits, so every
 * graph runs on every input in bound.
 */
final class RandomGraphs {
    /** Op families the generator draws from (every op of the quantised IR appears in at least one). */
    enum Family { MATMUL_WEIGHT, MATMUL_ACTIVATIONS, CONV, ADD_SUB, MUL, MUL_CONST, RESCALE, LOOKUP, MAX_MIN, REDUCE_SUM, REDUCE_MAX, MAX_POOL, GATHER, RESHAPE }

    private static final String[] FUNCTIONS = {"relu", "sigmoid", "tanh", "exp", "gelu", "hard_swish", "leaky_relu(0.2)"};
    private static final int NARROW_BITS = 13;

    private final TestGraphs b;
    private final SplittableRandom r;
    private int cur;
    private int[] shape;
    private int bits;
    private int count;

    private RandomGraphs(long seed) {
        b = new TestGraphs(seed);
        r = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    /** A random graph; {@code forced}, when not null, is its first op. */
    static QuantGraph generate(long seed, Family forced) {
        RandomGraphs g = new RandomGraphs(seed);
        return g.build(forced, null, 12);
    }

    /** A random graph on an input of the given shape and bound (a chain's consumer of another graph's output). */
    static QuantGraph generate(long seed, Family forced, int[] inputShape, int inputBits) {
        RandomGraphs g = new RandomGraphs(seed);
        return g.build(forced, inputShape, inputBits);
    }

    private QuantGraph build(Family forced, int[] inputShape, int inputBits) {
        shape = inputShape != null ? inputShape.clone() : r.nextBoolean() ? new int[] {1, dim(), dim()} : new int[] {1, dim(), dim(), dim()};
        cur = b.input("x", 8, inputBits, shape);
        bits = inputBits;
        int steps = 2 + r.nextInt(4);
        for (int s = 0; s < steps; s++) {
            Family f = s == 0 && forced != null ? forced : Family.values()[r.nextInt(Family.values().length)];
            narrow();
            apply(f);
        }
        if (count == 0) {
            apply(Family.RESCALE);
        }
        b.output(cur);
        return b.build();
    }

    private int dim() {
        int[] dims = {1, 2, 3, 3, 5, 5, 6, 7};
        return dims[r.nextInt(dims.length)];
    }

    private int node(String what, QOp op, int outBits, int... outShape) {
        if (outBits > 40) {
            throw new IllegalStateException("generator bound " + outBits);
        }
        int id = b.node(what + (count++), op, 8, outBits, outShape);
        cur = id;
        shape = outShape;
        bits = outBits;
        return id;
    }

    private void narrow() {
        if (bits > NARROW_BITS) {
            int k = bits - NARROW_BITS + 1;
            node("narrow", new QOp.Rescale(cur, k), bits - k + 1, shape);
        }
    }

    private static int log2(long n) {
        return PaddedShape.ceilLog2(n);
    }

    private void apply(Family f) {
        boolean needsRank3 = f == Family.MATMUL_ACTIVATIONS;
        boolean needsRank2 = f != Family.RESHAPE && f != Family.RESCALE && f != Family.LOOKUP && f != Family.MUL_CONST;
        if (shape.length < 2 && needsRank2 || shape.length < 3 && needsRank3) {
            apply(Family.RESHAPE); // appends a dimension: the batch axis stays first
            narrow();
        }
        int rank = shape.length;
        int x = cur;
        int xb = bits;
        int[] xs = shape;
        switch (f) {
            case MATMUL_WEIGHT -> {
                int k = xs[rank - 1];
                int n = 1 + r.nextInt(6);
                int w = b.weight("w" + count, 8, 100, k, n);
                int bias = r.nextBoolean() ? b.weight("bias" + count, 16, 2000, n) : -1;
                node("matmul", new QOp.MatMul(x, w, bias), xb + 7 + log2(k) + 1, with(xs, rank - 1, n));
            }
            case MATMUL_ACTIVATIONS -> {
                int t = transpose(x, xs, xb);
                node("qk", new QOp.MatMul(x, t, -1), 2 * xb + log2(xs[rank - 1]), with(xs, rank - 1, xs[rank - 2]));
            }
            case CONV -> conv(x, xs, xb);
            case ADD_SUB -> {
                int other;
                int ob;
                int[] os;
                int pick = r.nextInt(3);
                if (pick == 0 && rank >= 3) { // the lowering of x − ReduceMean(x, keepdims=0): a lower-rank activation
                    os = new int[rank - 1];
                    os[0] = 1;
                    System.arraycopy(xs, 2, os, 1, rank - 2);
                    ob = xb + log2(xs[1]);
                    other = b.node("mean" + (count++), new QOp.ReduceSum(x, new int[] {1}, false), 8, ob, os);
                } else if (pick == 1) { // a weight of a broadcastable shape, possibly of lower rank
                    os = broadcastable(xs);
                    other = b.weight("addw" + count, 8, 3000, os);
                    ob = 12;
                } else {
                    other = b.node("lut" + (count++), new QOp.Lookup(x, table()), 8, 16, xs);
                    ob = 16;
                    os = xs;
                }
                QOp op = r.nextBoolean() ? new QOp.Add(x, other) : new QOp.Sub(x, other);
                node("addsub", op, Math.max(xb, ob) + 1, xs);
            }
            case MUL -> {
                if (r.nextBoolean()) {
                    int[] os = broadcastable(xs);
                    int w = b.weight("mulw" + count, 8, 100, os);
                    node("mul", new QOp.Mul(x, w), xb + 7, xs);
                } else {
                    int other = b.node("lut" + (count++), new QOp.Lookup(x, table()), 8, 16, xs);
                    node("mul", r.nextBoolean() ? new QOp.Mul(x, other) : new QOp.Mul(other, x), xb + 16, xs);
                }
            }
            case MUL_CONST -> {
                long c = r.nextInt(8) == 0 ? 0 : r.nextLong(-40, 41);
                node("mulconst", new QOp.MulConst(x, c, 0), xb + 6, xs);
            }
            case RESCALE -> {
                int k = 1 + r.nextInt(Math.max(1, xb - 1));
                node("rescale", new QOp.Rescale(x, k), Math.max(1, xb - k + 1), xs);
            }
            case LOOKUP -> node("lookup", new QOp.Lookup(x, table()), 16, xs);
            case MAX_MIN -> {
                int other;
                int ob;
                int pick = r.nextInt(3);
                if (pick == 0) { // ReLU / Clip: a public scalar
                    other = b.constant("c" + count, 8, new long[] {r.nextLong(-300, 301)}, 1);
                    ob = 9;
                } else if (pick == 1) {
                    other = b.node("neg" + (count++), new QOp.MulConst(x, -1, 0), 8, xb, xs);
                    ob = xb;
                } else {
                    int[] os = broadcastable(xs);
                    other = b.weight("maxw" + count, 8, 1000, os);
                    ob = 10;
                }
                node(r.nextBoolean() ? "max" : "min", r.nextBoolean() ? new QOp.Max(x, other) : new QOp.Min(x, other), Math.max(xb, ob), xs);
            }
            case REDUCE_SUM, REDUCE_MAX -> {
                List<Integer> axes = new ArrayList<>();
                for (int d = 1; d < rank; d++) {
                    if (r.nextBoolean()) {
                        axes.add(d);
                    }
                }
                if (axes.isEmpty()) {
                    axes.add(rank - 1);
                }
                boolean keep = r.nextBoolean();
                int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
                List<Integer> outShape = new ArrayList<>();
                long reduced = 1;
                for (int d = 0; d < rank; d++) {
                    if (axes.contains(d)) {
                        reduced *= xs[d];
                        if (keep) {
                            outShape.add(1);
                        }
                    } else {
                        outShape.add(xs[d]);
                    }
                }
                int[] os = outShape.stream().mapToInt(Integer::intValue).toArray();
                if (f == Family.REDUCE_SUM) {
                    node("reducesum", new QOp.ReduceSum(x, ax, keep), xb + log2(reduced), os);
                } else {
                    node("reducemax", new QOp.ReduceMax(x, ax, keep), xb, os);
                }
            }
            case MAX_POOL -> {
                if (rank != 4 || xs[2] < 2 && xs[3] < 2) {
                    apply(Family.REDUCE_MAX);
                    return;
                }
                int kh = Math.min(2, xs[2]);
                int kw = Math.min(2, xs[3]);
                int sh = 1 + r.nextInt(2);
                int sw = 1 + r.nextInt(2);
                int oh = (xs[2] - kh) / sh + 1;
                int ow = (xs[3] - kw) / sw + 1;
                node("maxpool", new QOp.MaxPool(x, new int[] {kh, kw}, new int[] {sh, sw}, new int[] {0, 0, 0, 0}, new int[] {1, 1}), xb, xs[0], xs[1], oh, ow);
            }
            case GATHER -> {
                int pick = r.nextInt(3);
                if (pick == 0 && rank >= 3) {
                    transpose(x, xs, xb);
                } else {
                    int last = xs[rank - 1];
                    boolean pad = pick == 1 || last < 2; // Pad by one zero at the end, or Slice off the first entry
                    int n = pad ? last + 1 : last - 1;
                    int[] os = with(xs, rank - 1, n);
                    int size = 1;
                    for (int d : os) {
                        size *= d;
                    }
                    int[] idx = new int[size];
                    for (int i = 0; i < size; i++) {
                        int row = i / n;
                        int col = i % n;
                        idx[i] = pad ? (col < last ? row * last + col : -1) : row * last + col + 1;
                    }
                    node(pad ? "pad" : "slice", new QOp.Gather(new int[] {x}, new int[size], idx), xb, os);
                }
            }
            case RESHAPE -> {
                int[] os;
                if (rank >= 3) {
                    os = Arrays.copyOf(xs, rank - 1);
                    os[rank - 2] = xs[rank - 2] * xs[rank - 1];
                } else {
                    os = Arrays.copyOf(xs, rank + 1);
                    os[rank] = 1;
                }
                node("reshape", new QOp.Reshape(x), xb, os);
            }
        }
    }

    /** Transposes the last two dimensions by a Gather; returns the new tensor (now current). */
    private int transpose(int x, int[] xs, int xb) {
        int rank = xs.length;
        int m = xs[rank - 2];
        int n = xs[rank - 1];
        int[] os = xs.clone();
        os[rank - 2] = n;
        os[rank - 1] = m;
        int size = 1;
        for (int d : xs) {
            size *= d;
        }
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            int outer = i / (m * n);
            int rem = i % (m * n);
            int row = rem / m;
            int col = rem % m;
            idx[i] = outer * m * n + col * n + row;
        }
        return node("transpose", new QOp.Gather(new int[] {x}, new int[size], idx), xb, os);
    }

    private void conv(int x, int[] xs, int xb) {
        boolean twoD = xs.length == 4;
        if (xs.length != 3 && !twoD) {
            apply(Family.MATMUL_WEIGHT);
            return;
        }
        int c = xs[1];
        int h = twoD ? xs[2] : 1;
        int w = xs[xs.length - 1];
        boolean depthwise = c > 1 && r.nextInt(3) == 0;
        int oc = depthwise ? c : 1 + r.nextInt(4);
        int group = depthwise ? c : 1;
        int kh = twoD ? 1 + r.nextInt(Math.min(3, h)) : 1;
        int kw = 1 + r.nextInt(Math.min(3, w));
        int[] strides = {twoD ? 1 + r.nextInt(2) : 1, 1 + r.nextInt(2)};
        int[] dil = {1, kw > 1 && w >= 2 * kw ? 1 + r.nextInt(2) : 1};
        int[] pads = {twoD ? r.nextInt(Math.min(2, kh)) : 0, r.nextInt(Math.min(2, kw)), twoD ? r.nextInt(Math.min(2, kh)) : 0, r.nextInt(Math.min(2, kw))};
        int oh = (h + pads[0] + pads[2] - (kh - 1) - 1) / strides[0] + 1;
        int ow = (w + pads[1] + pads[3] - dil[1] * (kw - 1) - 1) / strides[1] + 1;
        int wt = twoD ? b.weight("convw" + count, 8, 50, oc, c / group, kh, kw) : b.weight("convw" + count, 8, 50, oc, c / group, kw);
        int bias = r.nextBoolean() ? b.weight("convb" + count, 16, 2000, oc) : -1;
        int outBits = xb + 6 + log2((long) (c / group) * kh * kw) + 1;
        QOp.Conv op = new QOp.Conv(x, wt, bias, strides, pads, dil, group);
        if (twoD) {
            node("conv", op, outBits, 1, oc, oh, ow);
        } else {
            node("conv1d", op, outBits, 1, oc, ow);
        }
    }

    /** A shape that broadcasts to {@code xs}: some dimensions 1, sometimes of lower rank (leading dimensions dropped). */
    private int[] broadcastable(int[] xs) {
        int drop = r.nextInt(xs.length);
        int[] os = Arrays.copyOfRange(xs, drop, xs.length);
        for (int d = 0; d < os.length; d++) {
            if (r.nextInt(3) == 0) {
                os[d] = 1;
            }
        }
        if (drop == 0) {
            os[0] = 1; // a weight never carries the batch axis
        }
        return os;
    }

    private LookupTable table() {
        return TestGraphs.table(FUNCTIONS[r.nextInt(FUNCTIONS.length)], 8, 8);
    }

    private static int[] with(int[] s, int d, int v) {
        int[] o = s.clone();
        o[d] = v;
        return o;
    }
}
