package dev.verinfer.model.graph;

import java.util.stream.IntStream;

/** Float reference of the linear operators (matrix products and convolutions). */
final class LinearOps {
    private LinearOps() {}

    /** Numpy matmul with batch broadcasting; rank-1 operands are promoted as numpy does. */
    static Tensor matmul(Tensor a, Tensor b) {
        int[] as = a.rank() == 1 ? new int[] {1, a.shape()[0]} : a.shape();
        int[] bs = b.rank() == 1 ? new int[] {b.shape()[0], 1} : b.shape();
        int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
        if (bs[bs.length - 2] != k) throw new IllegalArgumentException("matmul inner dims differ: " + k + " vs " + bs[bs.length - 2]);
        int[] batchA = java.util.Arrays.copyOf(as, as.length - 2), batchB = java.util.Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Broadcast.shape(batchA, batchB);
        int[] ia = Broadcast.indexMap(batchA, batch), ib = Broadcast.indexMap(batchB, batch);
        double[] out = new double[ia.length * m * n];
        for (int t = 0; t < ia.length; t++) {
            int ao = ia[t] * m * k, bo = ib[t] * k * n, oo = t * m * n;
            for (int i = 0; i < m; i++) {
                for (int kk = 0; kk < k; kk++) {
                    double av = a.data()[ao + i * k + kk];
                    if (av == 0) continue;
                    for (int j = 0; j < n; j++) out[oo + i * n + j] += av * b.data()[bo + kk * n + j];
                }
            }
        }
        int[] shape = new int[batch.length + 2];
        System.arraycopy(batch, 0, shape, 0, batch.length);
        shape[batch.length] = m;
        shape[batch.length + 1] = n;
        if (a.rank() == 1) shape = dropAxis(shape, batch.length);
        if (b.rank() == 1) shape = dropAxis(shape, shape.length - 1);
        return new Tensor(shape, out);
    }

    private static int[] dropAxis(int[] s, int axis) {
        int[] r = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != axis) r[j++] = s[i];
        return r;
    }

    static Tensor transpose2d(Tensor t) {
        int r = t.shape()[0], c = t.shape()[1];
        double[] d = new double[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) d[j * r + i] = t.data()[i * c + j];
        return new Tensor(new int[] {c, r}, d);
    }

    static Tensor gemm(Tensor a, Tensor b, Tensor c, boolean transA, boolean transB, double alpha, double beta) {
        Tensor y = matmul(transA ? transpose2d(a) : a, transB ? transpose2d(b) : b);
        y = ElementwiseOps.unary(y, v -> v * alpha);
        if (c != null) y = ElementwiseOps.binary(y, c, (v, w) -> v + beta * w);
        return y;
    }

    /** Grouped 2-D convolution (1-D when the geometry has H = 1); weights [OC, C/group, KH, KW]. */
    static Tensor conv(Tensor x, Tensor w, Tensor bias, WindowGeometry g, int group, int rank) {
        int oc = w.shape()[0], cpg = g.c() / group, ocpg = oc / group;
        double[] out = new double[g.n() * oc * g.oh() * g.ow()];
        IntStream.range(0, g.n() * oc).parallel().forEach(no -> {
            int n = no / oc, o = no % oc, grp = o / ocpg;
            int base = no * g.oh() * g.ow();
            double b = bias == null ? 0 : bias.data()[o];
            for (int oy = 0; oy < g.oh(); oy++) {
                for (int ox = 0; ox < g.ow(); ox++) {
                    double acc = b;
                    for (int ci = 0; ci < cpg; ci++) {
                        int c = grp * cpg + ci;
                        for (int ky = 0; ky < g.kh(); ky++) {
                            int iy = oy * g.sh() - g.padTop() + ky * g.dh();
                            if (iy < 0 || iy >= g.h()) continue;
                            for (int kx = 0; kx < g.kw(); kx++) {
                                int ix = ox * g.sw() - g.padLeft() + kx * g.dw();
                                if (ix < 0 || ix >= g.w()) continue;
                                acc += x.data()[((n * g.c() + c) * g.h() + iy) * g.w() + ix]
                                        * w.data()[((o * cpg + ci) * g.kh() + ky) * g.kw() + kx];
                            }
                        }
                    }
                    out[base + oy * g.ow() + ox] = acc;
                }
            }
        });
        return new Tensor(g.outShape(oc, rank), out);
    }
}
