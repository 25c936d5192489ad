package dev.verinfer.model.graph;

import dev.verinfer.model.UnsupportedModelException;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * ConvTranspose as an ordinary convolution: the input is dilated by the strides (zeros between
 * elements) and padded by (k-1)·d − pad (negative pads crop), then convolved with stride 1 and the
 * spatially flipped, in/out-swapped kernel. The quantiser uses the same rewrite (a Gather, then Conv).
 */
public record ConvTranspose(int[] dilatedShape, int[] sourceIndex, Tensor kernel, Node conv) {

    static Tensor eval(Node n, Tensor x, Tensor w, Tensor bias) {
        ConvTranspose r = of(n, x.shape(), w);
        double[] d = new double[r.sourceIndex.length];
        for (int i = 0; i < d.length; i++) d[i] = r.sourceIndex[i] < 0 ? 0 : x.data()[r.sourceIndex[i]];
        Tensor dilated = new Tensor(r.dilatedShape, d);
        WindowGeometry g = WindowGeometry.of(r.conv, r.dilatedShape, FloatOps.kernel(r.kernel), false);
        return LinearOps.conv(dilated, r.kernel, bias, g, (int) Attrs.getInt(n, "group", 1), x.rank());
    }

    /** The rewrite for input shape {@code in} and weights {@code w} [C, OC/group, k...]. */
    public static ConvTranspose of(Node n, int[] in, Tensor w) {
        if (!Attrs.getString(n, "auto_pad", "NOTSET").equals("NOTSET")) {
            throw UnsupportedModelException.of(n.name(), n.opType(), "auto_pad other than NOTSET is not supported");
        }
        int spatial = in.length - 2;
        if (spatial != 1 && spatial != 2) throw UnsupportedModelException.of(n.name(), n.opType(), "only 1-D and 2-D are supported");
        int group = (int) Attrs.getInt(n, "group", 1);
        int[] k = Arrays.copyOfRange(w.shape(), 2, w.rank());
        int[] s = Attrs.getIntArray(n, "strides", filled(spatial, 1));
        int[] d = Attrs.getIntArray(n, "dilations", filled(spatial, 1));
        int[] p = Attrs.getIntArray(n, "pads", new int[2 * spatial]);
        int[] op = Attrs.getIntArray(n, "output_padding", new int[spatial]);
        int[] begin = new int[spatial], size = new int[spatial];
        for (int i = 0; i < spatial; i++) {
            int edge = (k[i] - 1) * d[i];
            begin[i] = edge - p[i];
            size[i] = (in[2 + i] - 1) * s[i] + 1 + begin[i] + edge - p[spatial + i] + op[i];
        }
        int[] shape = new int[in.length];
        shape[0] = in[0];
        shape[1] = in[1];
        for (int i = 0; i < spatial; i++) shape[2 + i] = size[i];
        int[] src = new int[Tensor.size(shape)];
        int[] inStrides = Tensor.strides(in);
        int[] idx = new int[shape.length];
        for (int t = 0; t < src.length; t++) {
            int flat = idx[0] * inStrides[0] + idx[1] * inStrides[1];
            for (int i = 0; i < spatial && flat >= 0; i++) {
                int u = idx[2 + i] - begin[i];
                if (u < 0 || u % s[i] != 0 || u / s[i] >= in[2 + i]) flat = -1;
                else flat += (u / s[i]) * inStrides[2 + i];
            }
            src[t] = flat;
            for (int a = shape.length - 1; a >= 0; a--) {
                if (++idx[a] < shape[a]) break;
                idx[a] = 0;
            }
        }
        Map<String, Object> attrs = new HashMap<>();
        attrs.put("group", (long) group);
        attrs.put("dilations", Arrays.stream(d).asLongStream().toArray());
        Node conv = new Node(n.name(), "Conv", n.inputs(), n.outputs(), attrs);
        return new ConvTranspose(shape, src, flippedKernel(w, group), conv);
    }

    /** w [C, OC/g, kh, kw] → w' [OC, C/g, kh, kw] with w'[o, c, y, x] = w[c, o, kh-1-y, kw-1-x] within each group. */
    private static Tensor flippedKernel(Tensor w, int group) {
        int c = w.shape()[0], ocpg = w.shape()[1], cpg = c / group;
        int kh = w.rank() == 4 ? w.shape()[2] : 1, kw = w.shape()[w.rank() - 1];
        int oc = ocpg * group;
        double[] out = new double[w.size()];
        for (int g = 0; g < group; g++)
            for (int o = 0; o < ocpg; o++)
                for (int ci = 0; ci < cpg; ci++)
                    for (int y = 0; y < kh; y++)
                        for (int x = 0; x < kw; x++) {
                            int src = (((g * cpg + ci) * ocpg + o) * kh + (kh - 1 - y)) * kw + (kw - 1 - x);
                            out[(((g * ocpg + o) * cpg + ci) * kh + y) * kw + x] = w.data()[src];
                        }
        int[] shape = w.shape().clone();
        shape[0] = oc;
        shape[1] = cpg;
        return new Tensor(shape, out);
    }

    private static int[] filled(int n, int v) {
        int[] r = new int[n];
        Arrays.fill(r, v);
        return r;
    }

    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return System.identityHashCode(this); }
    @Override public String toString() { return "ConvTranspose" + Arrays.toString(dilatedShape); }
}
