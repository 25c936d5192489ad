package dev.verinfer.model.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Float reference of index-driven operators: Trilu, Tile, GatherElements, GatherND, ScatterElements,
 * ScatterND (pure data movement, so the quantiser lowers them to a Gather by running them on element
 * ids), NonZero, ArgMax/ArgMin and TopK (indices of the largest entries; ties go to the lower index).
 */
final class IndexOps {
    private IndexOps() {}

    /** Keeps the entries with j − i ≥ k (upper) or j − i ≤ k (lower) of the last two dims; the rest are 0. */
    static Tensor trilu(Tensor x, long k, boolean upper) {
        int r = x.rank(), rows = x.shape()[r - 2], cols = x.shape()[r - 1];
        double[] d = x.data().clone();
        for (int i = 0; i < d.length; i++) {
            int col = i % cols, row = (i / cols) % rows;
            long diff = (long) col - row;
            if (upper ? diff < k : diff > k) d[i] = 0;
        }
        return new Tensor(x.shape(), d);
    }

    static Tensor tile(Tensor x, long[] repeats) {
        int r = x.rank();
        if (repeats.length != r) throw new IllegalArgumentException("Tile repeats " + Arrays.toString(repeats) + " do not match rank " + r);
        int[] out = new int[r];
        for (int a = 0; a < r; a++) out[a] = Math.toIntExact(x.shape()[a] * repeats[a]);
        int[] os = Tensor.strides(out), xs = Tensor.strides(x.shape());
        double[] d = new double[Tensor.size(out)];
        for (int i = 0; i < d.length; i++) {
            int src = 0;
            for (int a = 0; a < r; a++) src += ((i / os[a]) % out[a] % x.shape()[a]) * xs[a];
            d[i] = x.data()[src];
        }
        return new Tensor(out, d);
    }

    private static int index(double v, int dim, String op) {
        int i = (int) v;
        if (i < 0) i += dim;
        if (i < 0 || i >= dim) throw new IllegalArgumentException(op + " index " + (long) v + " out of range for dim " + dim);
        return i;
    }

    /** out[idx] = x[idx with idx[axis] replaced by indices[idx]] (indices has the output's shape). */
    static Tensor gatherElements(Tensor x, Tensor indices, int axis) {
        int[] is = Tensor.strides(indices.shape()), xs = Tensor.strides(x.shape());
        double[] d = new double[indices.size()];
        for (int i = 0; i < d.length; i++) {
            int src = 0;
            for (int a = 0; a < x.rank(); a++) {
                int c = (i / is[a]) % indices.shape()[a];
                if (a == axis) c = index(indices.data()[i], x.shape()[axis], "GatherElements");
                src += c * xs[a];
            }
            d[i] = x.data()[src];
        }
        return new Tensor(indices.shape(), d);
    }

    static Tensor scatterElements(Tensor x, Tensor indices, Tensor updates, int axis) {
        int[] is = Tensor.strides(indices.shape()), xs = Tensor.strides(x.shape());
        double[] d = x.data().clone();
        for (int i = 0; i < indices.size(); i++) {
            int dst = 0;
            for (int a = 0; a < x.rank(); a++) {
                int c = (i / is[a]) % indices.shape()[a];
                if (a == axis) c = index(indices.data()[i], x.shape()[axis], "ScatterElements");
                dst += c * xs[a];
            }
            d[dst] = updates.data()[i];
        }
        return new Tensor(x.shape(), d);
    }

    /** GatherND: indices [..., q] address slices of x over its first q dims (batch_dims b: leading dims shared). */
    static Tensor gatherND(Tensor x, Tensor indices, int batchDims) {
        int ir = indices.rank(), q = indices.shape()[ir - 1];
        int[] out = new int[ir - 1 + x.rank() - batchDims - q];
        int p = 0;
        for (int a = 0; a < ir - 1; a++) out[p++] = indices.shape()[a];
        for (int a = batchDims + q; a < x.rank(); a++) out[p++] = x.shape()[a];
        int[] xs = Tensor.strides(x.shape());
        int slice = 1;
        for (int a = batchDims + q; a < x.rank(); a++) slice *= x.shape()[a];
        int batches = 1;
        for (int a = 0; a < batchDims; a++) batches *= x.shape()[a];
        int tuples = indices.size() / q, perBatch = tuples / Math.max(1, batches);
        int batchStride = batchDims == 0 ? 0 : xs[batchDims - 1];
        double[] d = new double[Tensor.size(out)];
        for (int t = 0; t < tuples; t++) {
            int src = batchDims == 0 ? 0 : (t / perBatch) * batchStride;
            for (int j = 0; j < q; j++) src += index(indices.data()[t * q + j], x.shape()[batchDims + j], "GatherND") * xs[batchDims + j];
            System.arraycopy(x.data(), src, d, t * slice, slice);
        }
        return new Tensor(out, d);
    }

    static Tensor scatterND(Tensor x, Tensor indices, Tensor updates) {
        int ir = indices.rank(), q = indices.shape()[ir - 1];
        int[] xs = Tensor.strides(x.shape());
        int slice = 1;
        for (int a = q; a < x.rank(); a++) slice *= x.shape()[a];
        double[] d = x.data().clone();
        for (int t = 0; t < indices.size() / q; t++) {
            int dst = 0;
            for (int j = 0; j < q; j++) dst += index(indices.data()[t * q + j], x.shape()[j], "ScatterND") * xs[j];
            System.arraycopy(updates.data(), t * slice, d, dst, slice);
        }
        return new Tensor(x.shape(), d);
    }

    /** [rank, count] coordinates of the non-zero entries in row-major order. */
    static Tensor nonZero(Tensor x) {
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) if (x.data()[i] != 0) hits.add(i);
        int r = x.rank();
        int[] s = Tensor.strides(x.shape());
        double[] d = new double[r * hits.size()];
        for (int h = 0; h < hits.size(); h++) {
            for (int a = 0; a < r; a++) d[a * hits.size() + h] = (hits.get(h) / s[a]) % x.shape()[a];
        }
        return new Tensor(new int[] {r, hits.size()}, d);
    }

    /** Index of the largest (max) or smallest entry along the axis; ties: first, or last with selectLast. */
    static Tensor argExtreme(Tensor x, int axis, boolean keepdims, boolean max, boolean selectLast) {
        int[] out = ReduceOps.reducedShape(x.shape(), new int[] {axis}, keepdims);
        int dim = x.shape()[axis], inner = Tensor.strides(x.shape())[axis], outer = x.size() / (dim * inner);
        double[] d = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int best = 0;
                double bv = x.data()[o * dim * inner + in];
                for (int i = 1; i < dim; i++) {
                    double v = x.data()[(o * dim + i) * inner + in];
                    boolean better = max ? (v > bv || selectLast && v == bv) : (v < bv || selectLast && v == bv);
                    if (better) { best = i; bv = v; }
                }
                d[o * inner + in] = best;
            }
        }
        return new Tensor(out, d);
    }

    /** TopK: the k largest (or smallest) entries along the axis, sorted, ties to the lower index; values and indices. */
    static List<Tensor> topK(Tensor x, int k, int axis, boolean largest) {
        int dim = x.shape()[axis], inner = Tensor.strides(x.shape())[axis], outer = x.size() / (dim * inner);
        if (k < 0 || k > dim) throw new IllegalArgumentException("TopK k=" + k + " out of range for dim " + dim);
        int[] out = x.shape().clone();
        out[axis] = k;
        double[] values = new double[outer * k * inner], indices = new double[values.length];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                Integer[] order = new Integer[dim];
                for (int i = 0; i < dim; i++) order[i] = i;
                final int base = o * dim * inner + in;
                Arrays.sort(order, (a, b) -> {
                    int c = Double.compare(x.data()[base + a * inner], x.data()[base + b * inner]);
                    return c != 0 ? (largest ? -c : c) : Integer.compare(a, b);
                });
                for (int j = 0; j < k; j++) {
                    int pos = (o * k + j) * inner + in;
                    indices[pos] = order[j];
                    values[pos] = x.data()[base + order[j] * inner];
                }
            }
        }
        return List.of(new Tensor(out, values), new Tensor(out.clone(), indices));
    }

    /** (x − mean) / sqrt(var + eps) · scale[c] + bias[c], mean and variance over each (n, c) plane. */
    static Tensor instanceNorm(Tensor x, Tensor scale, Tensor bias, double eps) {
        int n = x.shape()[0], c = x.shape()[1], plane = x.size() / (n * c);
        double[] d = new double[x.size()];
        for (int p = 0; p < n * c; p++) {
            double mean = 0, var = 0;
            for (int i = 0; i < plane; i++) mean += x.data()[p * plane + i];
            mean /= plane;
            for (int i = 0; i < plane; i++) { double t = x.data()[p * plane + i] - mean; var += t * t; }
            var /= plane;
            double inv = 1 / StrictMath.sqrt(var + eps);
            for (int i = 0; i < plane; i++) d[p * plane + i] = (x.data()[p * plane + i] - mean) * inv * scale.data()[p % c] + bias.data()[p % c];
        }
        return new Tensor(x.shape(), d);
    }
}
