package dev.verinfer.model.quant;

import dev.verinfer.model.graph.Attrs;
import dev.verinfer.model.graph.Node;
import dev.verinfer.model.graph.Tensor;
import dev.verinfer.model.graph.WindowGeometry;

import java.util.Arrays;
import java.util.stream.IntStream;

/** Reductions, pools and Softmax. */
final class ReduceLowering {
    private final Lowering q;

    ReduceLowering(Lowering q) { this.q = q; }

    void reduce(Node n) {
        int x = q.value(n.input(0));
        int rank = q.t(x).shape().length;
        long[] ax = Attrs.getInts(n, "axes");
        if (n.hasInput(1)) {
            if (!q.isConst(n.input(1))) throw q.unsupported("axes must be constant");
            ax = q.constant(n.input(1)).toLongs();
        }
        if ((ax == null || ax.length == 0) && Attrs.getInt(n, "noop_with_empty_axes", 0) != 0) {
            q.bind(n.output(), x);
            return;
        }
        int[] axes = normalise(ax, rank);
        boolean keep = Attrs.getInt(n, "keepdims", 1) != 0;
        int id = switch (n.opType()) {
            case "ReduceMax" -> q.emit(new QOp.ReduceMax(x, axes, keep), q.fresh("reducemax"), q.shape(n.output()), q.t(x).scale(), q.t(x).bits());
            case "ReduceSum" -> q.requantise(sum(x, axes, keep, q.shape(n.output())), n.output());
            case "ReduceMin" -> { // −ReduceMax(−x), exact
                QTensor t = q.t(x);
                int neg = q.emit(new QOp.MulConst(x, -1, 0), q.fresh("negate"), t.shape(), t.scale(), t.bits());
                int m = q.emit(new QOp.ReduceMax(neg, axes, keep), q.fresh("reducemin_neg"), q.shape(n.output()), t.scale(), t.bits());
                yield q.emit(new QOp.MulConst(m, -1, 0), q.fresh("reducemin"), q.shape(n.output()), t.scale(), t.bits());
            }
            case "ReduceL1" -> { // Σ|x| = Σ Max(x, −x)
                QTensor t = q.t(x);
                int neg = q.emit(new QOp.MulConst(x, -1, 0), q.fresh("negate"), t.shape(), t.scale(), t.bits());
                int abs = q.emit(new QOp.Max(x, neg), q.fresh("abs"), t.shape(), t.scale(), t.bits());
                yield q.requantise(sum(abs, axes, keep, q.shape(n.output())), n.output());
            }
            default -> mean(x, axes, keep, q.shape(n.output()), n.output());
        };
        q.bind(n.output(), id);
    }

    static int[] normalise(long[] axes, int rank) {
        if (axes == null || axes.length == 0) return IntStream.range(0, rank).toArray();
        return Arrays.stream(axes).mapToInt(a -> (int) (a < 0 ? a + rank : a)).sorted().toArray();
    }

    private int sum(int x, int[] axes, boolean keep, int[] outShape) {
        QTensor t = q.t(x);
        int count = t.size() / Math.max(1, dev.verinfer.model.graph.Tensor.size(outShape));
        return q.emit(new QOp.ReduceSum(x, axes, keep), q.fresh("reducesum"), outShape, t.scale(), t.bits() + Lowering.bitsFor(count));
    }

    /** ReduceSum, then MulConst by round(2^P / N) at scale P (exact when N is a power of two), then Rescale. */
    private int mean(int x, int[] axes, boolean keep, int[] outShape, String out) {
        int count = q.t(x).size() / Math.max(1, Tensor.size(outShape));
        int s = sum(x, axes, keep, outShape);
        return q.requantise(divide(s, count), out);
    }

    int divide(int s, int count) {
        QTensor t = q.t(s);
        int p = q.cfg.weightBits() - 1 + Lowering.bitsFor(count - 1);
        long c = Math.round(Math.scalb(1.0, p) / count);
        // a wide sum (a global pool over many positions) gets a coarser reciprocal rather than more than 2^40
        while (t.bits() + Lowering.bitsFor(c) > QuantGraph.MAX_BITS && c > 1) c = Math.round(Math.scalb(1.0, --p) / count);
        return q.emit(new QOp.MulConst(s, c, p), q.fresh("divide"), t.shape(), t.scale() + p, t.bits() + Lowering.bitsFor(c));
    }

    void globalAveragePool(Node n) {
        int x = q.value(n.input(0));
        int rank = q.t(x).shape().length;
        int[] axes = IntStream.range(2, rank).toArray();
        q.bind(n.output(), mean(x, axes, true, q.shape(n.output()), n.output()));
    }

    void globalMaxPool(Node n) {
        int x = q.value(n.input(0));
        QTensor t = q.t(x);
        int[] axes = IntStream.range(2, t.shape().length).toArray();
        q.bind(n.output(), q.emit(new QOp.ReduceMax(x, axes, true), q.fresh("globalmaxpool"), q.shape(n.output()), t.scale(), t.bits()));
    }

    void maxPool(Node n) {
        int x = q.value(n.input(0));
        WindowGeometry g = WindowGeometry.of(n, q.t(x).shape(), null, Attrs.getInt(n, "ceil_mode", 0) != 0);
        int spanH = (g.oh() - 1) * g.sh() + (g.kh() - 1) * g.dh() + 1, spanW = (g.ow() - 1) * g.sw() + (g.kw() - 1) * g.dw() + 1;
        boolean padded = g.padTop() > 0 || g.padLeft() > 0 || spanH > g.h() || spanW > g.w();
        if (padded) x = padBelowRange(x, g, spanH, spanW);
        int[] pads = padded ? new int[4] : new int[] {g.padTop(), g.padLeft(), g.padBottom(), g.padRight()};
        QOp.MaxPool op = new QOp.MaxPool(x, new int[] {g.kh(), g.kw()}, new int[] {g.sh(), g.sw()}, pads, new int[] {g.dh(), g.dw()});
        QTensor xt = q.t(x);
        int pooled = q.emit(op, q.fresh("maxpool"), q.shape(n.output()), xt.scale(), xt.bits());
        if (padded) { // undo the shift: every window holds a real entry, so its maximum is a real entry + 2^bits
            QTensor orig = q.t(q.value(n.input(0)));
            pooled = q.emit(new QOp.Sub(pooled, q.scalar(1L << orig.bits(), orig.scale())), q.fresh("maxpool_unshift"), q.shape(n.output()), orig.scale(), orig.bits());
        }
        q.bind(n.output(), pooled);
    }

    /**
     * A MaxPool whose windows reach into padding (pads, or ceil_mode overhang) is a MaxPool without
     * padding over x + 2^bits (every real entry then > 0) laid out by a Gather on the padded grid
     * [padTop + ... spanH, padLeft + ... spanW], padding read as 0: padding is below every real entry
     * and never wins a window that holds a real one.
     */
    private int padBelowRange(int x, WindowGeometry g, int spanH, int spanW) {
        QTensor t = q.t(x);
        int shifted = q.emit(new QOp.Add(x, q.scalar(1L << t.bits(), t.scale())), q.fresh("maxpool_shift"), t.shape(), t.scale(), t.bits() + 1);
        int planes = g.n() * g.c();
        int[] src = new int[planes * spanH * spanW];
        int pos = 0;
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < spanH; y++) {
                for (int xx = 0; xx < spanW; xx++) {
                    int iy = y - g.padTop(), ix = xx - g.padLeft();
                    src[pos++] = iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w() ? (p * g.h() + iy) * g.w() + ix : -1;
                }
            }
        }
        int[] shape = t.shape().length == 4 ? new int[] {g.n(), g.c(), spanH, spanW} : new int[] {g.n(), g.c(), spanW};
        return q.emit(new QOp.Gather(new int[] {shifted}, new int[src.length], src), q.fresh("maxpool_padded"), shape, t.scale(), t.bits() + 1);
    }

    /**
     * AveragePool: a Gather lays every window out along a new last axis (padding reads as 0),
     * ReduceSum over it, then division by the window count (MulConst, or Mul by per-position
     * reciprocals when padding is excluded and counts differ), then Rescale.
     */
    void averagePool(Node n) {
        int x = q.value(n.input(0));
        int[] xs = q.t(x).shape();
        WindowGeometry g = WindowGeometry.of(n, xs, null, Attrs.getInt(n, "ceil_mode", 0) != 0);
        boolean includePad = Attrs.getInt(n, "count_include_pad", 0) != 0;
        int win = g.kh() * g.kw(), planes = g.n() * g.c();
        int[] src = new int[planes * g.oh() * g.ow() * win];
        double[] counts = new double[g.oh() * g.ow()];
        int pos = 0;
        for (int plane = 0; plane < planes; plane++) {
            for (int oy = 0; oy < g.oh(); oy++) {
                for (int ox = 0; ox < g.ow(); ox++) {
                    int count = 0;
                    for (int ky = 0; ky < g.kh(); ky++) {
                        for (int kx = 0; kx < g.kw(); kx++) {
                            int iy = oy * g.sh() - g.padTop() + ky * g.dh(), ix = ox * g.sw() - g.padLeft() + kx * g.dw();
                            boolean inside = iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w();
                            boolean inPads = iy < g.h() + g.padBottom() && ix < g.w() + g.padRight();
                            src[pos++] = inside ? (plane * g.h() + iy) * g.w() + ix : -1;
                            if (inside || (includePad && inPads)) count++;
                        }
                    }
                    counts[oy * g.ow() + ox] = count;
                }
            }
        }
        int[] outShape = q.shape(n.output());
        int[] winShape = Arrays.copyOf(outShape, outShape.length + 1);
        winShape[outShape.length] = win;
        QTensor xt = q.t(x);
        int windows = q.emit(new QOp.Gather(new int[] {x}, new int[src.length], src), q.fresh("windows"), winShape, xt.scale(), xt.bits());
        int s = q.emit(new QOp.ReduceSum(windows, new int[] {outShape.length}, false), q.fresh("window_sum"), outShape, xt.scale(), xt.bits() + Lowering.bitsFor(win));
        boolean uniform = Arrays.stream(counts).allMatch(c -> c == counts[0]);
        if (uniform) {
            q.bind(n.output(), q.requantise(divide(s, (int) counts[0]), n.output()));
            return;
        }
        double[] inv = new double[counts.length];
        for (int i = 0; i < inv.length; i++) inv[i] = 1 / counts[i];
        int[] invShape = new int[outShape.length];
        Arrays.fill(invShape, 1);
        invShape[outShape.length - 1] = g.ow();
        if (outShape.length == 4) invShape[2] = g.oh();
        Tensor invT = new Tensor(invShape, inv);
        int w = q.quantConst(q.fresh("inv_count"), invT, q.weightScale(invT, q.cfg.weightBits()));
        QTensor st = q.t(s);
        int prod = q.emit(new QOp.Mul(s, w), q.fresh("average"), outShape, st.scale() + q.t(w).scale(), st.bits() + q.t(w).bits());
        q.bind(n.output(), q.requantise(prod, n.output()));
    }

    /**
     * Softmax: m = ReduceMax(x); e = exp-table(x − m) at scale E; S = ReduceSum(e), narrowed to
     * activationBits bits; r = reciprocal-table(S) at scale R; y = Mul(e, r), Rescale.
     */
    void softmax(Node n, int opset) {
        int in = q.value(n.input(0));
        int x = q.maskValue.containsKey(in) ? in : q.requantise(in, n.input(0)); // masked: its fills must keep their integer
        int[] xs = q.t(x).shape();
        int axis = (int) Attrs.getInt(n, "axis", opset < 13 ? 1 : -1);
        if (axis < 0) axis += xs.length;
        int[] axes = opset < 13 ? IntStream.range(axis, xs.length).toArray() : new int[] {axis};
        int[] kept = xs.clone();
        int count = 1;
        for (int a : axes) { count *= kept[a]; kept[a] = 1; }
        QTensor xt = q.t(x);
        int m = q.emit(new QOp.ReduceMax(x, axes, true), q.fresh("softmax_max"), kept, xt.scale(), xt.bits());
        int d = q.emit(new QOp.Sub(x, m), q.fresh("softmax_centred"), xs, xt.scale(), xt.bits() + 1);
        int expScale = q.cfg.activationBits() - 1;
        int e = q.lookup(d, "exp", expScale, q.fresh("softmax_exp"), xs);
        Long masked = q.maskValue.get(x);
        if (masked != null) { // masked entries (x = masked, below every real one) get weight 0: e·[x > masked]
            int above = q.emit(new QOp.Sub(x, q.scalar(masked, xt.scale())), q.fresh("softmax_unmasked_gap"), xs, xt.scale(), xt.bits() + 1);
            int low = q.emit(new QOp.Max(above, q.scalar(0, xt.scale())), q.fresh("softmax_unmasked_low"), xs, xt.scale(), xt.bits() + 1);
            int keep = q.relabel(q.emit(new QOp.Min(low, q.scalar(1, xt.scale())), q.fresh("softmax_unmasked"), xs, xt.scale(), 1), 0);
            e = q.emit(new QOp.Mul(e, keep), q.fresh("softmax_exp_unmasked"), xs, q.t(e).scale(), q.t(e).bits());
        }
        int s = q.emit(new QOp.ReduceSum(e, axes, true), q.fresh("softmax_sum"), kept, expScale, q.t(e).bits() + Lowering.bitsFor(count));
        // S ≥ 1 (the max element contributes exp(0)), so 1/S ≤ 1: scale R keeps 1/S below 2^activationBits.
        int k = Math.max(0, q.t(s).bits() - q.cfg.activationBits());
        if (k > 0) s = q.emit(new QOp.Rescale(s, k), q.fresh("softmax_sum_narrow"), kept, expScale - k, q.cfg.activationBits());
        int r = q.lookup(s, "reciprocal", q.cfg.activationBits() - 1, q.fresh("softmax_reciprocal"), kept);
        QTensor et = q.t(e), rt = q.t(r);
        int y = q.emit(new QOp.Mul(e, r), q.fresh("softmax_product"), xs, et.scale() + rt.scale(), et.bits() + rt.bits());
        q.bind(n.output(), q.requantise(y, n.output()));
    }
}
