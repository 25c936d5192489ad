package dev.verinfer.model.quant;

import dev.verinfer.model.UnsupportedModelException;
import dev.verinfer.model.graph.Node;
import dev.verinfer.model.graph.PreparedGraph;
import dev.verinfer.model.graph.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The state of one quantisation: tensors and nodes emitted so far, and helpers shared by the op lowerings. */
final class Lowering {
    final PreparedGraph pg;
    final Calibration cal;
    final QuantConfig cfg;
    final List<QTensor> tensors = new ArrayList<>();
    final List<QNode> nodes = new ArrayList<>();
    /** Float value name → quantised tensor id. */
    final Map<String, Integer> values = new HashMap<>();
    /** Float values kept exact (never requantised) because they feed a wide monotone look-up (see {@link WidePaths}). */
    final java.util.Set<String> wide;
    /** Float values that grow with the square of an activation (see {@link #squares(dev.verinfer.model.graph.Graph)}). */
    final java.util.Set<String> squares;
    Node node;
    private int temp;

    Lowering(PreparedGraph pg, Calibration cal, QuantConfig cfg) {
        this.pg = pg;
        this.cal = cal;
        this.cfg = cfg;
        this.wide = WidePaths.find(pg.graph());
        this.squares = squares(pg.graph());
        this.tableFed = tableFed(pg.graph());
    }

    /** Values whose one reader is a fused chain ({@link dev.verinfer.model.graph.UnaryChains}) and that are no graph output. */
    final java.util.Set<String> tableFed;

    private static java.util.Set<String> tableFed(dev.verinfer.model.graph.Graph g) {
        Map<String, Integer> readers = new HashMap<>();
        for (Node n : g.nodes()) for (String i : new java.util.HashSet<>(n.inputs())) readers.merge(i, 1, Integer::sum);
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Node n : g.nodes()) {
            if (n.opType().equals(dev.verinfer.model.graph.UnaryChains.OP) && readers.get(n.input(0)) == 1 && !g.outputs().contains(n.input(0))) {
                out.add(n.input(0));
            }
        }
        return out;
    }

    /**
     * Squares of activations (Pow(x, 2), Mul(x, x)) and what stays proportional to them through a
     * mean, a sum or the addition of a constant (a variance plus ε): when x reaches its headroom h
     * above the calibrated range these reach h², so their scale is calibrated with headroom h².
     */
    static java.util.Set<String> squares(dev.verinfer.model.graph.Graph g) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Node n : g.nodes()) {
            String op = n.opType();
            boolean square = (op.equals("Pow") && isTwo(g.constants().get(n.input(1))))
                    || (op.equals("Mul") && n.input(0).equals(n.input(1)));
            boolean through = (op.equals("ReduceMean") || op.equals("ReduceSum")) && out.contains(n.input(0))
                    || op.equals("Add") && (out.contains(n.input(0)) && g.constants().containsKey(n.input(1))
                                            || out.contains(n.input(1)) && g.constants().containsKey(n.input(0)));
            if (square || through) out.add(n.output());
        }
        return out;
    }

    private static boolean isTwo(Tensor t) {
        return t != null && t.size() == 1 && t.data()[0] == 2.0;
    }

    QTensor t(int id) { return tensors.get(id); }

    boolean isConst(String name) { return pg.graph().constants().containsKey(name); }

    Tensor constant(String name) { return pg.graph().constants().get(name); }

    UnsupportedModelException unsupported(String what) {
        return UnsupportedModelException.of(node.name(), node.opType(), what);
    }

    /** The quantised tensor of an activation value. */
    int value(String name) {
        Integer id = values.get(name);
        if (id == null) throw unsupported("input '" + name + "' must be an activation here (constants are not supported in this position)");
        return id;
    }

    static int bitsFor(long maxAbs) { return Math.max(1, 64 - Long.numberOfLeadingZeros(Math.abs(maxAbs))); }

    /** Largest s with m·2^s &lt; 2^bits. */
    static int scaleFor(double m, int bits) {
        if (m < MIN_RANGE || !Double.isFinite(m)) m = MIN_RANGE; // (near-)zero ranges: as if 2^-16
        return bits - 1 - Math.getExponent(m);
    }

    /** Ranges below this are treated as this (keeps scales of all-zero tensors finite and modest). */
    static final double MIN_RANGE = 0x1p-16;

    /** The calibrated scale of a float value (see {@link QuantConfig}). */
    int target(String name) {
        double headroom = squares.contains(name) ? cfg.headroom() * cfg.headroom() : cfg.headroom();
        return scaleFor(cal.maxAbs(name) * headroom, cfg.activationBits());
    }

    int add(String name, int[] shape, int scale, int bits, QTensor.Kind kind, long[] data) {
        int id = tensors.size();
        if (bits > QuantGraph.MAX_BITS) {
            throw unsupported("tensor '" + name + "' would need " + bits + " bits (> " + QuantGraph.MAX_BITS + "); the model's range is too wide to quantise");
        }
        tensors.add(new QTensor(id, name, shape.clone(), scale, bits, kind, data));
        return id;
    }

    String fresh(String what) { return node.name() + "/" + what + "#" + temp++; }

    int emit(QOp op, String name, int[] shape, int scale, int bits) {
        int id = add(name, shape, scale, bits, QTensor.Kind.ACTIVATION, null);
        nodes.add(new QNode(node.name(), op, id));
        return id;
    }

    /** Quantises a constant at a given scale: WEIGHT, or CONSTANT when it is a scalar. */
    int quantConst(String name, Tensor v, int scale) {
        long[] q = new long[v.size()];
        long max = 0;
        for (int i = 0; i < q.length; i++) {
            q[i] = LookupTable.quantise(Math.scalb(v.data()[i], scale), Long.MAX_VALUE);
            max = Math.max(max, Math.abs(q[i]));
        }
        return add(name, v.shape(), scale, bitsFor(max), v.size() == 1 ? QTensor.Kind.CONSTANT : QTensor.Kind.WEIGHT, q);
    }

    int weightScale(Tensor v, int bits) { return scaleFor(v.maxAbs(), bits); }

    /**
     * Brings a wide result to the calibrated scale of {@code name}; the output is declared to fit
     * activationBits bits (true on calibration data by the headroom, checked at run time).
     */
    int requantise(int id, String name) {
        if (wide.contains(name)) return id;
        return narrow(id, name);
    }

    /**
     * Requantises to the calibrated scale of {@code name} even on a wide path. A value read only by a
     * fused chain's look-up ({@link #tableFed}) goes straight to the table's domain: tableBits bits, one
     * Rescale instead of two.
     */
    int narrow(int id, String name) {
        QTensor x = t(id);
        int cap = tableFed.contains(name) ? Math.min(cfg.tableBits(), cfg.activationBits()) : cfg.activationBits();
        int k = x.scale() - (target(name) - (cfg.activationBits() - cap));
        if (k <= 0) return id;
        int bits = Math.min(x.bits() - k + 1, cap);
        return emit(new QOp.Rescale(id, k), fresh("rescale"), x.shape(), x.scale() - k, bits);
    }

    /** Raises a tensor to a higher scale exactly (MulConst by 2^k). */
    int align(int id, int scale) {
        QTensor x = t(id);
        int k = scale - x.scale();
        if (k == 0) return id;
        if (k < 0) throw new IllegalStateException("align can only raise a scale");
        return emit(new QOp.MulConst(id, 1L << k, k), fresh("align"), x.shape(), scale, x.bits() + k);
    }

    /** Both operands at one scale: a constant is quantised at the activation's scale, activations are aligned up. */
    int[] sameScale(String a, String b) {
        if (isConst(a) && isConst(b)) throw unsupported("both operands are constants");
        if (isConst(a)) { int y = value(b); return new int[] {constAt(constant(a), y), y}; }
        if (isConst(b)) { int x = value(a); return new int[] {x, constAt(constant(b), x)}; }
        return common(value(a), value(b));
    }

    /** A constant at x's scale; one holding mask fills ({@link Calibration#FILL}) is clamped to x's bound instead. */
    int constAt(Tensor c, int x) {
        return hasFill(c) ? clampedConst(c, x) : quantConst(fresh("const"), c, t(x).scale());
    }

    /**
     * Tensors holding masked entries ("−∞" fills of an attention mask) → the integer every masked entry
     * equals, strictly below every real entry (see {@link #maskConst}); Softmax gives those entries weight 0.
     */
    final Map<Integer, Long> maskValue = new HashMap<>();

    /**
     * A mask constant at {@code scale}: fills become {@code fill} (below the range of the activation it
     * meets), other entries are rounded and clamped to ±(2^bits − 1).
     */
    int maskConst(Tensor c, int scale, int bits, long fill) {
        long bound = (1L << bits) - 1;
        long[] q = new long[c.size()];
        long max = 0;
        for (int i = 0; i < q.length; i++) {
            double v = c.data()[i];
            q[i] = Calibration.isFill(Math.abs(v)) ? (v > 0 ? -fill : fill) : LookupTable.quantise(Math.scalb(v, scale), bound);
            max = Math.max(max, Math.abs(q[i]));
        }
        return add(fresh("mask"), c.shape(), scale, bitsFor(max), c.size() == 1 ? QTensor.Kind.CONSTANT : QTensor.Kind.WEIGHT, q);
    }

    static boolean hasFill(Tensor c) {
        for (double v : c.data()) if (Calibration.isFill(Math.abs(v))) return true;
        return false;
    }

    /**
     * Two activations at one scale: the lower-scale one is aligned up exactly (MulConst 2^k), but
     * at most to activationBits + 4 bits; beyond that the higher-scale one is rescaled down instead.
     */
    int[] common(int x, int y) {
        if (t(x).scale() < t(y).scale()) {
            int[] r = common(y, x);
            return new int[] {r[1], r[0]};
        }
        int s = Math.min(t(x).scale(), t(y).scale() + Math.max(0, cfg.activationBits() + 4 - t(y).bits()));
        if (s < t(x).scale()) {
            int k = t(x).scale() - s;
            x = emit(new QOp.Rescale(x, k), fresh("rescale"), t(x).shape(), s, Math.max(1, t(x).bits() - k + 1));
        }
        return new int[] {x, align(y, s)};
    }

    /** A constant for Max/Min against x, at x's scale, clamped to x's bound (which leaves Max/Min unchanged). */
    int clampedConst(Tensor c, int x) {
        return boundConst(c, x, 0);
    }

    /**
     * Like {@link #clampedConst}, rounding toward the inside of a Clip: up for a lower bound
     * (direction 1), down for an upper bound (−1), so the clipped value never leaves [lo, hi]
     * (a tiny positive floor such as Clip(x, 1e-10) stays positive: log stays finite).
     */
    int boundConst(Tensor c, int x, int direction) {
        return boundConst(c, t(x).scale(), t(x).bits(), direction);
    }

    /** c at {@code scale}, rounded (direction 0) or toward the inside, clamped to ±(2^bits − 1). */
    int boundConst(Tensor c, int scale, int bits, int direction) {
        long bound = (1L << bits) - 1;
        long[] q = new long[c.size()];
        long max = 0;
        for (int i = 0; i < q.length; i++) {
            double v = Math.scalb(c.data()[i], scale);
            double r = direction > 0 ? Math.ceil(v) : direction < 0 ? Math.floor(v) : Math.signum(v) * Math.floor(Math.abs(v) + 0.5);
            q[i] = (long) Math.clamp(r, -bound, bound);
            max = Math.max(max, Math.abs(q[i]));
        }
        return add(fresh("const"), c.shape(), scale, bitsFor(max), c.size() == 1 ? QTensor.Kind.CONSTANT : QTensor.Kind.WEIGHT, q);
    }

    /** x with at most tableBits bits (a Rescale when wider): the domain of a 2^(tableBits+1)-entry table. */
    int narrowForTable(int x) {
        int excess = t(x).bits() - cfg.tableBits();
        if (excess > 0) x = emit(new QOp.Rescale(x, excess), fresh("narrow"), t(x).shape(), t(x).scale() - excess, cfg.tableBits() + 1);
        if (t(x).bits() > cfg.tableBits()) x = emit(new QOp.Rescale(x, 1), fresh("narrow"), t(x).shape(), t(x).scale() - 1, cfg.tableBits());
        return x;
    }

    /** A look-up of {@code function} on x (first narrowed to tableBits bits). */
    int lookup(int x, String function, int outScale, String name, int[] shape) {
        x = narrowForTable(x);
        QTensor in = t(x);
        int b = in.bits();
        LookupTable table = LookupTable.build(function, in.scale(), outScale, cfg.activationBits(), -(1L << b), 1 << (b + 1));
        long max = 0;
        for (long v : table.values()) max = Math.max(max, Math.abs(v));
        return emit(new QOp.Lookup(x, table), name, shape, outScale, bitsFor(max));
    }

    void bind(String floatName, int id) { values.put(floatName, id); }

    /** A public integer scalar (CONSTANT) at the given scale. */
    int scalar(long v, int scale) {
        return add(fresh("const"), new int[0], scale, bitsFor(v), QTensor.Kind.CONSTANT, new long[] {v});
    }

    /**
     * The same integers read at another scale: MulConst by 1 whose scale is (to − from), so the real
     * value changes by 2^(from − to). Used to give a 0/1 or integer-valued result computed at x's scale
     * its meaning as an integer (scale 0).
     */
    int relabel(int id, int scale) {
        QTensor x = t(id);
        if (x.scale() == scale) return id;
        return emit(new QOp.MulConst(id, 1, scale - x.scale()), fresh("relabel"), x.shape(), scale, x.bits());
    }

    /**
     * The output scale of a table of {@code function} on x: when f stays below 2^8 over x's whole
     * domain, the largest scale at which no entry saturates (calibration cannot see values it was
     * not shown: a sigmoid calibrated on scores near 0 must still represent 1); otherwise (exp,
     * reciprocal near 0, ...) the calibrated scale of {@code out}, entries beyond it saturating.
     */
    int tableScale(int x, String function, String out) {
        QTensor in = t(narrowForTable(x));
        long lim = 1L << in.bits();
        java.util.function.DoubleUnaryOperator f = LookupTable.parse(function);
        double max = 0;
        for (long i = -lim; i < lim; i++) {
            double v = Math.abs(f.applyAsDouble(Math.scalb((double) i, -in.scale())));
            if (Double.isFinite(v)) max = Math.max(max, v);
        }
        int calibrated = target(out);
        if (max > 0x1p8) return calibrated;
        return Math.min(calibrated, scaleFor(max, cfg.activationBits()));
    }

    /**
     * f(x) for a monotone increasing f on x ≥ 0 wider than a table: pieces y_j = min(floor(x / 2^(j·w)), 2^a − 1)
     * (a = tableBits + 1, w = a/2), each looked up in the table of t ↦ f(t·2^(j·w)), combined by Max. Every piece
     * under-estimates f(x) (floor, saturation) and the finest unsaturated one has y_j ≥ 2^(a−w), so the result is f
     * at relative precision 2^−(a−w). Each piece is Min(x, (cap+1)·2^k − 1), minus 2^(k−1), then Rescale by k (so
     * Rescale computes the floor and its output stays below 2^a). A negative x breaks a declared bound: an error.
     */
    int wideMonotoneLookup(int x, String function, int outScale, String name, int[] shape) {
        QTensor in = t(x);
        int a = cfg.tableBits() + 1, w = a / 2;
        long cap = (1L << a) - 1;
        int best = -1;
        for (int k = 0; ; k += w) {
            long limit = ((cap + 1) << k) - 1;
            int limitId = add(fresh("cap"), new int[0], in.scale(), bitsFor(limit), QTensor.Kind.CONSTANT, new long[] {limit});
            int piece = emit(new QOp.Min(x, limitId), fresh("piece_cap"), in.shape(), in.scale(), Math.max(in.bits(), bitsFor(limit)));
            if (k > 0) {
                int half = add(fresh("half"), new int[0], in.scale(), k, QTensor.Kind.CONSTANT, new long[] {1L << (k - 1)});
                int shifted = emit(new QOp.Sub(piece, half), fresh("floor_shift"), in.shape(), in.scale(), t(piece).bits());
                piece = emit(new QOp.Rescale(shifted, k), fresh("piece"), in.shape(), in.scale() - k, a);
            } // for k = 0 the table's domain [0, 2^a) itself rejects a negative x
            LookupTable table = LookupTable.build(function, in.scale() - k, outScale, cfg.activationBits(), 0, 1 << a);
            long max = 0;
            for (long v : table.values()) max = Math.max(max, Math.abs(v));
            int y = emit(new QOp.Lookup(piece, table), fresh(function + "_piece"), in.shape(), outScale, bitsFor(max));
            best = best < 0 ? y : emit(new QOp.Max(best, y), fresh(function + "_best"), in.shape(), outScale, Math.max(t(best).bits(), t(y).bits()));
            if (k + a >= in.bits()) break;
        }
        return best;
    }

    int[] shape(String value) { return pg.shape(value); }
}
