package dev.verinfer.model.quant;

import dev.verinfer.model.graph.Broadcast;
import dev.verinfer.model.graph.Tensor;

import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ForkJoinPool;

/** The exact integer kernels of the executor: primitive long loops, parallel over independent rows/planes. */
final class IntKernels {
    private final ForkJoinPool pool;

    IntKernels(ForkJoinPool pool) { this.pool = pool; }

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
    /**
     * Weight arrays (by identity) converted once, for every executor: each one-off run
     * ({@link IntegerExecutor#execute}) has an executor of its own, and a per-executor cache converted
     * alexa_v0.1's weights on every inference (8% of a market prover's CPU under load); weak so
     * compiled models can be collected.
     */
    private static final Map<long[], double[]> CONSTANTS = Collections.synchronizedMap(new WeakHashMap<>());

    /** A long array as doubles; cached for arrays that are constants of the graph (weights). */
    private static double[] asDoubles(long[] v, boolean constant) {
        if (constant) return CONSTANTS.computeIfAbsent(v, IntKernels::toDoubles);
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
     * group, the receptive fields are laid out as a [OH·OW, C/group·KH·KW] matrix (zeros for padding),
     * and each output is the dot product of a field with a filter, computed 4 outputs × 4 positions at
     * a time so every loaded value feeds four multiply-adds. Parallel over blocks of 4 output channels.
     */
    long[] conv(long[] x, int n, int c, int h, int w, long[] wt, int oc, int kh, int kw, long[] bias,
                int[] s, int[] p, int[] d, int group, int oh, int ow) {
        int cpg = c / group, ocpg = oc / group, rows = cpg * kh * kw, plane = oh * ow;
        if (cpg == 1 && ocpg == 1) return depthwise(x, n, c, h, w, wt, kh, kw, bias, s, p, d, oh, ow);
        int ocPad = (ocpg + 3) & ~3, planePad = (plane + 3) & ~3;
        long[] out = new long[n * oc * plane];
        for (int g = 0; g < group; g++) {
            double[] wg = new double[ocPad * rows]; // this group's filters, zero rows up to a multiple of 4
            for (int i = 0; i < ocpg * rows; i++) wg[i] = wt[g * ocpg * rows + i];
            for (int b = 0; b < n; b++) {
                double[] col = fields(x, (b * c + g * cpg) * h * w, cpg, h, w, kh, kw, s, p, d, oh, ow, planePad);
                int base = (b * oc + g * ocpg) * plane, firstChannel = g * ocpg;
                parallel(ocPad / 4, blk -> {
                    int o0 = blk * 4;
                    int w0 = o0 * rows, w1 = w0 + rows, w2 = w1 + rows, w3 = w2 + rows;
                    for (int q0 = 0; q0 < plane; q0 += 4) {
                        int c0 = q0 * rows, c1 = c0 + rows, c2 = c1 + rows, c3 = c2 + rows;
                        double a00 = 0, a01 = 0, a02 = 0, a03 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0;
                        double a20 = 0, a21 = 0, a22 = 0, a23 = 0, a30 = 0, a31 = 0, a32 = 0, a33 = 0;
                        for (int r = 0; r < rows; r++) {
                            double f0 = col[c0 + r], f1 = col[c1 + r], f2 = col[c2 + r], f3 = col[c3 + r];
                            double k0 = wg[w0 + r], k1 = wg[w1 + r], k2 = wg[w2 + r], k3 = wg[w3 + r];
                            a00 += k0 * f0; a01 += k0 * f1; a02 += k0 * f2; a03 += k0 * f3;
                            a10 += k1 * f0; a11 += k1 * f1; a12 += k1 * f2; a13 += k1 * f3;
                            a20 += k2 * f0; a21 += k2 * f1; a22 += k2 * f2; a23 += k2 * f3;
                            a30 += k3 * f0; a31 += k3 * f1; a32 += k3 * f2; a33 += k3 * f3;
                        }
                        double[][] acc = {{a00, a01, a02, a03}, {a10, a11, a12, a13}, {a20, a21, a22, a23}, {a30, a31, a32, a33}};
                        for (int j = 0; j < 4 && o0 + j < ocpg; j++) {
                            long bv = bias == null ? 0 : bias[firstChannel + o0 + j];
                            int ob = base + (o0 + j) * plane;
                            for (int i = 0; i < 4 && q0 + i < plane; i++) out[ob + q0 + i] = (long) acc[j][i] + bv;
                        }
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

    /** The receptive fields as a [planePad, cpg·kh·kw] matrix (rows past oh·ow and padded taps are 0), parallel over channels. */
    private double[] fields(long[] x, int offset, int cpg, int h, int w, int kh, int kw, int[] s, int[] p, int[] d, int oh, int ow, int planePad) {
        int rows = cpg * kh * kw;
        double[] col = new double[planePad * rows];
        parallel(cpg, ci -> {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    int r = (ci * kh + ky) * kw + kx, shift = kx * d[1] - p[1];
                    int lo = Math.max(0, Math.ceilDiv(-shift, s[1])), hi = Math.min(ow - 1, Math.floorDiv(w - 1 - shift, s[1]));
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * s[0] - p[0] + ky * d[0];
                        if (iy < 0 || iy >= h) continue;
                        int src = offset + (ci * h + iy) * w + shift, dst = (oy * ow) * rows + r;
                        for (int ox = lo; ox <= hi; ox++) col[dst + ox * rows] = x[src + ox * s[1]];
                    }
                }
            }
        });
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
