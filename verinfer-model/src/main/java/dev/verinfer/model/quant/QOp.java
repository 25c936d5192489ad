package dev.verinfer.model.quant;

import java.util.Arrays;

/**
 * The quantised ops: the complete list of what the integer executor computes and the prover
 * proves. Every op names its input tensor ids; semantics are in docs/quantised-ir.md.
 */
public sealed interface QOp {
    int[] inputs();

    /** a [..., M, K] · b [K, N] or [..., K, N] (+ bias[N]); bias < 0 means none. */
    record MatMul(int a, int b, int bias) implements QOp {
        public int[] inputs() { return bias < 0 ? new int[] {a, b} : new int[] {a, b, bias}; }
    }

    /** NCHW (1-D NCW as H = 1) convolution; strides/dilations (h, w), pads (top, left, bottom, right); bias < 0 none. */
    record Conv(int x, int w, int bias, int[] strides, int[] pads, int[] dilations, int group) implements QOp {
        public int[] inputs() { return bias < 0 ? new int[] {x, w} : new int[] {x, w, bias}; }
        @Override public boolean equals(Object o) {
            return o instanceof Conv c && x == c.x && w == c.w && bias == c.bias && Arrays.equals(strides, c.strides)
                    && Arrays.equals(pads, c.pads) && Arrays.equals(dilations, c.dilations) && group == c.group;
        }
        @Override public int hashCode() { return Arrays.hashCode(inputs()); }
        @Override public String toString() {
            return "Conv[" + x + "," + w + "," + bias + " s=" + Arrays.toString(strides) + " p=" + Arrays.toString(pads)
                    + " d=" + Arrays.toString(dilations) + " g=" + group + "]";
        }
    }

    record Add(int a, int b) implements QOp {
        public int[] inputs() { return new int[] {a, b}; }
    }

    record Sub(int a, int b) implements QOp {
        public int[] inputs() { return new int[] {a, b}; }
    }

    record Mul(int a, int b) implements QOp {
        public int[] inputs() { return new int[] {a, b}; }
    }

    /** out = c·x; the scale of c is {@code cScale} (out scale s_x + cScale). */
    record MulConst(int x, long c, int cScale) implements QOp {
        public int[] inputs() { return new int[] {x}; }
    }

    /** out = floor((x + 2^(k-1)) / 2^k), k ≥ 1. */
    record Rescale(int x, int k) implements QOp {
        public Rescale {
            if (k < 1 || k > 62) throw new IllegalArgumentException("Rescale k must be in 1..62: " + k);
        }
        public int[] inputs() { return new int[] {x}; }
    }

    record Lookup(int x, LookupTable table) implements QOp {
        public int[] inputs() { return new int[] {x}; }
    }

    record Max(int a, int b) implements QOp {
        public int[] inputs() { return new int[] {a, b}; }
    }

    record Min(int a, int b) implements QOp {
        public int[] inputs() { return new int[] {a, b}; }
    }

    record ReduceSum(int x, int[] axes, boolean keepdims) implements QOp {
        public int[] inputs() { return new int[] {x}; }
        @Override public boolean equals(Object o) { return o instanceof ReduceSum r && x == r.x && Arrays.equals(axes, r.axes) && keepdims == r.keepdims; }
        @Override public int hashCode() { return 31 * x + Arrays.hashCode(axes); }
        @Override public String toString() { return "ReduceSum[" + x + " axes=" + Arrays.toString(axes) + " keep=" + keepdims + "]"; }
    }

    record ReduceMax(int x, int[] axes, boolean keepdims) implements QOp {
        public int[] inputs() { return new int[] {x}; }
        @Override public boolean equals(Object o) { return o instanceof ReduceMax r && x == r.x && Arrays.equals(axes, r.axes) && keepdims == r.keepdims; }
        @Override public int hashCode() { return 31 * x + Arrays.hashCode(axes); }
        @Override public String toString() { return "ReduceMax[" + x + " axes=" + Arrays.toString(axes) + " keep=" + keepdims + "]"; }
    }

    /** Max over windows; kernel/strides/dilations (h, w), pads (top, left, bottom, right). Padding never wins. */
    record MaxPool(int x, int[] kernel, int[] strides, int[] pads, int[] dilations) implements QOp {
        public int[] inputs() { return new int[] {x}; }
        @Override public boolean equals(Object o) {
            return o instanceof MaxPool p && x == p.x && Arrays.equals(kernel, p.kernel) && Arrays.equals(strides, p.strides)
                    && Arrays.equals(pads, p.pads) && Arrays.equals(dilations, p.dilations);
        }
        @Override public int hashCode() { return 31 * x + Arrays.hashCode(kernel); }
        @Override public String toString() {
            return "MaxPool[" + x + " k=" + Arrays.toString(kernel) + " s=" + Arrays.toString(strides) + " p=" + Arrays.toString(pads) + "]";
        }
    }

    /** out[i] = srcIndex[i] < 0 ? 0 : inputs[srcInput[i]][srcIndex[i]] (flat indices). */
    record Gather(int[] sources, int[] srcInput, int[] srcIndex) implements QOp {
        public int[] inputs() { return sources.clone(); }
        @Override public boolean equals(Object o) {
            return o instanceof Gather g && Arrays.equals(sources, g.sources) && Arrays.equals(srcInput, g.srcInput) && Arrays.equals(srcIndex, g.srcIndex);
        }
        @Override public int hashCode() { return Arrays.hashCode(sources) * 31 + Arrays.hashCode(srcIndex); }
        @Override public String toString() { return "Gather[" + Arrays.toString(sources) + " n=" + srcIndex.length + "]"; }
    }

    /** Same flat data, the output tensor's shape. */
    record Reshape(int x) implements QOp {
        public int[] inputs() { return new int[] {x}; }
    }
}
