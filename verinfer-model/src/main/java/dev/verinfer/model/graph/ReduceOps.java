package dev.verinfer.model.graph;

import java.util.Arrays;

/** Float reference of reductions, pools and the normalisations built on them. */
final class ReduceOps {
    private ReduceOps() {}

    enum Kind { SUM, MEAN, MAX }

    /** Normalised, sorted axes; an empty {@code axes} means all axes. */
    static int[] axes(long[] axes, int rank) {
        if (axes == null || axes.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        int[] r = new int[axes.length];
        for (int i = 0; i < axes.length; i++) r[i] = (int) (axes[i] < 0 ? axes[i] + rank : axes[i]);
        Arrays.sort(r);
        return r;
    }

    static int[] reducedShape(int[] shape, int[] axes, boolean keepdims) {
        boolean[] red = new boolean[shape.length];
        for (int a : axes) red[a] = true;
        return java.util.stream.IntStream.range(0, shape.length).filter(i -> keepdims || !red[i])
                .map(i -> red[i] ? 1 : shape[i]).toArray();
    }

    /** For each input element, the flat index of the output element it reduces into. */
    static int[] reduceMap(int[] shape, int[] axes) {
        int[] kept = reducedShape(shape, axes, true);
        int[] ks = Tensor.strides(kept);
        boolean[] red = new boolean[shape.length];
        for (int a : axes) red[a] = true;
        int n = Tensor.size(shape);
        int[] map = new int[n];
        int[] idx = new int[shape.length];
        for (int i = 0; i < n; i++) {
            int o = 0;
            for (int d = 0; d < shape.length; d++) if (!red[d]) o += idx[d] * ks[d];
            map[i] = o;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        return map;
    }

    static Tensor reduce(Tensor x, int[] axes, boolean keepdims, Kind kind) {
        int[] out = reducedShape(x.shape(), axes, keepdims);
        int[] map = reduceMap(x.shape(), axes);
        double[] d = new double[Tensor.size(out)];
        if (kind == Kind.MAX) Arrays.fill(d, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < map.length; i++) {
            d[map[i]] = kind == Kind.MAX ? Math.max(d[map[i]], x.data()[i]) : d[map[i]] + x.data()[i];
        }
        if (kind == Kind.MEAN) {
            int count = x.size() / Math.max(1, d.length);
            for (int i = 0; i < d.length; i++) d[i] /= count;
        }
        return new Tensor(out, d);
    }

    static Tensor softmax(Tensor x, int axis, boolean legacyFlatten) {
        int[] axes = legacyFlatten ? java.util.stream.IntStream.range(axis, x.rank()).toArray() : new int[] {axis};
        Tensor m = reduce(x, axes, true, Kind.MAX);
        Tensor e = ElementwiseOps.unary(ElementwiseOps.binary(x, m, (a, b) -> a - b), StrictMath::exp);
        Tensor s = reduce(e, axes, true, Kind.SUM);
        return ElementwiseOps.binary(e, s, (a, b) -> a / b);
    }

    static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, int axis, double eps) {
        int[] axes = java.util.stream.IntStream.range(axis, x.rank()).toArray();
        Tensor d = ElementwiseOps.binary(x, reduce(x, axes, true, Kind.MEAN), (a, b) -> a - b);
        Tensor var = reduce(ElementwiseOps.unary(d, v -> v * v), axes, true, Kind.MEAN);
        Tensor y = ElementwiseOps.binary(d, var, (a, v) -> a / StrictMath.sqrt(v + eps));
        y = ElementwiseOps.binary(y, gamma, (a, g) -> a * g);
        return beta == null ? y : ElementwiseOps.binary(y, beta, Double::sum);
    }

    static Tensor batchNorm(Tensor x, Tensor scale, Tensor bias, Tensor mean, Tensor var, double eps) {
        int[] cshape = new int[x.rank()];
        Arrays.fill(cshape, 1);
        cshape[1] = x.shape()[1];
        double[] mul = new double[cshape[1]], add = new double[cshape[1]];
        for (int c = 0; c < mul.length; c++) {
            mul[c] = scale.data()[c] / StrictMath.sqrt(var.data()[c] + eps);
            add[c] = bias.data()[c] - mean.data()[c] * mul[c];
        }
        Tensor y = ElementwiseOps.binary(x, new Tensor(cshape, mul), (a, b) -> a * b);
        return ElementwiseOps.binary(y, new Tensor(cshape, add), Double::sum);
    }

    /** Max or average pool; padding never contributes to a max, and to an average only if countIncludePad. */
    static Tensor pool(Tensor x, WindowGeometry g, boolean max, boolean countIncludePad) {
        double[] out = new double[g.n() * g.c() * g.oh() * g.ow()];
        for (int nc = 0; nc < g.n() * g.c(); nc++) {
            for (int oy = 0; oy < g.oh(); oy++) {
                for (int ox = 0; ox < g.ow(); ox++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0, padded = 0;
                    for (int ky = 0; ky < g.kh(); ky++) {
                        int iy = oy * g.sh() - g.padTop() + ky * g.dh();
                        for (int kx = 0; kx < g.kw(); kx++) {
                            int ix = ox * g.sw() - g.padLeft() + kx * g.dw();
                            boolean inside = iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w();
                            boolean inPads = iy < g.h() + g.padBottom() && ix < g.w() + g.padRight();
                            if (!inside) { if (inPads) padded++; continue; }
                            double v = x.data()[(nc * g.h() + iy) * g.w() + ix];
                            acc = max ? Math.max(acc, v) : acc + v;
                            count++;
                        }
                    }
                    out[(nc * g.oh() + oy) * g.ow() + ox] = max ? acc : acc / (countIncludePad ? count + padded : count);
                }
            }
        }
        return new Tensor(g.outShape(g.c(), x.rank()), out);
    }
}
