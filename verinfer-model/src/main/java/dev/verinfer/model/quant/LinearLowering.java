package dev.verinfer.model.quant;

import dev.verinfer.model.graph.Attrs;
import dev.verinfer.model.graph.ConvTranspose;
import dev.verinfer.model.graph.Node;
import dev.verinfer.model.graph.Tensor;
import dev.verinfer.model.graph.WindowGeometry;

import java.util.Arrays;

/**
 * Gemm, MatMul, Conv, ConvTranspose and unfused BatchNormalization. Weights get weightBits
 * fractional precision by max-abs, lowered only if the layer's worst-case accumulator
 * (Σ|w|·max|x| + |bias|, exact from the quantised weights) would reach 2^40.
 */
final class LinearLowering {
    private final Lowering q;

    LinearLowering(Lowering q) { this.q = q; }

    void gemm(Node n) {
        if (!q.isConst(n.input(1))) throw q.unsupported("Gemm needs constant B");
        int a = q.value(n.input(0));
        if (Attrs.getInt(n, "transA", 0) != 0) a = transpose2d(a);
        Tensor b = q.constant(n.input(1));
        if (Attrs.getInt(n, "transB", 0) != 0) b = transpose(b);
        double alpha = Attrs.getFloat(n, "alpha", 1), beta = Attrs.getFloat(n, "beta", 1);
        b = scaled(b, alpha);
        Tensor c = n.hasInput(2) ? q.constant(n.input(2)) : null;
        if (n.hasInput(2) && c == null) throw q.unsupported("Gemm needs a constant C");
        int nOut = b.shape()[1];
        Tensor bias = null;
        if (c != null && (c.size() == nOut || c.size() == 1)) {
            double[] d = new double[nOut];
            for (int j = 0; j < nOut; j++) d[j] = beta * c.data()[c.size() == 1 ? 0 : j];
            bias = Tensor.vector(d);
        } else if (c != null) throw q.unsupported("Gemm C of shape " + Arrays.toString(c.shape()) + " is not supported (only [N] or scalar)");
        q.bind(n.output(), matmulConst(a, b, bias, n.output()));
    }

    void matmul(Node n) {
        if (q.isConst(n.input(1)) && q.constant(n.input(1)).rank() == 2) {
            q.bind(n.output(), matmulConst(q.value(n.input(0)), q.constant(n.input(1)), null, n.output()));
            return;
        }
        if (q.isConst(n.input(0))) throw q.unsupported("MatMul with a constant left operand is not supported");
        int a = q.value(n.input(0)), b = q.isConst(n.input(1))
                ? q.quantConst(q.fresh("weight"), q.constant(n.input(1)), q.weightScale(q.constant(n.input(1)), q.cfg.weightBits()))
                : q.value(n.input(1));
        int[] as = q.t(a).shape(), bs = q.t(b).shape();
        if (as.length < 2 || bs.length < 2) throw q.unsupported("MatMul operands must have rank ≥ 2");
        int k = as[as.length - 1];
        int bits = q.t(a).bits() + q.t(b).bits() + Lowering.bitsFor(k);
        int[] out = q.shape(n.output());
        int batches = Tensor.size(Arrays.copyOf(bs, bs.length - 2));
        int acc = batches > 1 ? perBatch(a, b, out, bits)
                : q.emit(new QOp.MatMul(a, b, -1), q.fresh("matmul"), out, q.t(a).scale() + q.t(b).scale(), bits);
        q.bind(n.output(), q.requantise(acc, n.output()));
    }

    /**
     * a[.., M, K]·b[.., K, N] with b batched (attention heads: scores·V, Q·Kᵀ) as one MatMul per batch
     * of [M, K]·[K, N] slices cut by Gathers, the results put together by a Gather: the MatMul protocol
     * proves a batched right operand only with a single batch (each batch needs its own sum over K).
     */
    private int perBatch(int a, int b, int[] out, int bits) {
        QTensor at = q.t(a), bt = q.t(b);
        int[] as = at.shape(), bs = bt.shape();
        int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
        int[] batchShape = Arrays.copyOf(out, out.length - 2);
        int[] aBatch = Arrays.copyOf(as, as.length - 2), bBatch = Arrays.copyOf(bs, bs.length - 2);
        int[] aMap = dev.verinfer.model.graph.Broadcast.indexMap(aBatch, batchShape), bMap = dev.verinfer.model.graph.Broadcast.indexMap(bBatch, batchShape);
        int batches = Tensor.size(batchShape);
        int[] parts = new int[batches];
        for (int t = 0; t < batches; t++) {
            int aSlice = slice(a, aMap[t] * m * k, new int[] {m, k});
            int bSlice = slice(b, bMap[t] * k * n, new int[] {k, n});
            parts[t] = q.emit(new QOp.MatMul(aSlice, bSlice, -1), q.fresh("matmul_batch"), new int[] {m, n}, at.scale() + bt.scale(), bits);
        }
        int[] srcInput = new int[batches * m * n], srcIndex = new int[batches * m * n];
        for (int i = 0; i < srcInput.length; i++) {
            srcInput[i] = i / (m * n);
            srcIndex[i] = i % (m * n);
        }
        return q.emit(new QOp.Gather(parts, srcInput, srcIndex), q.fresh("matmul_batches"), out, at.scale() + bt.scale(), bits);
    }

    /** The contiguous block of x starting at flat index {@code from}, as a tensor of {@code shape}. */
    private int slice(int x, int from, int[] shape) {
        int size = Tensor.size(shape);
        int[] srcIndex = new int[size];
        for (int i = 0; i < size; i++) srcIndex[i] = from + i;
        QTensor t = q.t(x);
        return q.emit(new QOp.Gather(new int[] {x}, new int[size], srcIndex), q.fresh("batch_slice"), shape, t.scale(), t.bits());
    }

    /** a · w (+ bias), w [K, N] constant. */
    private int matmulConst(int a, Tensor w, Tensor bias, String out) {
        int k = w.shape()[0], n = w.shape()[1];
        for (int wb = q.cfg.weightBits(); ; wb--) {
            QTensor x = q.t(a);
            long xMax = (1L << x.bits()) - 1;
            int sw = q.weightScale(w, wb);
            long[] wq = quantise(w, sw), bq = bias == null ? null : quantise(bias, x.scale() + sw);
            long worst = 0;
            for (int j = 0; j < n; j++) {
                long col = 0;
                for (int i = 0; i < k; i++) col += Math.abs(wq[i * n + j]);
                worst = Math.max(worst, Math.multiplyHigh(col, xMax) != 0 ? Long.MAX_VALUE : col * xMax + (bq == null ? 0 : Math.abs(bq[j])));
            }
            boolean fits = Lowering.bitsFor(worst) <= QuantGraph.MAX_BITS;
            if (fits || wb <= 2) {
                int wid = q.add(q.fresh("weight"), w.shape(), sw, Lowering.bitsFor(max(wq)), QTensor.Kind.WEIGHT, wq);
                int bid = bq == null ? -1 : q.add(q.fresh("bias"), bias.shape(), x.scale() + sw, Lowering.bitsFor(max(bq)), QTensor.Kind.WEIGHT, bq);
                int acc = q.emit(new QOp.MatMul(a, wid, bid), q.fresh("matmul"), q.shape(out), x.scale() + sw, Lowering.bitsFor(worst));
                return q.requantise(acc, out);
            }
        }
    }

    void conv(Node n) {
        if (!q.isConst(n.input(1)) || (n.hasInput(2) && !q.isConst(n.input(2)))) throw q.unsupported("Conv needs constant weights and bias");
        Tensor w = q.constant(n.input(1));
        int x = q.value(n.input(0));
        WindowGeometry g = WindowGeometry.of(n, q.t(x).shape(), Arrays.copyOfRange(w.shape(), 2, w.rank()), false);
        q.bind(n.output(), convolve(x, w, n.hasInput(2) ? q.constant(n.input(2)) : null, g, (int) Attrs.getInt(n, "group", 1), n.output()));
    }

    void convTranspose(Node n) {
        if (!q.isConst(n.input(1)) || (n.hasInput(2) && !q.isConst(n.input(2)))) throw q.unsupported("ConvTranspose needs constant weights and bias");
        int x = q.value(n.input(0));
        ConvTranspose r = ConvTranspose.of(n, q.t(x).shape(), q.constant(n.input(1)));
        int dilated = q.emit(new QOp.Gather(new int[] {x}, new int[r.sourceIndex().length], r.sourceIndex()),
                q.fresh("dilate"), r.dilatedShape(), q.t(x).scale(), q.t(x).bits());
        WindowGeometry g = WindowGeometry.of(r.conv(), r.dilatedShape(), Arrays.copyOfRange(r.kernel().shape(), 2, r.kernel().rank()), false);
        q.bind(n.output(), convolve(dilated, r.kernel(), n.hasInput(2) ? q.constant(n.input(2)) : null, g, (int) Attrs.getInt(n, "group", 1), n.output()));
    }

    private int convolve(int x, Tensor w, Tensor bias, WindowGeometry g, int group, String out) {
        QTensor xt = q.t(x);
        int oc = w.shape()[0], per = w.size() / oc;
        long xMax = (1L << xt.bits()) - 1;
        for (int wb = q.cfg.weightBits(); ; wb--) {
            int sw = q.weightScale(w, wb);
            long[] wq = quantise(w, sw), bq = bias == null ? null : quantise(bias, xt.scale() + sw);
            long worst = 0;
            for (int o = 0; o < oc; o++) {
                long sum = 0;
                for (int i = 0; i < per; i++) sum += Math.abs(wq[o * per + i]);
                worst = Math.max(worst, sum * xMax + (bq == null ? 0 : Math.abs(bq[o])));
            }
            if (Lowering.bitsFor(worst) <= QuantGraph.MAX_BITS || wb <= 2) {
                int wid = q.add(q.fresh("weight"), w.shape(), sw, Lowering.bitsFor(max(wq)), QTensor.Kind.WEIGHT, wq);
                int bid = bq == null ? -1 : q.add(q.fresh("bias"), bias.shape(), xt.scale() + sw, Lowering.bitsFor(max(bq)), QTensor.Kind.WEIGHT, bq);
                QOp.Conv op = new QOp.Conv(x, wid, bid, new int[] {g.sh(), g.sw()},
                        new int[] {g.padTop(), g.padLeft(), g.padBottom(), g.padRight()}, new int[] {g.dh(), g.dw()}, group);
                int acc = q.emit(op, q.fresh("conv"), q.shape(out), xt.scale() + sw, Lowering.bitsFor(worst));
                return q.requantise(acc, out);
            }
        }
    }

    /** BatchNormalization not fused into a Conv: y = x·m + a with per-channel m, a (constants). */
    void batchNorm(Node n) {
        for (int i = 1; i < 5; i++) if (!q.isConst(n.input(i))) throw q.unsupported("BatchNormalization needs constant parameters");
        int x = q.value(n.input(0));
        int[] xs = q.t(x).shape();
        double eps = Attrs.getFloat(n, "epsilon", 1e-5);
        int c = xs[1];
        int[] cshape = new int[xs.length];
        Arrays.fill(cshape, 1);
        cshape[1] = c;
        double[] m = new double[c], a = new double[c];
        for (int i = 0; i < c; i++) {
            m[i] = q.constant(n.input(1)).data()[i] / StrictMath.sqrt(q.constant(n.input(4)).data()[i] + eps);
            a[i] = q.constant(n.input(2)).data()[i] - q.constant(n.input(3)).data()[i] * m[i];
        }
        Tensor mt = new Tensor(cshape, m);
        int mid = q.quantConst(q.fresh("bn_scale"), mt, q.weightScale(mt, q.cfg.weightBits()));
        QTensor xt = q.t(x);
        int prod = q.emit(new QOp.Mul(x, mid), q.fresh("bn_mul"), xs, xt.scale() + q.t(mid).scale(), xt.bits() + q.t(mid).bits());
        int aid = q.quantConst(q.fresh("bn_shift"), new Tensor(cshape, a), q.t(prod).scale());
        int sum = q.emit(new QOp.Add(prod, aid), q.fresh("bn_add"), xs, q.t(prod).scale(), Math.max(q.t(prod).bits(), q.t(aid).bits()) + 1);
        q.bind(n.output(), q.requantise(sum, n.output()));
    }

    private int transpose2d(int a) {
        int[] s = q.t(a).shape();
        int r = s[0], c = s[1];
        int[] src = new int[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) src[j * r + i] = i * c + j;
        return q.emit(new QOp.Gather(new int[] {a}, new int[src.length], src), q.fresh("transpose"), new int[] {c, r}, q.t(a).scale(), q.t(a).bits());
    }

    private static Tensor transpose(Tensor t) {
        int r = t.shape()[0], c = t.shape()[1];
        double[] d = new double[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) d[j * r + i] = t.data()[i * c + j];
        return new Tensor(new int[] {c, r}, d);
    }

    private static Tensor scaled(Tensor t, double alpha) {
        if (alpha == 1) return t;
        double[] d = t.data().clone();
        for (int i = 0; i < d.length; i++) d[i] *= alpha;
        return new Tensor(t.shape(), d);
    }

    private static long[] quantise(Tensor t, int scale) {
        long[] r = new long[t.size()];
        for (int i = 0; i < r.length; i++) r[i] = LookupTable.quantise(Math.scalb(t.data()[i], scale), Long.MAX_VALUE);
        return r;
    }

    private static long max(long[] v) {
        long m = 0;
        for (long x : v) m = Math.max(m, Math.abs(x));
        return m;
    }
}
