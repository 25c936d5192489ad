package dev.verinfer.model.graph;

import java.util.Arrays;

/** Numpy-style broadcasting: the common output shape and, per operand, flat source indices. */
public final class Broadcast {
    private Broadcast() {}

    public static int[] shape(int[]... shapes) {
        int rank = 0;
        for (int[] s : shapes) rank = Math.max(rank, s.length);
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (int[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int o = rank - s.length + i;
                if (s[i] == out[o] || s[i] == 1) continue;
                if (out[o] != 1) throw new IllegalArgumentException("shapes do not broadcast: " + describe(shapes));
                out[o] = s[i];
            }
        }
        return out;
    }

    /** For each element of {@code out}, the flat index of the element of {@code in} it reads. */
    public static int[] indexMap(int[] in, int[] out) {
        int n = Tensor.size(out);
        int[] map = new int[n];
        int rank = out.length;
        int[] inStrides = Tensor.strides(in);
        int[] step = new int[rank]; // per output dim, input stride (0 when broadcast)
        for (int i = 0; i < in.length; i++) {
            int o = rank - in.length + i;
            step[o] = in[i] == 1 ? 0 : inStrides[i];
        }
        int[] idx = new int[rank];
        int pos = 0;
        for (int k = 0; k < n; k++) {
            map[k] = pos;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                pos += step[d];
                if (idx[d] < out[d]) break;
                pos -= step[d] * out[d];
                idx[d] = 0;
            }
        }
        return map;
    }

    private static String describe(int[]... shapes) {
        StringBuilder sb = new StringBuilder();
        for (int[] s : shapes) sb.append(Arrays.toString(s)).append(' ');
        return sb.toString().trim();
    }
}
