package dev.verinfer.model.quant;

import dev.verinfer.model.graph.Broadcast;
import dev.verinfer.model.graph.Tensor;

import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** The exact integer kernels of the executor: primitive long loops, parallel over independent rows/planes. */
final class IntKernels {
    private final java.util.concurrent.ForkJoinPool pool;

    IntKernels(java.util.concurrent.ForkJoinPool pool) { this.pool = pool; }

    private void parallel(int n, IntConsumer body) {
        if (n == 1 || pool == null) {
            for (int i = 0; i < n; i++) body.accept(i);
            return;
        }
        pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).join();
    }

    /*
     * Matrix products and convolutions accumulate in double: every operand is an integer, and the
     * quantiser guarantees every partial sum stays below 2^40 in magnitude (worst case from the
     * declared bounds), far inside the 2^53 range where IEEE doubles hold integers exactly. So the
     * result is bit-identical to long arithmetic, while the loops vectorise.
     */
    private final java.util.Map<long[], double[]> constants = new java.util.concurrent.ConcurrentHashMap<>();

    /** A long array as doubles; cached for arrays that are constants of the graph (weights). */
    private double[] asDoubles(long[] v, boolean constant) {
        if (constant) return constants.computeIfAbsent(v, IntKernels::toDoubles);
        return toDoubles(v);
    }

    private static double[] toDoubles(long[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < d.length; i++) d[i] = v[i];
        return d;
    }

    /** a [..., M, K] · b [K, N] or [..., K, N], batch dims broadcast, plus bias[N]. */
    long[] matmul(long[] a, int[] as, long[] b, int[] bs, boolean bConstant, long[] bias, int[] outShape) {
        int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
        int[] batchA = Arrays.copyOf(as, as.length - 2), batchB = Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Arrays.copyOf(outShape, outShape.length - 2);
        int[] ia = Broadcast.indexMap(batchA, batch), ib = Broadcast.indexMap(batchB, batch);
        double[] ad = toDoubles(a), bd = asDoubles(b, bConstant);
        long[] out = new long[ia.length * m * n];
        parallel(ia.length * m, row -> {
            int t = row / m, i = row % m;
            int ao = ia[t] * m * k + i * k, bo = ib[t] * k * n, oo = row * n;
            double[] acc = new double[n];
            for (int kk = 0; kk < k; kk++) {
                double av = ad[ao + kk];
                if (av == 0) continue;
                int br = bo + kk * n;
                for (int j = 0; j < n; j++) acc[j] += av * bd[br + j];
            }
            for (int j = 0; j < n; j++) out[oo + j] = (long) acc[j] + (bias == null ? 0 : bias[j]);
        });
        return out;
    }

    /**
     * Grouped convolution over [N, C, H, W] (H = 1 for 1-D); w [OC, C/group, KH, KW]. Per image and
     * group, the receptive fields are laid out as a [C/group·KH·KW, OH·OW] matrix (zeros for padding),
     * then multiplied by the group's [OC/group, C/group·KH·KW] weights, parallel over output channels.
     */
    long[] conv(long[] x, int n, int c, int h, int w, long[] wt, int oc, int kh, int kw, long[] bias,
                int[] s, int[] p, int[] d, int group, int oh, int ow) {
        int cpg = c / group, ocpg = oc / group, rows = cpg * kh * kw, plane = oh * ow;
        if (cpg == 1 && ocpg == 1) return depthwise(x, n, c, h, w, wt, kh, kw, bias, s, p, d, oh, ow);
        double[] wd = asDoubles(wt, true);
        long[] out = new long[n * oc * plane];
        for (int b = 0; b < n; b++) {
            for (int g = 0; g < group; g++) {
                double[] col = im2col(x, (b * c + g * cpg) * h * w, cpg, h, w, kh, kw, s, p, d, oh, ow);
                int base = (b * oc + g * ocpg) * plane, wBase = g * ocpg * rows, firstChannel = g * ocpg;
                // four output channels per task: each im2col row is loaded once for four accumulators
                parallel(Math.ceilDiv(ocpg, 4), blk -> {
                    int o0 = blk * 4, cnt = Math.min(4, ocpg - o0);
                    double[][] acc = new double[4][plane];
                    for (int r = 0; r < rows; r++) {
                        double w0 = wd[wBase + o0 * rows + r];
                        double w1 = cnt > 1 ? wd[wBase + (o0 + 1) * rows + r] : 0;
                        double w2 = cnt > 2 ? wd[wBase + (o0 + 2) * rows + r] : 0;
                        double w3 = cnt > 3 ? wd[wBase + (o0 + 3) * rows + r] : 0;
                        double[] a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
                        int cr = r * plane;
                        for (int q = 0; q < plane; q++) {
                            double cv = col[cr + q];
                            a0[q] += w0 * cv;
                            a1[q] += w1 * cv;
                            a2[q] += w2 * cv;
                            a3[q] += w3 * cv;
                        }
                    }
                    for (int j = 0; j < cnt; j++) {
                        long bv = bias == null ? 0 : bias[firstChannel + o0 + j];
                        int ob = base + (o0 + j) * plane;
                        for (int q = 0; q < plane; q++) out[ob + q] = (long) acc[j][q] + bv;
                    }
                });
            }
        }
        return out;
    }

    /** One filter per channel: direct long accumulation, parallel over channels. */
    private long[] depthwise(long[] x, int n, int c, int h, int w, long[] wt, int kh, int kw, long[] bias,
                             int[] s, int[] p, int[] d, int oh, int ow) {
        long[] out = new long[n * c * oh * ow];
        parallel(n * c, nc -> {
            int ch = nc % c, in = nc * h * w, base = nc * oh * ow;
            if (bias != null) Arrays.fill(out, base, base + oh * ow, bias[ch]);
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    long wv = wt[(ch * kh + ky) * kw + kx];
                    int shift = kx * d[1] - p[1];
                    int lo = Math.max(0, Math.ceilDiv(-shift, s[1])), hi = Math.min(ow - 1, Math.floorDiv(w - 1 - shift, s[1]));
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * s[0] - p[0] + ky * d[0];
                        if (iy < 0 || iy >= h) continue;
                        int row = in + iy * w + shift, orow = base + oy * ow;
                        for (int ox = lo; ox <= hi; ox++) out[orow + ox] += wv * x[row + ox * s[1]];
                    }
                }
            }
        });
        return out;
    }

    private static double[] im2col(long[] x, int offset, int cpg, int h, int w, int kh, int kw, int[] s, int[] p, int[] d, int oh, int ow) {
        int plane = oh * ow;
        double[] col = new double[cpg * kh * kw * plane];
        for (int ci = 0; ci < cpg; ci++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    int r = (ci * kh + ky) * kw + kx, shift = kx * d[1] - p[1];
                    int lo = Math.max(0, Math.ceilDiv(-shift, s[1])), hi = Math.min(ow - 1, Math.floorDiv(w - 1 - shift, s[1]));
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * s[0] - p[0] + ky * d[0];
                        if (iy < 0 || iy >= h) continue;
                        int src = offset + (ci * h + iy) * w + shift, dst = r * plane + oy * ow;
                        for (int ox = lo; ox <= hi; ox++) col[dst + ox] = x[src + ox * s[1]];
                    }
                }
            }
        }
        return col;
    }

    long[] maxPool(long[] x, int nc, int h, int w, int[] k, int[] s, int[] p, int[] d, int oh, int ow) {
        long[] out = new long[nc * oh * ow];
        parallel(nc, plane -> {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    long m = Long.MIN_VALUE;
                    for (int ky = 0; ky < k[0]; ky++) {
                        int iy = oy * s[0] - p[0] + ky * d[0];
                        if (iy < 0 || iy >= h) continue;
                        for (int kx = 0; kx < k[1]; kx++) {
                            int ix = ox * s[1] - p[1] + kx * d[1];
                            if (ix >= 0 && ix < w) m = Math.max(m, x[(plane * h + iy) * w + ix]);
                        }
                    }
                    out[(plane * oh + oy) * ow + ox] = m;
                }
            }
        });
        return out;
    }

    enum Binary {
        ADD, SUB, MUL, MAX, MIN;

        long apply(long a, long b) {
            return switch (this) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case MAX -> Math.max(a, b);
                case MIN -> Math.min(a, b);
            };
        }
    }

    /** a ∘ b with numpy broadcasting; operands within their declared bounds cannot overflow (all &lt; 2^40). */
    static long[] broadcast(long[] a, int[] as, long[] b, int[] bs, int[] out, Binary f) {
        long[] r = new long[Tensor.size(out)];
        if (Arrays.equals(as, bs)) {
            for (int i = 0; i < r.length; i++) r[i] = f.apply(a[i], b[i]);
        } else if (b.length == 1 && a.length == r.length) {
            long bv = b[0];
            for (int i = 0; i < r.length; i++) r[i] = f.apply(a[i], bv);
        } else if (a.length == 1 && b.length == r.length) {
            long av = a[0];
            for (int i = 0; i < r.length; i++) r[i] = f.apply(av, b[i]);
        } else {
            int[] ia = Broadcast.indexMap(as, out), ib = Broadcast.indexMap(bs, out);
            for (int i = 0; i < r.length; i++) r[i] = f.apply(a[ia[i]], b[ib[i]]);
        }
        return r;
    }
}
