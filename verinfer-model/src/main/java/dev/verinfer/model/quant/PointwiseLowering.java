package dev.verinfer.model.quant;

import dev.verinfer.model.graph.Attrs;
import dev.verinfer.model.graph.Node;
import dev.verinfer.model.graph.Tensor;

/** Elementwise arithmetic (Add, Sub, Mul, Div, Max, Min, Pow, Clip) and the table-driven functions. */
final class PointwiseLowering {
    private final Lowering q;

    PointwiseLowering(Lowering q) { this.q = q; }

    void addSub(Node n) {
        String fill = q.isConst(n.input(0)) ? n.input(0) : q.isConst(n.input(1)) ? n.input(1) : null;
        if (fill != null && n.opType().equals("Add") && Lowering.hasFill(q.constant(fill))) {
            additiveMask(n, q.value(fill.equals(n.input(0)) ? n.input(1) : n.input(0)), q.constant(fill));
            return;
        }
        int[] ab = q.sameScale(n.input(0), n.input(1));
        QTensor a = q.t(ab[0]), b = q.t(ab[1]);
        QOp op = n.opType().equals("Add") ? new QOp.Add(ab[0], ab[1]) : new QOp.Sub(ab[0], ab[1]);
        int r = q.emit(op, q.fresh(n.opType().toLowerCase()), q.shape(n.output()), a.scale(), Math.max(a.bits(), b.bits()) + 1);
        q.bind(n.output(), q.requantise(r, n.output()));
    }

    /**
     * x + mask with "−∞" fills (|x| < 2^b): fills become −2^(b+2), other mask entries are clamped to
     * ±(2^b − 1), so real sums are ≥ −2^(b+1) + 2 and masked ones ≤ −3·2^b; Max(sum, −2^(b+1)) makes
     * every masked entry exactly −2^(b+1), strictly below the real ones (recorded for Softmax). Not
     * requantised: the sum stays at x's (calibrated) scale.
     */
    private void additiveMask(Node n, int x, Tensor mask) {
        QTensor t = q.t(x);
        int b = t.bits();
        int c = q.maskConst(mask, t.scale(), b, -(1L << (b + 2)));
        int[] shape = q.shape(n.output());
        int sum = q.emit(new QOp.Add(x, c), q.fresh("masked"), shape, t.scale(), b + 3);
        long floor = -(1L << (b + 1));
        int r = q.emit(new QOp.Max(sum, q.scalar(floor, t.scale())), q.fresh("mask_floor"), shape, t.scale(), b + 2);
        q.maskValue.put(r, floor);
        q.bind(n.output(), r);
    }

    void maxMin(Node n) {
        boolean max = n.opType().equals("Max");
        String acc = n.input(0);
        int id = -1;
        for (int i = 1; i < n.inputs().size(); i++) {
            if (id < 0 && q.isConst(acc)) throw q.unsupported("the first operand must be an activation");
            int[] ab = sameScaleAs(id < 0 ? q.value(acc) : id, n.input(i));
            QTensor a = q.t(ab[0]), b = q.t(ab[1]);
            int[] shape = dev.verinfer.model.graph.Broadcast.shape(a.shape(), b.shape());
            QOp op = max ? new QOp.Max(ab[0], ab[1]) : new QOp.Min(ab[0], ab[1]);
            id = q.emit(op, q.fresh(max ? "max" : "min"), shape, a.scale(), Math.max(a.bits(), b.bits()));
        }
        if (id < 0) id = q.value(acc);
        q.bind(n.output(), id);
    }

    private int[] sameScaleAs(int x, String other) {
        if (q.isConst(other)) return new int[] {x, q.clampedConst(q.constant(other), x)};
        return q.common(x, q.value(other));
    }

    void mul(Node n) {
        String a = n.input(0), b = n.input(1);
        if (q.isConst(a)) { String t = a; a = b; b = t; }
        q.bind(n.output(), q.isConst(b) ? mulConst(q.value(a), q.constant(b), n.output()) : multiply(q.value(a), q.value(b), n.output()));
    }

    void div(Node n) {
        String a = n.input(0), b = n.input(1);
        if (q.isConst(b)) {
            Tensor c = q.constant(b);
            double[] inv = new double[c.size()];
            for (int i = 0; i < inv.length; i++) inv[i] = 1 / c.data()[i];
            q.bind(n.output(), mulConst(q.value(a), new Tensor(c.shape(), inv), n.output()));
            return;
        }
        int r = reciprocal(b);
        q.bind(n.output(), q.isConst(a) ? mulConst(r, q.constant(a), n.output()) : multiply(q.value(a), r, n.output()));
    }

    /** 1/y by table look-up; output scale from the smallest |y| seen in calibration. */
    int reciprocal(String y) {
        int x = q.requantise(q.value(y), y);
        double maxInv = 1 / q.cal.minAbs(y);
        int scale = Lowering.scaleFor(maxInv * q.cfg.headroom(), q.cfg.activationBits());
        return q.lookup(x, "reciprocal", scale, q.fresh("reciprocal"), q.t(x).shape());
    }

    /**
     * A square kept exact on a wide path (see {@link WidePaths}) must leave room in the 2^40 budget for
     * what follows (a sum, a MatMul with ≥ 8-bit weights): its input is narrowed to WIDE_SQUARE_BITS bits.
     */
    private int squareInput(int x, String out) {
        int excess = q.t(x).bits() - WIDE_SQUARE_BITS;
        if (!q.wide.contains(out) || excess <= 0) return x;
        QTensor t = q.t(x);
        return q.emit(new QOp.Rescale(x, excess), q.fresh("square_narrow"), t.shape(), t.scale() - excess, WIDE_SQUARE_BITS + 1);
    }

    private static final int WIDE_SQUARE_BITS = 14;

    private int multiply(int a, int b, String out) {
        QTensor x = q.t(a), y = q.t(b);
        int[] shape = dev.verinfer.model.graph.Broadcast.shape(x.shape(), y.shape());
        int r = q.emit(new QOp.Mul(a, b), q.fresh("mul"), shape, x.scale() + y.scale(), x.bits() + y.bits());
        return q.requantise(r, out);
    }

    /** x · c for a constant c: MulConst for a scalar, else Mul by a WEIGHT tensor. */
    private int mulConst(int a, Tensor c, String out) {
        QTensor x = q.t(a);
        int sc = q.weightScale(c, q.cfg.weightBits());
        if (c.size() == 1) {
            long cq = LookupTable.quantise(Math.scalb(c.data()[0], sc), Long.MAX_VALUE);
            int r = q.emit(new QOp.MulConst(a, cq, sc), q.fresh("mulconst"), x.shape(), x.scale() + sc, x.bits() + Lowering.bitsFor(cq));
            return q.requantise(r, out);
        }
        return multiply(a, q.quantConst(q.fresh("weight"), c, sc), out);
    }

    void pow(Node n) {
        if (!q.isConst(n.input(1)) || q.constant(n.input(1)).size() != 1) throw q.unsupported("Pow needs a constant scalar exponent");
        double e = q.constant(n.input(1)).data()[0];
        int x = q.value(n.input(0));
        if (e == 1) q.bind(n.output(), x);
        else if (e == 2) q.bind(n.output(), multiply(squareInput(x, n.output()), squareInput(x, n.output()), n.output()));
        else if (e == 0.5) q.bind(n.output(), table(n, "sqrt"));
        else q.bind(n.output(), table(n, "pow(" + e + ")"));
    }

    /** Clip as Max then Min (constants clamped to x's bound, so the result is exact). */
    void clip(Node n, int opset) {
        int id = q.value(n.input(0));
        String lo = opset < 11 ? null : n.hasInput(1) ? n.input(1) : null, hi = opset < 11 ? null : n.hasInput(2) ? n.input(2) : null;
        if (opset < 11 && n.attributes().containsKey("min")) id = maxMin(id, Tensor.scalar(Attrs.getFloat(n, "min", 0)), true, n.output());
        if (opset < 11 && n.attributes().containsKey("max")) id = maxMin(id, Tensor.scalar(Attrs.getFloat(n, "max", 0)), false, n.output());
        if (lo != null) id = q.isConst(lo) ? maxMin(id, q.constant(lo), true, n.output()) : maxMin(id, q.value(lo), true, n.output());
        if (hi != null) id = q.isConst(hi) ? maxMin(id, q.constant(hi), false, n.output()) : maxMin(id, q.value(hi), false, n.output());
        q.bind(n.output(), id);
    }

    private int maxMin(int x, Tensor c, boolean max, String out) {
        return maxMin(x, q.boundConst(c, x, max ? 1 : -1), max, out);
    }

    private int maxMin(int x, int y, boolean max, String out) {
        int[] ab = q.common(x, y);
        QTensor a = q.t(ab[0]), b = q.t(ab[1]);
        int[] shape = dev.verinfer.model.graph.Broadcast.shape(a.shape(), b.shape());
        QOp op = max ? new QOp.Max(ab[0], ab[1]) : new QOp.Min(ab[0], ab[1]);
        return q.emit(op, q.fresh(max ? "max" : "min"), shape, a.scale(), Math.max(a.bits(), b.bits()));
    }

    /** ReLU as Max(x, 0); LeakyReLU as Max(x, α·x) (α·x rescaled to x's scale); no table needed. */
    private int relu(Node n, Double alpha) {
        int x = q.requantise(q.value(n.input(0)), n.input(0));
        QTensor t = q.t(x);
        if (alpha == null) return maxMin(x, Tensor.scalar(0), true, n.output());
        if (alpha < 0 || alpha > 1) throw q.unsupported("LeakyRelu alpha must be in [0, 1], is " + alpha);
        int sa = q.weightScale(Tensor.scalar(alpha), q.cfg.weightBits());
        long aq = LookupTable.quantise(Math.scalb(alpha, sa), Long.MAX_VALUE);
        int scaled = q.emit(new QOp.MulConst(x, aq, sa), q.fresh("leaky_scale"), t.shape(), t.scale() + sa, t.bits() + Lowering.bitsFor(aq));
        int back = sa > 0 ? q.emit(new QOp.Rescale(scaled, sa), q.fresh("leaky_rescale"), t.shape(), t.scale(), t.bits()) : scaled;
        return q.emit(new QOp.Max(x, back), q.fresh("leaky_max"), t.shape(), t.scale(), t.bits());
    }

    /** A function table with the output at its calibrated scale. */
    int table(Node n, String function) {
        int x = q.requantise(q.value(n.input(0)), n.input(0));
        if (function.equals("log") && q.t(x).bits() > q.cfg.activationBits() && q.wide.contains(n.input(0))) {
            return q.wideMonotoneLookup(x, function, q.target(n.output()), q.fresh(function), q.t(x).shape());
        }
        return q.lookup(x, function, q.tableScale(x, function, n.output()), q.fresh(function), q.t(x).shape());
    }

    void unary(Node n) {
        int id = switch (n.opType()) {
            case "Relu" -> relu(n, null);
            case "LeakyRelu" -> relu(n, Attrs.getFloat(n, "alpha", 0.01));
            case "Sigmoid" -> table(n, "sigmoid");
            case "HardSigmoid" -> table(n, "hard_sigmoid(" + Attrs.getFloat(n, "alpha", 0.2) + "," + Attrs.getFloat(n, "beta", 0.5) + ")");
            case "HardSwish" -> table(n, "hard_swish");
            case dev.verinfer.model.graph.UnaryChains.OP -> table(n, LookupTable.expression(Attrs.getString(n, dev.verinfer.model.graph.UnaryChains.EXPRESSION, "")));
            case "Tanh" -> table(n, "tanh");
            case "Softplus" -> table(n, "softplus");
            case "Elu" -> table(n, "elu(" + Attrs.getFloat(n, "alpha", 1) + ")");
            case "Selu" -> table(n, "selu(" + Attrs.getFloat(n, "alpha", 1.67326319217681884765625) + "," + Attrs.getFloat(n, "gamma", 1.05070102214813232421875) + ")");
            case "Celu" -> table(n, "celu(" + Attrs.getFloat(n, "alpha", 1) + ")");
            case "Erf" -> table(n, "erf");
            case "Gelu" -> table(n, Attrs.getString(n, "approximate", "none").equals("tanh") ? "gelu_tanh" : "gelu");
            case "Exp" -> table(n, "exp");
            case "Log" -> table(n, "log");
            case "Sqrt" -> table(n, "sqrt");
            case "Reciprocal" -> reciprocal(n.input(0));
            case "Neg" -> {
                int x = q.value(n.input(0));
                yield q.emit(new QOp.MulConst(x, -1, 0), q.fresh("neg"), q.t(x).shape(), q.t(x).scale(), q.t(x).bits());
            }
            default -> throw q.unsupported("operator '" + n.opType() + "' has no quantised lowering");
        };
        q.bind(n.output(), id);
    }
}
