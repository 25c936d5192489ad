package dev.verinfer.model.quant;

import dev.verinfer.model.InvalidInputException;
import dev.verinfer.model.graph.Broadcast;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * Runs a {@link QuantGraph} exactly in {@code long} arithmetic. This defines what verinfer proves:
 * every op follows docs/quantised-ir.md bit for bit, every declared bound and table domain is
 * checked, and a violation is a {@link QuantRangeException}, never a silent wrap.
 */
public final class IntegerExecutor implements AutoCloseable {
    private final ForkJoinPool pool;
    private final IntKernels kernels;

    /** An executor using all available processors. */
    public IntegerExecutor() { this(Runtime.getRuntime().availableProcessors()); }

    public IntegerExecutor(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
        this.kernels = new IntKernels(pool);
    }

    /**
     * The one-off runs' executor, on all available processors, shared: an executor per run started
     * its pool's threads for every inference (a market prover runs the model on each request before
     * locking it). Its pool's threads are daemons; runs share it safely (no state between runs).
     */
    private static final IntegerExecutor SHARED = new IntegerExecutor();

    /** One-off run with all available processors. */
    public static Execution execute(QuantGraph g, Map<String, float[]> inputs) {
        return SHARED.run(g, inputs);
    }

    public Execution run(QuantGraph g, Map<String, float[]> inputs) {
        long[][] v = new long[g.tensors().size()][];
        for (int id : g.inputs()) {
            QTensor t = g.tensor(id);
            float[] x = inputs.get(t.name());
            if (x == null) throw new InvalidInputException("missing input '" + t.name() + "' " + Arrays.toString(t.shape()));
            v[id] = quantiseInput(t, x);
        }
        return run(g, v);
    }

    /**
     * Runs on inputs given as integers at the inputs' own scales (e.g. another graph's output in
     * the same format), taken as they are: no rounding, only the size and the declared bound checked.
     */
    public Execution runQuantised(QuantGraph g, Map<String, long[]> inputs) {
        long[][] v = new long[g.tensors().size()][];
        for (int id : g.inputs()) {
            QTensor t = g.tensor(id);
            long[] x = inputs.get(t.name());
            if (x == null) throw new InvalidInputException("missing input '" + t.name() + "' " + Arrays.toString(t.shape()));
            if (x.length != t.size()) {
                throw new InvalidInputException("input '" + t.name() + "' has " + x.length + " values, expected shape " + Arrays.toString(t.shape()) + " (" + t.size() + ")");
            }
            long bound = 1L << t.bits();
            for (long q : x) {
                if (q <= -bound || q >= bound) throw new QuantRangeException("input", t.name(), q, "input bound |v| < 2^" + t.bits());
            }
            v[id] = x.clone();
        }
        return run(g, v);
    }

    /** Runs the nodes once the inputs are in {@code v}. */
    private Execution run(QuantGraph g, long[][] v) {
        for (QTensor t : g.tensors()) if (t.data() != null) v[t.id()] = t.data();
        for (QNode n : g.nodes()) {
            QTensor out = g.tensor(n.output());
            long[] r = compute(g, n, out, v);
            checkBound(n, out, r);
            v[n.output()] = r;
        }
        Map<String, float[]> outs = new LinkedHashMap<>();
        for (int id : g.outputs()) outs.put(g.tensor(id).name(), dequantise(g.tensor(id), v[id]));
        return new Execution(v, outs);
    }

    static long[] quantiseInput(QTensor t, float[] x) {
        if (x.length != t.size()) {
            throw new InvalidInputException("input '" + t.name() + "' has " + x.length + " values, expected shape " + Arrays.toString(t.shape()) + " (" + t.size() + ")");
        }
        long bound = 1L << t.bits();
        long[] q = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) throw new InvalidInputException("input '" + t.name() + "' holds " + x[i] + " at index " + i);
            double y = Math.scalb((double) x[i], t.scale());
            long r = (long) (Math.signum(y) * Math.floor(Math.abs(y) + 0.5));
            if (Math.abs(y) >= bound || r <= -bound || r >= bound) {
                throw new QuantRangeException("input", t.name(), r, "input bound |v| < 2^" + t.bits() + " (float " + x[i] + " at index " + i + ")");
            }
            q[i] = r;
        }
        return q;
    }

    public static float[] dequantise(QTensor t, long[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) Math.scalb((double) v[i], -t.scale());
        return f;
    }

    private static void checkBound(QNode n, QTensor t, long[] r) {
        long bound = 1L << t.bits();
        for (long x : r) {
            if (x >= bound || x <= -bound) throw new QuantRangeException(n.onnxName(), t.name(), x, "declared bound |v| < 2^" + t.bits());
        }
    }

    private long[] compute(QuantGraph g, QNode n, QTensor out, long[][] v) {
        return switch (n.op()) {
            case QOp.MatMul m -> kernels.matmul(v[m.a()], g.tensor(m.a()).shape(), v[m.b()], g.tensor(m.b()).shape(),
                    g.tensor(m.b()).data() != null, m.bias() < 0 ? null : v[m.bias()], out.shape());
            case QOp.Conv c -> conv(g, c, out, v);
            case QOp.Add a -> binary(g, a.a(), a.b(), out, v, IntKernels.Binary.ADD);
            case QOp.Sub s -> binary(g, s.a(), s.b(), out, v, IntKernels.Binary.SUB);
            case QOp.Mul m -> binary(g, m.a(), m.b(), out, v, IntKernels.Binary.MUL);
            case QOp.Max m -> binary(g, m.a(), m.b(), out, v, IntKernels.Binary.MAX);
            case QOp.Min m -> binary(g, m.a(), m.b(), out, v, IntKernels.Binary.MIN);
            case QOp.MulConst m -> {
                long[] x = v[m.x()], r = new long[x.length];
                for (int i = 0; i < r.length; i++) r[i] = x[i] * m.c();
                yield r;
            }
            case QOp.Rescale s -> {
                long[] x = v[s.x()], r = new long[x.length];
                long half = 1L << (s.k() - 1);
                for (int i = 0; i < r.length; i++) r[i] = (x[i] + half) >> s.k(); // arithmetic shift = floor
                yield r;
            }
            case QOp.Lookup l -> lookup(n, g.tensor(l.x()), v[l.x()], l.table());
            case QOp.ReduceSum r -> reduce(g.tensor(r.x()), v[r.x()], r.axes(), out, false);
            case QOp.ReduceMax r -> reduce(g.tensor(r.x()), v[r.x()], r.axes(), out, true);
            case QOp.MaxPool p -> {
                int[] s = g.tensor(p.x()).shape();
                int h = s.length == 4 ? s[2] : 1, w = s[s.length - 1];
                int oh = out.shape().length == 4 ? out.shape()[2] : 1, ow = out.shape()[out.shape().length - 1];
                yield kernels.maxPool(v[p.x()], s[0] * s[1], h, w, p.kernel(), p.strides(), p.pads(), p.dilations(), oh, ow);
            }
            case QOp.Gather ga -> {
                long[] r = new long[ga.srcIndex().length];
                for (int i = 0; i < r.length; i++) {
                    int src = ga.srcIndex()[i];
                    r[i] = src < 0 ? 0 : v[ga.sources()[ga.srcInput()[i]]][src];
                }
                yield r;
            }
            case QOp.Reshape r -> v[r.x()];
        };
    }

    private long[] conv(QuantGraph g, QOp.Conv c, QTensor out, long[][] v) {
        int[] xs = g.tensor(c.x()).shape(), ws = g.tensor(c.w()).shape(), os = out.shape();
        boolean twoD = xs.length == 4;
        return kernels.conv(v[c.x()], xs[0], xs[1], twoD ? xs[2] : 1, xs[xs.length - 1], v[c.w()], ws[0],
                twoD ? ws[2] : 1, ws[ws.length - 1], c.bias() < 0 ? null : v[c.bias()], c.strides(), c.pads(), c.dilations(),
                c.group(), twoD ? os[2] : 1, os[os.length - 1]);
    }

    private static long[] binary(QuantGraph g, int a, int b, QTensor out, long[][] v, IntKernels.Binary f) {
        return IntKernels.broadcast(v[a], g.tensor(a).shape(), v[b], g.tensor(b).shape(), out.shape(), f);
    }

    private static long[] lookup(QNode n, QTensor in, long[] x, LookupTable t) {
        long[] r = new long[x.length];
        for (int i = 0; i < r.length; i++) {
            long idx = x[i] - t.inMin();
            if (idx < 0 || idx >= t.size()) {
                throw new QuantRangeException(n.onnxName(), in.name(), x[i], "table '" + t.function() + "' domain [" + t.inMin() + ", " + (t.inMin() + t.size()) + ")");
            }
            r[i] = t.values()[(int) idx];
        }
        return r;
    }

    private static long[] reduce(QTensor in, long[] x, int[] axes, QTensor out, boolean max) {
        int[] map = reduceMap(in.shape(), axes);
        long[] r = new long[out.size()];
        if (max) Arrays.fill(r, Long.MIN_VALUE);
        for (int i = 0; i < x.length; i++) r[map[i]] = max ? Math.max(r[map[i]], x[i]) : r[map[i]] + x[i];
        return r;
    }

    /** For each input element, the flat index of the (kept-dims) output element it reduces into. */
    static int[] reduceMap(int[] shape, int[] axes) {
        int[] kept = shape.clone();
        for (int a : axes) kept[a] = 1;
        int[] ks = Broadcast.indexMap(kept, shape);
        return ks;
    }

    @Override public void close() {
        if (pool != null) pool.shutdown();
    }
}
