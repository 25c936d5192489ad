package dev.verinfer.model.quant;

import dev.verinfer.model.graph.Broadcast;

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

    /** a [..., M, K] · b [K, N] or [..., K, N], batch dims broadcast, plus bias[N]. */
    long[] matmul(long[] a, int[] as, long[] b, int[] bs, long[] bias, int[] outShape) {
        int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
        int[] batchA = Arrays.copyOf(as, as.length - 2), batchB = Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Arrays.copyOf(outShape, outShape.length - 2);
        int[] ia = Broadcast.indexMap(batchA, batch), ib = Broadcast.indexMap(batchB, batch);
        long[] out = new long[ia.length * m * n];
        parallel(ia.length * m, row -> {
            int t = row / m, i = row % m;
            int ao = ia[t] * m * k + i * k, bo = ib[t] * k * n, oo = row * n;
            if (bias != null) System.arraycopy(bias, 0, out, oo, n);
            for (int kk = 0; kk < k; kk++) {
                long av = a[ao + kk];
                if (av == 0) continue;
                int br = bo + kk * n;
                for (int j = 0; j < n; j++) out[oo + j] += av * b[br + j];
            }
        });
        return out;
    }

    /** Grouped convolution over [N, C, H, W] (H = 1 for 1-D); w [OC, C/group, KH, KW]. */
    long[] conv(long[] x, int n, int c, int h, int w, long[] wt, int oc, int kh, int kw, long[] bias,
                int[] s, int[] p, int[] d, int group, int oh, int ow) {
        int cpg = c / group, ocpg = oc / group;
        long[] out = new long[n * oc * oh * ow];
        parallel(n * oc, no -> {
            int b = no / oc, o = no % oc, g = o / ocpg, base = no * oh * ow;
            if (bias != null) Arrays.fill(out, base, base + oh * ow, bias[o]);
            for (int ci = 0; ci < cpg; ci++) {
                int plane = (b * c + g * cpg + ci) * h * w;
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        long wv = wt[((o * cpg + ci) * kh + ky) * kw + kx];
                        if (wv == 0) continue;
                        int shift = kx * d[1] - p[1];
                        // ox range with 0 <= ox*s + shift < w
                        int lo = Math.max(0, Math.ceilDiv(-shift, s[1])), hi = Math.min(ow - 1, Math.floorDiv(w - 1 - shift, s[1]));
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * s[0] - p[0] + ky * d[0];
                            if (iy < 0 || iy >= h) continue;
                            int row = plane + iy * w + shift, orow = base + oy * ow;
                            for (int ox = lo; ox <= hi; ox++) out[orow + ox] += wv * x[row + ox * s[1]];
                        }
                    }
                }
            }
        });
        return out;
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

    interface LongBinary { long apply(long a, long b); }

    static long[] broadcast(long[] a, int[] as, long[] b, int[] bs, int[] out, LongBinary f) {
        if (Arrays.equals(as, bs)) {
            long[] r = new long[a.length];
            for (int i = 0; i < r.length; i++) r[i] = f.apply(a[i], b[i]);
            return r;
        }
        int[] ia = Broadcast.indexMap(as, out), ib = Broadcast.indexMap(bs, out);
        long[] r = new long[ia.length];
        for (int i = 0; i < r.length; i++) r[i] = f.apply(a[ia[i]], b[ib[i]]);
        return r;
    }
}
