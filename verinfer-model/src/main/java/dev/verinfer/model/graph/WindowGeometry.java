package dev.verinfer.model.graph;

import dev.verinfer.model.UnsupportedModelException;

/**
 * The geometry of a 2-D sliding window (Conv, pools) over NCHW; 1-D NCW ops use H = 1.
 * Pads are explicit (auto_pad resolved): top, left, bottom, right.
 */
public record WindowGeometry(int n, int c, int h, int w, int kh, int kw, int sh, int sw,
                             int padTop, int padLeft, int padBottom, int padRight, int dh, int dw, int oh, int ow) {

    /** Geometry from a node's attributes and its input shape; kernel from {@code kernel} if the attribute is absent. */
    public static WindowGeometry of(Node node, int[] inShape, int[] kernel, boolean ceilMode) {
        int spatial = inShape.length - 2;
        if (spatial != 1 && spatial != 2) {
            throw UnsupportedModelException.of(node.name(), node.opType(), "only 1-D and 2-D windows are supported, input rank " + inShape.length);
        }
        int[] k = Attrs.getIntArray(node, "kernel_shape", kernel);
        int[] s = Attrs.getIntArray(node, "strides", ones(spatial));
        int[] d = Attrs.getIntArray(node, "dilations", ones(spatial));
        int[] p = Attrs.getIntArray(node, "pads", new int[2 * spatial]);
        if (k == null || k.length != spatial) throw UnsupportedModelException.of(node.name(), node.opType(), "kernel_shape missing or of wrong rank");
        int[] in = new int[spatial];
        for (int i = 0; i < spatial; i++) in[i] = inShape[2 + i];
        String autoPad = Attrs.getString(node, "auto_pad", "NOTSET");
        int[] begin = new int[spatial], end = new int[spatial], out = new int[spatial];
        for (int i = 0; i < spatial; i++) {
            int span = (k[i] - 1) * d[i] + 1;
            switch (autoPad) {
                case "NOTSET" -> { begin[i] = p[i]; end[i] = p[spatial + i]; }
                case "VALID" -> { }
                case "SAME_UPPER", "SAME_LOWER" -> {
                    int o = (in[i] + s[i] - 1) / s[i];
                    int total = Math.max(0, (o - 1) * s[i] + span - in[i]);
                    begin[i] = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
                    end[i] = total - begin[i];
                }
                default -> throw UnsupportedModelException.of(node.name(), node.opType(), "unknown auto_pad '" + autoPad + "'");
            }
            int room = in[i] + begin[i] + end[i] - span;
            out[i] = (ceilMode ? Math.ceilDiv(room, s[i]) : Math.floorDiv(room, s[i])) + 1;
            if (ceilMode && (out[i] - 1) * s[i] >= in[i] + begin[i]) out[i]--;
            if (out[i] <= 0) throw UnsupportedModelException.of(node.name(), node.opType(), "window larger than its padded input");
        }
        if (spatial == 1) {
            return new WindowGeometry(inShape[0], inShape[1], 1, in[0], 1, k[0], 1, s[0], 0, begin[0], 0, end[0], 1, d[0], 1, out[0]);
        }
        return new WindowGeometry(inShape[0], inShape[1], in[0], in[1], k[0], k[1], s[0], s[1],
                begin[0], begin[1], end[0], end[1], d[0], d[1], out[0], out[1]);
    }

    /** The output shape for {@code channels} output channels, with the rank of the input. */
    public int[] outShape(int channels, int rank) {
        return rank == 3 ? new int[] {n, channels, ow} : new int[] {n, channels, oh, ow};
    }

    private static int[] ones(int n) {
        int[] r = new int[n];
        java.util.Arrays.fill(r, 1);
        return r;
    }
}
