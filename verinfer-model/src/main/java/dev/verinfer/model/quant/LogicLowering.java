package dev.verinfer.model.quant;

import dev.verinfer.model.graph.Attrs;
import dev.verinfer.model.graph.Broadcast;
import dev.verinfer.model.graph.Node;
import dev.verinfer.model.graph.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Integer-valued and boolean operators, all compositions of Max, Min, Sub, Add, Mul, MulConst,
 * Rescale and ReduceMax (no new protocol): Abs, Sign, Round, Floor, Ceil, comparisons, Not/And/Or/Xor,
 * Where on a computed mask, Cast to integer and boolean types, PRelu, ArgMax/ArgMin and TopK.
 * Booleans are 0/1 integers at scale 0; each producer below proves its result is 0 or 1 (a clamp to
 * [0, 1] of an integer, or 1 minus one). Declared bounds are the tight bounds those clamps prove.
 */
final class LogicLowering {
    private final Lowering q;

    LogicLowering(Lowering q) { this.q = q; }

    private int negate(int x) {
        QTensor t = q.t(x);
        return q.emit(new QOp.MulConst(x, -1, 0), q.fresh("negate"), t.shape(), t.scale(), t.bits());
    }

    /** |x| = Max(x, −x), exact. */
    int abs(int x) {
        QTensor t = q.t(x);
        return q.emit(new QOp.Max(x, negate(x)), q.fresh("abs"), t.shape(), t.scale(), t.bits());
    }

    /** Min(Max(x, lo), hi) on the integers of x (lo, hi at x's scale), declared with the bound it proves. */
    private int clampInt(int x, long lo, long hi) {
        QTensor t = q.t(x);
        int a = q.emit(new QOp.Max(x, q.scalar(lo, t.scale())), q.fresh("clamp_low"), t.shape(), t.scale(), t.bits());
        return q.emit(new QOp.Min(a, q.scalar(hi, t.scale())), q.fresh("clamp"), t.shape(), t.scale(), Lowering.bitsFor(Math.max(Math.abs(lo), Math.abs(hi))));
    }

    /** 1 − b for a boolean b at scale 0. */
    private int not(int b) {
        QTensor t = q.t(b);
        return q.emit(new QOp.Sub(q.scalar(1, 0), b), q.fresh("not"), t.shape(), 0, 1);
    }

    /** [d ≠ 0] as a scale-0 boolean for d ≥ 0 (proven by its producer): Min(d, 1). */
    private int positive(int d) {
        return q.relabel(clampInt(d, 0, 1), 0);
    }

    int sign(int x) { return q.relabel(clampInt(x, -1, 1), 0); }

    /** floor(x) = Rescale(x − 2^(s−1), s): Rescale adds 2^(s−1) back and shifts (an exact floor). */
    int floor(int x) {
        QTensor t = q.t(x);
        int s = t.scale();
        if (s <= 0) return x;
        int d = q.emit(new QOp.Sub(x, q.scalar(1L << (s - 1), s)), q.fresh("floor_shift"), t.shape(), s, t.bits() + 1);
        return q.emit(new QOp.Rescale(d, s), q.fresh("floor"), t.shape(), 0, Math.max(1, t.bits() - s + 1));
    }

    /** ceil(x) = floor((x + 2^s − 1) / 2^s) = Rescale(x + 2^(s−1) − 1, s). */
    int ceil(int x) {
        QTensor t = q.t(x);
        int s = t.scale();
        if (s <= 0) return x;
        int d = q.emit(new QOp.Add(x, q.scalar((1L << (s - 1)) - 1, s)), q.fresh("ceil_shift"), t.shape(), s, t.bits() + 1);
        return q.emit(new QOp.Rescale(d, s), q.fresh("ceil"), t.shape(), 0, Math.max(1, t.bits() - s + 1));
    }

    /**
     * Round half to even (ONNX Round) of x at scale s: r = Rescale(x, s) rounds half up; x was a tie iff
     * x − r·2^s = −2^(s−1), and then r is moved down by one when odd. tie = Max(−(x − r·2^s) − (2^(s−1) − 1), 0)
     * ∈ {0, 1}; odd = 2·Rescale(r, 1) − r ∈ {0, 1}; result r − tie·odd.
     */
    int round(int x) {
        QTensor t = q.t(x);
        int s = t.scale();
        if (s <= 0) return x;
        int[] sh = t.shape();
        int rb = Math.max(1, t.bits() - s + 1);
        int r = q.emit(new QOp.Rescale(x, s), q.fresh("round_half_up"), sh, 0, rb);
        int back = q.emit(new QOp.MulConst(r, 1L << s, s), q.fresh("round_back"), sh, s, rb + s);
        int below = q.emit(new QOp.Sub(back, x), q.fresh("round_below"), sh, s, s); // r·2^s − x ∈ (−2^(s−1), 2^(s−1)]
        int excess = q.emit(new QOp.Sub(below, q.scalar((1L << (s - 1)) - 1, s)), q.fresh("round_excess"), sh, s, s + 1);
        int tie = q.relabel(q.emit(new QOp.Max(excess, q.scalar(0, s)), q.fresh("round_tie"), sh, s, 1), 0);
        int half = q.emit(new QOp.Rescale(r, 1), q.fresh("round_half"), sh, -1, rb);
        int twice = q.emit(new QOp.MulConst(half, 2, 1), q.fresh("round_even"), sh, 0, rb + 1);
        int odd = q.emit(new QOp.Sub(twice, r), q.fresh("round_odd"), sh, 0, 1);
        int fix = q.emit(new QOp.Mul(tie, odd), q.fresh("round_fix"), sh, 0, 1);
        return q.emit(new QOp.Sub(r, fix), q.fresh("round"), sh, 0, rb);
    }

    /** Cast of an activation to an integer type: truncation toward zero, sign(x)·floor(|x|). */
    int truncate(int x) {
        QTensor t = q.t(x);
        if (t.scale() <= 0) return x;
        int f = floor(abs(x));
        return q.emit(new QOp.Mul(sign(x), f), q.fresh("truncate"), t.shape(), 0, q.t(f).bits());
    }

    /** Cast to bool: [x ≠ 0] = Min(|x|, 1). */
    int nonZero(int x) { return positive(abs(x)); }

    /** Both operands at one scale; a constant is quantised at the activation's scale, clamped to its bound. */
    private int[] operands(Node n) {
        String a = n.input(0), b = n.input(1);
        if (q.isConst(a) && q.isConst(b)) throw q.unsupported("both operands are constants");
        if (q.isConst(a)) { int y = q.value(b); return new int[] {q.clampedConst(q.constant(a), y), y}; }
        if (q.isConst(b)) { int x = q.value(a); return new int[] {x, q.clampedConst(q.constant(b), x)}; }
        return q.common(q.value(a), q.value(b));
    }

    private int difference(int a, int b) {
        QTensor x = q.t(a), y = q.t(b);
        return q.emit(new QOp.Sub(a, b), q.fresh("difference"), Broadcast.shape(x.shape(), y.shape()), x.scale(), Math.max(x.bits(), y.bits()) + 1);
    }

    /** [a > b] = Min(Max(a − b, 0), 1) on integers at one scale. */
    private int greater(int a, int b) { return q.relabel(clampInt(difference(a, b), 0, 1), 0); }

    /** A scale-0 boolean operand. */
    private int bool(String name) {
        if (q.isConst(name)) return q.quantConst(q.fresh("const"), q.constant(name), 0);
        int id = q.value(name);
        if (q.t(id).scale() != 0) throw q.unsupported("boolean input '" + name + "' is not a 0/1 tensor (it has scale " + q.t(id).scale() + ")");
        return id;
    }

    void compare(Node n) {
        int r = switch (n.opType()) {
            case "Not" -> not(bool(n.input(0)));
            case "And", "Or", "Xor" -> {
                int a = bool(n.input(0)), b = bool(n.input(1));
                int[] shape = Broadcast.shape(q.t(a).shape(), q.t(b).shape());
                yield switch (n.opType()) {
                    case "And" -> q.emit(new QOp.Min(a, b), q.fresh("and"), shape, 0, 1);
                    case "Or" -> q.emit(new QOp.Max(a, b), q.fresh("or"), shape, 0, 1);
                    default -> q.emit(new QOp.Max(difference(a, b), difference(b, a)), q.fresh("xor"), shape, 0, 1);
                };
            }
            default -> {
                int[] ab = operands(n);
                yield switch (n.opType()) {
                    case "Less" -> greater(ab[1], ab[0]);
                    case "Greater" -> greater(ab[0], ab[1]);
                    case "LessOrEqual" -> not(greater(ab[0], ab[1]));
                    case "GreaterOrEqual" -> not(greater(ab[1], ab[0]));
                    default -> not(positive(abs(difference(ab[0], ab[1])))); // Equal
                };
            }
        };
        q.bind(n.output(), r);
    }

    /** Where(c, a, b) = b + c·(a − b) for a computed boolean c (a constant mask is a Gather, see MovementLowering). */
    void where(Node n) {
        int c = bool(n.input(0));
        String a = n.input(1), b = n.input(2);
        int[] ab;
        Long masked = null;
        if (q.isConst(a) && q.isConst(b)) throw q.unsupported("both branches are constants");
        else if (q.isConst(a) || q.isConst(b)) {
            int x = q.value(q.isConst(a) ? b : a);
            Tensor branch = q.constant(q.isConst(a) ? a : b);
            // a "−∞" fill becomes −2^bits, one below every value of the other branch (Softmax gives it weight 0)
            if (Lowering.hasFill(branch)) masked = -(1L << q.t(x).bits());
            int k = Lowering.hasFill(branch) ? q.maskConst(branch, q.t(x).scale(), q.t(x).bits(), masked) : q.clampedConst(branch, x);
            ab = q.isConst(a) ? new int[] {k, x} : new int[] {x, k};
        }
        else ab = q.common(q.value(a), q.value(b));
        QTensor x = q.t(ab[0]), y = q.t(ab[1]);
        int d = difference(ab[0], ab[1]);
        int[] shape = q.shape(n.output());
        int bits = Math.max(x.bits(), y.bits());
        int chosen = q.emit(new QOp.Mul(c, d), q.fresh("where_select"), Broadcast.shape(q.t(c).shape(), q.t(d).shape()), x.scale(), q.t(d).bits());
        int r = q.emit(new QOp.Add(ab[1], chosen), q.fresh("where"), shape, x.scale(), bits);
        if (masked != null) q.maskValue.put(r, masked);
        q.bind(n.output(), r);
    }

    /** PRelu: Max(x, 0) + slope·Min(x, 0), the product rescaled to x's scale, then requantised. */
    void prelu(Node n) {
        int x = q.value(n.input(0));
        QTensor t = q.t(x);
        int pos = q.emit(new QOp.Max(x, q.scalar(0, t.scale())), q.fresh("prelu_pos"), t.shape(), t.scale(), t.bits());
        int neg = q.emit(new QOp.Min(x, q.scalar(0, t.scale())), q.fresh("prelu_neg"), t.shape(), t.scale(), t.bits());
        int prod;
        if (q.isConst(n.input(1)) && q.constant(n.input(1)).size() == 1) {
            Tensor c = q.constant(n.input(1));
            int sc = q.weightScale(c, q.cfg.weightBits());
            long cq = LookupTable.quantise(Math.scalb(c.data()[0], sc), Long.MAX_VALUE);
            prod = q.emit(new QOp.MulConst(neg, cq, sc), q.fresh("prelu_scaled"), t.shape(), t.scale() + sc, t.bits() + Lowering.bitsFor(cq));
        } else {
            int slope = q.isConst(n.input(1)) ? q.quantConst(q.fresh("slope"), q.constant(n.input(1)),
                    q.weightScale(q.constant(n.input(1)), q.cfg.weightBits())) : q.value(n.input(1));
            QTensor st = q.t(slope);
            prod = q.emit(new QOp.Mul(neg, slope), q.fresh("prelu_scaled"), Broadcast.shape(t.shape(), st.shape()), t.scale() + st.scale(), t.bits() + st.bits());
        }
        QTensor pt = q.t(prod);
        int k = pt.scale() - t.scale();
        if (k > 0) prod = q.emit(new QOp.Rescale(prod, k), q.fresh("prelu_rescale"), pt.shape(), t.scale(), Math.max(1, pt.bits() - k + 1));
        int[] ab = q.common(pos, prod);
        int[] shape = q.shape(n.output());
        int sum = q.emit(new QOp.Add(ab[0], ab[1]), q.fresh("prelu"), shape, q.t(ab[0]).scale(), Math.max(q.t(ab[0]).bits(), q.t(ab[1]).bits()) + 1);
        q.bind(n.output(), q.requantise(sum, n.output()));
    }

    /** A WEIGHT of shape [1, ..., dim (at axis), ..., 1] holding f(i) at scale 0. */
    private int axisRamp(int rank, int axis, int dim, java.util.function.IntToLongFunction f) {
        int[] shape = new int[rank];
        Arrays.fill(shape, 1);
        shape[axis] = dim;
        long[] v = new long[dim];
        long max = 0;
        for (int i = 0; i < dim; i++) { v[i] = f.applyAsLong(i); max = Math.max(max, Math.abs(v[i])); }
        return q.add(q.fresh("ramp"), shape, 0, Lowering.bitsFor(max), QTensor.Kind.WEIGHT, v);
    }

    /**
     * The first (or last) index of the maximum along {@code axis}: hit = 1 − Min(max − x, 1) ∈ {0, 1};
     * score = hit·(dim − i) (or hit·(i + 1)); best = ReduceMax(score); index = dim − best (or best − 1).
     * Returns {index, score, best} (score and best are reused by TopK).
     */
    private int[] argMax(int x, int axis, boolean keep, boolean last) {
        QTensor t = q.t(x);
        int[] xs = t.shape(), kept = xs.clone();
        kept[axis] = 1;
        int dim = xs[axis];
        int m = q.emit(new QOp.ReduceMax(x, new int[] {axis}, true), q.fresh("arg_max"), kept, t.scale(), t.bits());
        int below = q.emit(new QOp.Sub(m, x), q.fresh("arg_below"), xs, t.scale(), t.bits() + 1);
        int hit = not(positive(below));
        int ramp = axisRamp(xs.length, axis, dim, last ? i -> i + 1 : i -> dim - i);
        int bits = Lowering.bitsFor(dim);
        int score = q.emit(new QOp.Mul(hit, ramp), q.fresh("arg_score"), xs, 0, bits);
        int[] outShape = keep ? kept : drop(kept, axis);
        int best = q.emit(new QOp.ReduceMax(score, new int[] {axis}, keep), q.fresh("arg_best"), outShape, 0, bits);
        int index = last ? q.emit(new QOp.Sub(best, q.scalar(1, 0)), q.fresh("argmax"), outShape, 0, bits)
                : q.emit(new QOp.Sub(q.scalar(dim, 0), best), q.fresh("argmax"), outShape, 0, bits);
        return new int[] {index, score, best, m};
    }

    private static int[] drop(int[] shape, int axis) {
        int[] r = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != axis) r[j++] = shape[i];
        return r;
    }

    void argExtreme(Node n) {
        int x = q.value(n.input(0));
        int rank = q.t(x).shape().length;
        int axis = (int) Attrs.getInt(n, "axis", 0);
        if (axis < 0) axis += rank;
        if (n.opType().equals("ArgMin")) x = negate(x);
        q.bind(n.output(), argMax(x, axis, Attrs.getInt(n, "keepdims", 1) != 0, Attrs.getInt(n, "select_last_index", 0) != 0)[0]);
    }

    /**
     * TopK for a small k: k rounds of ArgMax; after each, the chosen entry (score = best, a one-hot) is
     * replaced by −2^bits, below every value, by cur + onehot·(−2^bits − cur). Values and indices of the
     * rounds are concatenated along the axis by a Gather.
     */
    void topK(Node n) {
        if (!q.isConst(n.input(1))) throw q.unsupported("K must be a constant");
        int k = (int) q.constant(n.input(1)).data()[0];
        if (k > MAX_TOPK) throw q.unsupported("TopK with k=" + k + " > " + MAX_TOPK + " is not supported (each of the k rounds is a full arg-max)");
        int x = q.value(n.input(0));
        QTensor t = q.t(x);
        int axis = (int) Attrs.getInt(n, "axis", -1);
        if (axis < 0) axis += t.shape().length;
        boolean largest = Attrs.getInt(n, "largest", 1) != 0;
        int cur = largest ? x : negate(x);
        int low = q.scalar(-(1L << t.bits()), t.scale());
        List<Integer> values = new ArrayList<>(), indices = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            int[] r = argMax(cur, axis, true, false);
            values.add(r[3]);
            indices.add(r[0]);
            if (j == k - 1) break;
            QTensor c = q.t(cur);
            int gap = q.emit(new QOp.Sub(r[2], r[1]), q.fresh("topk_gap"), c.shape(), 0, q.t(r[1]).bits() + 1);
            int onehot = not(positive(gap));
            int lift = q.emit(new QOp.Sub(low, cur), q.fresh("topk_lift"), c.shape(), c.scale(), t.bits() + 2);
            int masked = q.emit(new QOp.Mul(onehot, lift), q.fresh("topk_mask"), c.shape(), c.scale(), t.bits() + 2);
            cur = q.emit(new QOp.Add(cur, masked), q.fresh("topk_rest"), c.shape(), c.scale(), t.bits() + 1);
        }
        int vals = concat(values, axis, n.outputs().get(0));
        if (!largest) vals = negate(vals);
        q.bind(n.outputs().get(0), vals);
        if (n.outputs().size() > 1 && !n.outputs().get(1).isEmpty()) q.bind(n.outputs().get(1), concat(indices, axis, n.outputs().get(1)));
    }

    static final int MAX_TOPK = 16;

    /** Concatenation of same-shaped tensors (dim 1 at axis) along the axis, as a Gather. */
    private int concat(List<Integer> parts, int axis, String out) {
        QTensor first = q.t(parts.getFirst());
        int[] partShape = first.shape(), shape = partShape.clone();
        shape[axis] = parts.size();
        int inner = Tensor.strides(partShape)[axis];
        int n = Tensor.size(shape);
        int[] srcInput = new int[n], srcIndex = new int[n];
        for (int i = 0; i < n; i++) {
            int outerIdx = i / (inner * parts.size()), j = (i / inner) % parts.size(), in = i % inner;
            srcInput[i] = j;
            srcIndex[i] = outerIdx * inner + in;
        }
        int bits = parts.stream().mapToInt(p -> q.t(p).bits()).max().orElse(1);
        return q.emit(new QOp.Gather(parts.stream().mapToInt(Integer::intValue).toArray(), srcInput, srcIndex), q.fresh("topk_" + out), shape, first.scale(), bits);
    }
}
