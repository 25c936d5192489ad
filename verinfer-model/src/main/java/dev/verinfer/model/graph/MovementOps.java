package dev.verinfer.model.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Float reference of pure data-movement operators. Each only copies (or zero-fills) elements,
 * which is what lets the quantiser lower them to {@code Gather} by running them on index tensors.
 */
final class MovementOps {
    private MovementOps() {}

    static int axis(long a, int rank) { return (int) (a < 0 ? a + rank : a); }

    static Tensor reshape(Tensor x, Tensor target, boolean allowZero) {
        int[] s = new int[target.size()];
        int infer = -1, known = 1;
        for (int i = 0; i < s.length; i++) {
            long v = (long) target.data()[i];
            if (v == 0 && !allowZero) v = x.shape()[i];
            if (v == -1) { infer = i; continue; }
            s[i] = (int) v;
            known *= s[i];
        }
        if (infer >= 0) s[infer] = x.size() / known;
        if (Tensor.size(s) != x.size()) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(x.shape()) + " to " + Arrays.toString(s));
        }
        return x.reshape(s);
    }

    static Tensor flatten(Tensor x, int axis) {
        int outer = 1;
        for (int i = 0; i < axis; i++) outer *= x.shape()[i];
        return x.reshape(outer, x.size() / outer);
    }

    static Tensor squeeze(Tensor x, long[] axes) {
        boolean[] drop = new boolean[x.rank()];
        if (axes == null) for (int i = 0; i < x.rank(); i++) drop[i] = x.shape()[i] == 1;
        else for (long a : axes) drop[axis(a, x.rank())] = true;
        return x.reshape(java.util.stream.IntStream.range(0, x.rank()).filter(i -> !drop[i]).map(i -> x.shape()[i]).toArray());
    }

    static Tensor unsqueeze(Tensor x, long[] axes) {
        int rank = x.rank() + axes.length;
        boolean[] add = new boolean[rank];
        for (long a : axes) add[axis(a, rank)] = true;
        int[] s = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) s[i] = add[i] ? 1 : x.shape()[j++];
        return x.reshape(s);
    }

    static Tensor transpose(Tensor x, int[] perm) {
        int r = x.rank();
        if (perm == null) {
            perm = new int[r];
            for (int i = 0; i < r; i++) perm[i] = r - 1 - i;
        }
        int[] out = new int[r];
        for (int i = 0; i < r; i++) out[i] = x.shape()[perm[i]];
        int[] inStrides = Tensor.strides(x.shape());
        int[] step = new int[r];
        for (int i = 0; i < r; i++) step[i] = inStrides[perm[i]];
        return gatherStrided(x, out, step, 0);
    }

    /** out[idx] = x[offset + sum idx[d]·step[d]]. */
    private static Tensor gatherStrided(Tensor x, int[] out, int[] step, int offset) {
        double[] d = new double[Tensor.size(out)];
        int[] idx = new int[out.length];
        int pos = offset;
        for (int k = 0; k < d.length; k++) {
            d[k] = x.data()[pos];
            for (int a = out.length - 1; a >= 0; a--) {
                idx[a]++;
                pos += step[a];
                if (idx[a] < out[a]) break;
                pos -= step[a] * out[a];
                idx[a] = 0;
            }
        }
        return new Tensor(out, d);
    }

    static Tensor concat(List<Tensor> xs, int axis) {
        int[] out = xs.getFirst().shape().clone();
        out[axis] = 0;
        for (Tensor t : xs) out[axis] += t.shape()[axis];
        int outer = 1;
        for (int i = 0; i < axis; i++) outer *= out[i];
        double[] d = new double[Tensor.size(out)];
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (Tensor t : xs) {
                int chunk = t.size() / outer;
                System.arraycopy(t.data(), o * chunk, d, pos, chunk);
                pos += chunk;
            }
        }
        return new Tensor(out, d);
    }

    /** Slice with per-axis starts/ends/steps (already clamped semantics of ONNX applied here). */
    static Tensor slice(Tensor x, long[] starts, long[] ends, long[] axes, long[] steps) {
        int r = x.rank();
        int[] begin = new int[r], step = new int[r], out = x.shape().clone();
        Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int a = axes == null ? i : axis(axes[i], r);
            int dim = x.shape()[a];
            long st = steps == null ? 1 : steps[i];
            long s = starts[i] < 0 ? starts[i] + dim : starts[i];
            long e = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (st > 0) {
                s = Math.clamp(s, 0, dim);
                e = Math.clamp(e, 0, dim);
                out[a] = (int) Math.max(0, Math.ceilDiv(e - s, st));
            } else {
                s = Math.clamp(s, 0, dim - 1);
                e = Math.clamp(e, -1, dim - 1);
                out[a] = (int) Math.max(0, Math.ceilDiv(s - e, -st));
            }
            begin[a] = (int) s;
            step[a] = (int) st;
        }
        int[] strides = Tensor.strides(x.shape());
        int offset = 0;
        int[] walk = new int[r];
        for (int a = 0; a < r; a++) { offset += begin[a] * strides[a]; walk[a] = step[a] * strides[a]; }
        if (Tensor.size(out) == 0) return new Tensor(out, new double[0]);
        return gatherStrided(x, out, walk, offset);
    }

    static List<Tensor> split(Tensor x, int axis, int[] sizes) {
        List<Tensor> parts = new ArrayList<>();
        long start = 0;
        for (int s : sizes) {
            parts.add(slice(x, new long[] {start}, new long[] {start + s}, new long[] {axis}, null));
            start += s;
        }
        return parts;
    }

    static Tensor gather(Tensor x, Tensor indices, int axis) {
        int dim = x.shape()[axis];
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= x.shape()[i];
        for (int i = axis + 1; i < x.rank(); i++) inner *= x.shape()[i];
        int[] out = new int[x.rank() - 1 + indices.rank()];
        int p = 0;
        for (int i = 0; i < axis; i++) out[p++] = x.shape()[i];
        for (int s : indices.shape()) out[p++] = s;
        for (int i = axis + 1; i < x.rank(); i++) out[p++] = x.shape()[i];
        double[] d = new double[Tensor.size(out)];
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (double iv : indices.data()) {
                int idx = (int) iv;
                if (idx < 0) idx += dim;
                if (idx < 0 || idx >= dim) throw new IllegalArgumentException("Gather index " + (long) iv + " out of range for dim " + dim);
                System.arraycopy(x.data(), (o * dim + idx) * inner, d, pos, inner);
                pos += inner;
            }
        }
        return new Tensor(out, d);
    }

    /** Pad in mode constant (with {@code value}), reflect or edge; pads = [begin..., end...]. */
    static Tensor pad(Tensor x, long[] pads, String mode, double value) {
        int r = x.rank();
        int[] out = new int[r];
        for (int i = 0; i < r; i++) out[i] = (int) (x.shape()[i] + pads[i] + pads[i + r]);
        int[] strides = Tensor.strides(x.shape());
        double[] d = new double[Tensor.size(out)];
        int[] idx = new int[r];
        for (int k = 0; k < d.length; k++) {
            int src = 0;
            boolean outside = false;
            for (int a = 0; a < r; a++) {
                int i = (int) (idx[a] - pads[a]), n = x.shape()[a];
                if (i < 0 || i >= n) {
                    switch (mode) {
                        case "edge" -> i = Math.clamp(i, 0, n - 1);
                        case "reflect" -> { while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i; }
                        default -> outside = true;
                    }
                }
                src += i * strides[a];
            }
            d[k] = outside ? value : x.data()[src];
            for (int a = r - 1; a >= 0; a--) {
                if (++idx[a] < out[a]) break;
                idx[a] = 0;
            }
        }
        return new Tensor(out, d);
    }

    static Tensor expand(Tensor x, int[] target) {
        int[] out = Broadcast.shape(x.shape(), target);
        int[] map = Broadcast.indexMap(x.shape(), out);
        double[] d = new double[map.length];
        for (int i = 0; i < d.length; i++) d[i] = x.data()[map[i]];
        return new Tensor(out, d);
    }

    /** Nearest-neighbour resize to {@code out}, with the ONNX coordinate transformation and rounding modes. */
    static Tensor resizeNearest(Tensor x, int[] out, double[] scales, String coordMode, String nearestMode) {
        int r = x.rank();
        int[][] src = new int[r][];
        for (int a = 0; a < r; a++) {
            int in = x.shape()[a];
            src[a] = new int[out[a]];
            for (int o = 0; o < out[a]; o++) {
                double c = switch (coordMode) {
                    case "half_pixel" -> (o + 0.5) / scales[a] - 0.5;
                    case "align_corners" -> out[a] == 1 ? 0 : o * (in - 1.0) / (out[a] - 1.0);
                    case "asymmetric" -> o / scales[a];
                    case "pytorch_half_pixel" -> out[a] > 1 ? (o + 0.5) / scales[a] - 0.5 : 0;
                    case "tf_half_pixel_for_nn" -> (o + 0.5) / scales[a];
                    default -> throw new IllegalArgumentException("coordinate_transformation_mode " + coordMode);
                };
                double n = switch (nearestMode) {
                    case "floor" -> Math.floor(c);
                    case "ceil" -> Math.ceil(c);
                    case "round_prefer_ceil" -> Math.floor(c + 0.5);
                    default -> Math.ceil(c - 0.5); // round_prefer_floor
                };
                src[a][o] = Math.clamp((long) n, 0, in - 1);
            }
        }
        int[] strides = Tensor.strides(x.shape());
        double[] d = new double[Tensor.size(out)];
        int[] idx = new int[r];
        for (int k = 0; k < d.length; k++) {
            int s = 0;
            for (int a = 0; a < r; a++) s += src[a][idx[a]] * strides[a];
            d[k] = x.data()[s];
            for (int a = r - 1; a >= 0; a--) {
                if (++idx[a] < out[a]) break;
                idx[a] = 0;
            }
        }
        return new Tensor(out, d);
    }
}
