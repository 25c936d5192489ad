package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtMath;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.BaseTable;
import dev.verinfer.sumcheck.ExtTable;
import dev.verinfer.sumcheck.MleTable;
import dev.verinfer.sumcheck.ProductTerm;
import dev.verinfer.sumcheck.SubClaim;
import dev.verinfer.sumcheck.SumcheckProver;
import dev.verinfer.sumcheck.SumcheckProverResult;
import dev.verinfer.zkml.layout.Broadcast;
import dev.verinfer.zkml.layout.Indicators;
import dev.verinfer.zkml.layout.PaddedShape;
import dev.verinfer.zkml.layout.Window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Max, Min, MaxPool and ReduceMax: y = max_k c_k (or min) over K candidate views c_k of the inputs
 * (a broadcast operand, a window tap, a slice along the reduced axes). The output y is committed and
 * every gap d_k = ±(y − c_k) is range-checked by look-up (so d_k ≥ 0: y bounds every candidate) —
 * for Max/Min as an affine look-up column of y and the operand, nothing more committed; for pooling
 * taps and slices as committed 16-bit limbs. Then, at one random point ρ:
 * <ul>
 * <li>a zero-check Σ_x eq(τ, x)·Π_k d_k(x) = 0 (degree K + 1) shows that at every index some
 * candidate attains y, and ends at ρ with claims on the limbs;</li>
 * <li>the gaps' definition d_k = ±(y − c_k), a linear relation, is checked at the same ρ, leaving
 * claims on y and on each view c_k(ρ), which become claims on the inputs (directly for broadcasts
 * and slices, by one window-selection sumcheck for pooling taps).</li>
 * </ul>
 * With d_k ∈ [0, 2^w), y and every c_k bounded by 2^(w−1), no relation can wrap modulo p.
 */
final class MaxLayers {
    static final int MAX_CANDIDATES = 16;

    private MaxLayers() {}

    /** A view of an input with the output's shape; zero outside the output's real region. */
    sealed interface Candidate permits BroadcastView, SliceView, TapView {
        int tensor();
    }

    /** The input broadcast to the output's shape (Max, Min). */
    record BroadcastView(int tensor) implements Candidate {}

    /** The input at a fixed index of the reduced axes (ReduceMax); {@code fixed[d]} is −1 for kept axes. */
    record SliceView(int tensor, int[] fixed, boolean keepdims) implements Candidate {}

    /** One kernel tap (u_h, u_w) of a pooling window over x[N, C, H, W]. */
    record TapView(int tensor, Window h, Window w, int uh, int uw) implements Candidate {}

    /** One Max-like node: y = max (sign +1) or min (sign −1) of its candidates; gap limbs per candidate. */
    record Check(int node, int output, int sign, List<Candidate> candidates, List<List<Integer>> gapLimbs) {}

    /**
     * A ReduceMax over many values: y ≥ x by range look-ups, attainment by the committed one-hot
     * selector item {@code selector} (see {@link #prove}).
     */
    record ArgmaxCheck(int node, int x, int output, int[] keptShape, int selector) {}

    // ---------------------------------------------------------------- planning

    static int reducedCount(ProofPlan plan, QOp.ReduceMax r) {
        int[] xs = plan.graph.tensor(r.x()).shape();
        int count = 1;
        for (int a : r.axes()) {
            count *= xs[a < 0 ? a + xs.length : a];
        }
        return count;
    }

    static List<Candidate> candidates(ProofPlan plan, QNode node) {
        List<Candidate> out = new ArrayList<>();
        switch (node.op()) {
            case QOp.Max m -> { out.add(new BroadcastView(m.a())); out.add(new BroadcastView(m.b())); }
            case QOp.Min m -> { out.add(new BroadcastView(m.a())); out.add(new BroadcastView(m.b())); }
            case QOp.MaxPool p -> {
                int[] xs = plan.graph.tensor(p.x()).shape();
                int[] ys = plan.graph.tensor(node.output()).shape();
                if (xs.length != 4) {
                    throw new UnsupportedGraphException("node '" + node.onnxName() + "': MaxPool of rank " + xs.length + " is not supported yet");
                }
                Window h = new Window(xs[2], ys[2], p.kernel()[0], p.strides()[0], p.dilations()[0], p.pads()[0]);
                Window w = new Window(xs[3], ys[3], p.kernel()[1], p.strides()[1], p.dilations()[1], p.pads()[1]);
                for (Window win : new Window[] {h, w}) {
                    for (int o = 0; o < win.out(); o++) {
                        for (int u = 0; u < win.kernel(); u++) {
                            if (!win.valid(o, u)) {
                                throw new UnsupportedGraphException("node '" + node.onnxName() + "': MaxPool windows reaching into padding are not supported yet");
                            }
                        }
                    }
                }
                for (int uh = 0; uh < h.kernel(); uh++) {
                    for (int uw = 0; uw < w.kernel(); uw++) {
                        out.add(new TapView(p.x(), h, w, uh, uw));
                    }
                }
            }
            case QOp.ReduceMax r -> {
                int[] xs = plan.graph.tensor(r.x()).shape();
                boolean[] reduced = new boolean[xs.length];
                for (int a : r.axes()) {
                    reduced[a < 0 ? a + xs.length : a] = true;
                }
                int count = 1;
                for (int d = 0; d < xs.length; d++) {
                    if (reduced[d]) {
                        count *= xs[d];
                    }
                }
                if (count > MAX_CANDIDATES) {
                    throw new UnsupportedGraphException("node '" + node.onnxName() + "': ReduceMax over " + count + " values is not supported yet (at most " + MAX_CANDIDATES + ")");
                }
                for (int j = 0; j < count; j++) {
                    int[] fixed = new int[xs.length];
                    int rest = j;
                    for (int d = xs.length - 1; d >= 0; d--) {
                        if (reduced[d]) {
                            fixed[d] = rest % xs[d];
                            rest /= xs[d];
                        } else {
                            fixed[d] = -1;
                        }
                    }
                    out.add(new SliceView(r.x(), fixed, r.keepdims()));
                }
            }
            default -> throw new IllegalStateException("not a Max-like op: " + node);
        }
        if (out.size() > MAX_CANDIDATES) {
            throw new UnsupportedGraphException("node '" + node.onnxName() + "': " + out.size() + " candidates per maximum is more than " + MAX_CANDIDATES);
        }
        return out;
    }

    /** The width w of the gaps: every candidate and the output are below 2^(w−1) in magnitude. */
    static int gapWidth(ProofPlan plan, QNode node) {
        int bits = plan.graph.tensor(node.output()).bits();
        for (int in : node.inputs()) {
            bits = Math.max(bits, plan.graph.tensor(in).bits());
        }
        return bits + 1;
    }

    // ---------------------------------------------------------------- prover-side values

    /** The view's values over the output's real (row-major) indices. */
    static long[] viewValues(ProofPlan plan, ProverTensors tensors, int output, Candidate c) {
        int[] ys = plan.graph.tensor(output).shape();
        long[] x = tensors.real(c.tensor());
        int[] xs = plan.graph.tensor(c.tensor()).shape();
        int n = plan.graph.tensor(output).size();
        long[] out = new long[n];
        switch (c) {
            case BroadcastView b -> {
                int[] stride = broadcastStrides(xs, ys);
                for (int i = 0; i < n; i++) {
                    out[i] = x[sourceIndex(i, ys, stride)];
                }
            }
            case SliceView s -> {
                int[] xStrides = rowMajorStrides(xs);
                int[] kept = new int[xs.length];
                int k = 0;
                for (int d = 0; d < xs.length; d++) {
                    if (s.fixed()[d] < 0) {
                        kept[k++] = d;
                    }
                }
                for (int i = 0; i < n; i++) {
                    // the output's index, read on its kept axes (size-1 axes of keepdims carry no information)
                    int[] yIdx = unravel(i, ys);
                    int src = 0;
                    int yk = 0;
                    for (int d = 0; d < xs.length; d++) {
                        int idx;
                        if (s.fixed()[d] >= 0) {
                            idx = s.fixed()[d];
                            if (s.keepdims()) {
                                yk++;
                            }
                        } else {
                            idx = yIdx[s.keepdims() ? d : yk];
                            yk++;
                        }
                        src += idx * xStrides[d];
                    }
                    out[i] = x[src];
                }
            }
            case TapView t -> {
                int nc = ys[0] * ys[1];
                for (int plane = 0; plane < nc; plane++) {
                    for (int oh = 0; oh < t.h().out(); oh++) {
                        for (int ow = 0; ow < t.w().out(); ow++) {
                            int ih = t.h().position(oh, t.uh());
                            int iw = t.w().position(ow, t.uw());
                            out[(plane * t.h().out() + oh) * t.w().out() + ow] = x[(plane * t.h().in() + ih) * t.w().in() + iw];
                        }
                    }
                }
            }
        }
        return out;
    }

    private static int[] rowMajorStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }

    private static int[] unravel(int i, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = i % shape[d];
            i /= shape[d];
        }
        return idx;
    }

    /** Per output axis, the stride of the operand (0 where it broadcasts). */
    private static int[] broadcastStrides(int[] xs, int[] ys) {
        int[] xStrides = rowMajorStrides(xs);
        int[] out = new int[ys.length];
        int offset = ys.length - xs.length;
        for (int d = 0; d < ys.length; d++) {
            int xd = d - offset;
            out[d] = xd < 0 || xs[xd] == 1 ? 0 : xStrides[xd];
        }
        return out;
    }

    private static int sourceIndex(int i, int[] ys, int[] stride) {
        int src = 0;
        for (int d = ys.length - 1; d >= 0; d--) {
            src += (i % ys[d]) * stride[d];
            i /= ys[d];
        }
        return src;
    }

    // ---------------------------------------------------------------- protocol

    static void prove(ProverContext cx, Witness witness) {
        ProofPlan plan = cx.plan();
        for (ArgmaxCheck a : plan.argmaxChecks) {
            if (cx.zk() != null && ZkOneHot.masked(plan, a)) { // a maximum of private values ({@link ZkOneHot})
                ZkOneHot.prove(cx, witness, a);
                continue;
            }
            OneHot h = OneHot.draw(plan, a, cx.channel().challenges("argmax-tau", plan.shapes[a.x()].numVars()),
                    cx.channel().challenges("argmax-point", plan.shapes[a.output()].numVars()));
            Ext2 y = Mle.evaluate(cx.tensors().padded(a.output()), h.groupPoint());
            cx.channel().sendExt("argmax-value", y);
            Ext2[] gamma = cx.channel().challenges("argmax-combine", 3);
            List<MleTable> tables = List.of(new ExtTable(Mle.eqTable(h.tau())), new BaseTable(witness.items[a.selector()]), new ExtTable(h.groupTable()),
                    new BaseTable(Indicators.realRegionTable(plan.shapes[a.x()])), new BaseTable(cx.tensors().padded(a.x())));
            SumcheckProverResult res = SumcheckProver.prove(cx.channel().transcript, tables, OneHot.terms(gamma));
            res.proof().write(cx.channel().out);
            Ext2[] rho = res.point();
            Ext2[] values = {res.finalEvaluations()[1], res.finalEvaluations()[4]};
            cx.channel().sendExts("argmax-values", values);
            cx.claims().onTensor(a.output(), new Claim(h.groupPoint(), y));
            cx.claims().onItem(a.selector(), new Claim(rho, values[0]));
            cx.claims().onTensor(a.x(), new Claim(rho, values[1]));
        }
        for (Check check : plan.maxChecks) {
            int zk = cx.zk() == null ? -1 : cx.zk().layout().index(check.output());
            if (zk >= 0) { // a maximum of a private value ({@link ZkMaxLayers})
                ZkMaxLayers.prove(cx, witness, check, zk);
                continue;
            }
            PaddedShape shape = plan.shapes[check.output()];
            int k = check.candidates().size();
            Ext2[] tau = cx.channel().challenges("max-tau", shape.numVars());
            List<MleTable> tables = new ArrayList<>();
            tables.add(new ExtTable(Mle.eqTable(tau)));
            for (int c = 0; c < k; c++) {
                tables.add(new BaseTable(witness.gap(check, c)));
            }
            int[] factors = new int[k + 1];
            for (int i = 0; i <= k; i++) {
                factors[i] = i;
            }
            SumcheckProverResult res = SumcheckProver.prove(cx.channel().transcript, tables, List.of(new ProductTerm(Ext2.ONE, factors)));
            res.proof().write(cx.channel().out);
            Ext2[] rho = res.point();
            List<Ext2> sent = new ArrayList<>();
            sent.add(Mle.evaluate(cx.tensors().padded(check.output()), rho));
            for (int c = 0; c < k; c++) {
                List<Integer> limbs = check.gapLimbs().get(c);
                if (limbs.isEmpty()) {
                    sent.add(Mle.evaluate(witness.view(check, c), rho));
                }
                for (int item : limbs) {
                    sent.add(Mle.evaluate(witness.items[item], rho));
                }
            }
            Ext2[] values = sent.toArray(Ext2[]::new);
            cx.channel().sendExts("max-values", values);
            Ext2[] views = recordClaims(plan, cx.claims(), check, rho, values);
            reduceViewsProver(cx, check, rho, views);
        }
    }

    static void verify(VerifierContext cx) throws MalformedProofException, ProofRejectedException {
        ProofPlan plan = cx.plan();
        for (ArgmaxCheck a : plan.argmaxChecks) {
            if (cx.zk() != null && ZkOneHot.masked(plan, a)) {
                ZkOneHot.verify(cx, a);
                continue;
            }
            QNode node = plan.graph.nodes().get(a.node());
            PaddedShape xs = plan.shapes[a.x()];
            OneHot h = OneHot.draw(plan, a, cx.channel().challenges("argmax-tau", xs.numVars()),
                    cx.channel().challenges("argmax-point", plan.shapes[a.output()].numVars()));
            Ext2 y = cx.channel().receiveExt("argmax-value");
            Ext2[] gamma = cx.channel().challenges("argmax-combine", 3);
            // Σ_x [eq(τ,x)·s(1 − s) + γ0·K·s·(IND + γ1) + γ2·K·s·x] = γ0·(1 + γ1)·ind_kept(r_g) + γ2·y(r_g)
            Ext2 sum = gamma[0].mul(Ext2.ONE.add(gamma[1])).mul(Indicators.realRegion(h.kept(), h.groupPoint())).add(gamma[2].mul(y));
            SubClaim sub = cx.channel().sumcheck(sum, xs.numVars(), 3, "node '" + node.onnxName() + "' (one-hot selector)");
            Ext2[] rho = sub.point();
            Ext2[] values = cx.channel().receiveExts("argmax-values", 2);
            Ext2[] at = {Mle.eq(h.tau(), rho), values[0], h.groupWeight(rho), Indicators.realRegion(xs, rho), values[1]};
            if (!ProductTerm.evaluate(OneHot.terms(gamma), at).equals(sub.expectedEvaluation())) {
                throw new ProofRejectedException("node '" + node.onnxName() + "': the maximum is not selected by a one-hot vector of the reduced values");
            }
            cx.claims().onTensor(a.output(), new Claim(h.groupPoint(), y));
            cx.claims().onItem(a.selector(), new Claim(rho, values[0]));
            cx.claims().onTensor(a.x(), new Claim(rho, values[1]));
        }
        for (Check check : plan.maxChecks) {
            int zk = cx.zk() == null ? -1 : cx.zk().layout().index(check.output());
            if (zk >= 0) {
                ZkMaxLayers.verify(cx, check, zk);
                continue;
            }
            QNode node = plan.graph.nodes().get(check.node());
            PaddedShape shape = plan.shapes[check.output()];
            int k = check.candidates().size();
            Ext2[] tau = cx.channel().challenges("max-tau", shape.numVars());
            SubClaim sub = cx.channel().sumcheck(Ext2.ZERO, shape.numVars(), k + 1, "node '" + node.onnxName() + "'");
            Ext2[] rho = sub.point();
            int valueCount = check.gapLimbs().stream().mapToInt(l -> Math.max(1, l.size())).sum();
            Ext2[] values = cx.channel().receiveExts("max-values", 1 + valueCount);
            Ext2 product = Mle.eq(tau, rho);
            for (Ext2 gap : AtPoint.of(check, values).gaps()) {
                product = product.mul(gap);
            }
            if (!product.equals(sub.expectedEvaluation())) {
                throw new ProofRejectedException("node '" + node.onnxName() + "': no candidate attains the claimed maximum");
            }
            Ext2[] views = recordClaims(plan, cx.claims(), check, rho, values);
            reduceViewsVerifier(cx, node, check, rho, views);
        }
    }

    /** For each output (row-major), the first flat index of x attaining its maximum. */
    private static int[] argmax(ProofPlan plan, ProverTensors tensors, ArgmaxCheck a) {
        long[] x = tensors.real(a.x());
        int[] xs = plan.graph.tensor(a.x()).shape();
        int outputs = plan.graph.tensor(a.output()).size();
        int[] best = new int[outputs];
        Arrays.fill(best, -1);
        for (int j = 0; j < x.length; j++) {
            int i = outputIndex(xs, a.keptShape(), j);
            if (best[i] < 0 || x[j] > x[best[i]]) {
                best[i] = j;
            }
        }
        return best;
    }

    /** The one-hot selector: 1 at each group's first maximum (padded layout of x), 0 elsewhere. */
    static long[] selector(ProofPlan plan, ProverTensors tensors, ArgmaxCheck a) {
        PaddedShape xs = plan.shapes[a.x()];
        long[] s = new long[xs.paddedSize()];
        for (int j : argmax(plan, tensors, a)) {
            s[xs.paddedIndex(j)] = 1;
        }
        return s;
    }

    /** The row-major index, in the kept shape, of the output that x's flat index j is reduced into. */
    private static int outputIndex(int[] xs, int[] kept, int j) {
        int out = 0;
        int stride = 1;
        for (int d = xs.length - 1; d >= 0; d--) {
            int idx = j % xs[d];
            j /= xs[d];
            if (kept[d] != 1 || xs[d] == 1) {
                out += idx * stride;
                stride *= kept[d];
            }
        }
        return out;
    }

    /**
     * The one-hot argument of a large ReduceMax, one sumcheck over x's variables: with K(x) =
     * eq(r_g, kept(x)) (the group point r_g on y, broadcast over the reduced axes) and IND x's
     * real-region indicator,
     * Σ_x [eq(τ, x)·s(1 − s) + γ0·K·s·(IND + γ1) + γ2·K·s·x] = γ0·(1 + γ1)·ind_kept(r_g) + γ2·y(r_g).
     * The first term is a zero-check (s ∈ {0, 1} on the whole padded cube); the second, as a polynomial
     * in r_g and γ1, says every real group's s sums to 1 over its real and over all its indices and
     * every padding group's to 0 (so the one 1 sits at a real index); the third that y is the selected
     * x. With the range check y − x ≥ 0, y is the maximum, and s reveals nothing beyond its
     * commitment and its claims (docs/proof-system.md, "Zero-knowledge").
     */
    record OneHot(Ext2[] tau, Ext2[] groupPoint, PaddedShape kept, Broadcast broadcast) {
        static OneHot draw(ProofPlan plan, ArgmaxCheck a, Ext2[] tau, Ext2[] groupPoint) {
            PaddedShape kept = new PaddedShape(a.keptShape());
            return new OneHot(tau, groupPoint, kept, new Broadcast(kept, plan.shapes[a.x()]));
        }

        /** Tables: 0 eq(τ), 1 s, 2 K, 3 IND, 4 x. */
        static List<ProductTerm> terms(Ext2[] gamma) {
            return List.of(ProductTerm.of(Ext2.ONE, 0, 1), ProductTerm.of(Ext2.ONE.neg(), 0, 1, 1), ProductTerm.of(gamma[0], 2, 1, 3),
                    ProductTerm.of(gamma[0].mul(gamma[1]), 2, 1), ProductTerm.of(gamma[2], 2, 1, 4));
        }

        /** K over x's padded cube: eq(r_g, ·) repeated over the reduced axes. */
        ExtVector groupTable() {
            ExtVector eq = Mle.eqTable(groupPoint);
            long[] c0 = broadcast.expand(eq.c0());
            long[] c1 = broadcast.expand(eq.c1());
            ExtVector out = ExtVector.zeros(c0.length);
            for (int i = 0; i < c0.length; i++) {
                out.set(i, new Ext2(c0[i], c1[i]));
            }
            return out;
        }

        /** K's MLE at a point of x: eq(r_g, the point's kept variables). */
        Ext2 groupWeight(Ext2[] point) {
            return Mle.eq(groupPoint, broadcast.operandPoint(point));
        }
    }

    /**
     * From the values sent at ρ — y(ρ), then per candidate either its committed gap limbs or, where
     * the gap is an affine look-up column and nothing is committed, the view c_k(ρ) itself — the
     * gaps d_k(ρ) and the views c_k(ρ) = y(ρ) − sign·d_k(ρ).
     */
    record AtPoint(Ext2[] gaps, Ext2[] views) {
        static AtPoint of(Check check, Ext2[] values) {
            int k = check.candidates().size();
            Ext2 y = values[0];
            Ext2[] gaps = new Ext2[k];
            Ext2[] views = new Ext2[k];
            int v = 1;
            for (int c = 0; c < k; c++) {
                List<Integer> limbs = check.gapLimbs().get(c);
                if (limbs.isEmpty()) {
                    views[c] = values[v++];
                    gaps[c] = check.sign() > 0 ? y.sub(views[c]) : views[c].sub(y);
                } else {
                    Ext2 g = Ext2.ZERO;
                    for (int l = 0; l < limbs.size(); l++) {
                        g = g.add(values[v++].mul(Goldilocks.pow(2, (long) ProofPlan.RANGE_BITS * l)));
                    }
                    gaps[c] = g;
                    views[c] = check.sign() > 0 ? y.sub(g) : y.add(g);
                }
            }
            return new AtPoint(gaps, views);
        }
    }

    /** Claims on y and the limbs; returns each view's value c_k(ρ). */
    private static Ext2[] recordClaims(ProofPlan plan, ClaimBook claims, Check check, Ext2[] rho, Ext2[] values) {
        claims.onTensor(check.output(), new Claim(rho, values[0]));
        int v = 1;
        for (List<Integer> limbs : check.gapLimbs()) {
            if (limbs.isEmpty()) {
                v++;
            }
            for (int item : limbs) {
                claims.onItem(item, new Claim(rho, values[v++]));
            }
        }
        return AtPoint.of(check, values).views();
    }

    private static void reduceViewsProver(ProverContext cx, Check check, Ext2[] rho, Ext2[] views) {
        ProofPlan plan = cx.plan();
        List<Integer> taps = recordDirectViews(plan, cx.claims(), check, rho, views);
        if (taps.isEmpty()) {
            return;
        }
        TapView first = (TapView) check.candidates().get(taps.getFirst());
        Ext2 beta = cx.channel().challenge("tap-beta");
        ExtVector selection = tapSelection(plan, first.tensor(), check, taps, rho, beta);
        cx.claims().onTensor(first.tensor(), SelectionReduction.prove(cx.channel(), cx.tensors().padded(first.tensor()), selection, "tap-input"));
    }

    private static void reduceViewsVerifier(VerifierContext cx, QNode node, Check check, Ext2[] rho, Ext2[] views)
            throws MalformedProofException, ProofRejectedException {
        ProofPlan plan = cx.plan();
        List<Integer> taps = recordDirectViews(plan, cx.claims(), check, rho, views);
        if (taps.isEmpty()) {
            return;
        }
        TapView first = (TapView) check.candidates().get(taps.getFirst());
        Ext2 beta = cx.channel().challenge("tap-beta");
        Ext2 sum = tapSum(taps, views, beta);
        PaddedShape xs = plan.shapes[first.tensor()];
        String what = "node '" + node.onnxName() + "': pooling window reduction";
        SelectionReduction.Reduced red = SelectionReduction.verify(cx.channel(), sum, xs.numVars(), "tap-input", what);
        red.check(tapSelectionAt(plan, first.tensor(), check, taps, rho, beta, red.point()), what);
        cx.claims().onTensor(first.tensor(), red.claim());
    }

    /** Σ_k β^k·views[taps[k]]: the tap reduction's claimed sum. */
    static Ext2 tapSum(List<Integer> taps, Ext2[] views, Ext2 beta) {
        Ext2 sum = Ext2.ZERO;
        Ext2 power = Ext2.ONE;
        for (int c : taps) {
            sum = sum.add(views[c].mul(power));
            power = power.mul(beta);
        }
        return sum;
    }

    /** {@link #tapSelection}'s multilinear extension at x's point p, in O(Σ_k (H_out·K_h + W_out·K_w)). */
    static Ext2 tapSelectionAt(ProofPlan plan, int tensor, Check check, List<Integer> taps, Ext2[] rho, Ext2 beta, Ext2[] p) {
        PaddedShape xs = plan.shapes[tensor];
        PaddedShape ys = plan.shapes[check.output()];
        Ext2 lead = Mle.eq(part(rho, ys, 0), part(p, xs, 0)).mul(Mle.eq(part(rho, ys, 1), part(p, xs, 1)));
        Ext2 spatial = Ext2.ZERO;
        Ext2 power = Ext2.ONE;
        for (int c : taps) {
            TapView t = (TapView) check.candidates().get(c);
            Ext2 th = t.h().selectionAt(part(rho, ys, 2), bits(t.uh(), t.h().kernelBits()), part(p, xs, 2));
            Ext2 tw = t.w().selectionAt(part(rho, ys, 3), bits(t.uw(), t.w().kernelBits()), part(p, xs, 3));
            spatial = spatial.add(th.mul(tw).mul(power));
            power = power.mul(beta);
        }
        return lead.mul(spatial);
    }

    /** Claims for broadcast and slice views (no interaction); returns the indices of tap views left to reduce. */
    static List<Integer> recordDirectViews(ProofPlan plan, ClaimBook claims, Check check, Ext2[] rho, Ext2[] views) {
        List<Integer> taps = new ArrayList<>();
        PaddedShape ys = plan.shapes[check.output()];
        for (int c = 0; c < views.length; c++) {
            switch (check.candidates().get(c)) {
                case BroadcastView b -> {
                    Broadcast bc = new Broadcast(plan.shapes[b.tensor()], ys);
                    Ext2 factor = bc.factor(rho);
                    if (factor.isZero()) {
                        throw new IllegalStateException("degenerate challenge: broadcast indicator vanishes");
                    }
                    claims.onTensor(b.tensor(), new Claim(bc.operandPoint(rho), views[c].mul(factor.inverse())));
                }
                case SliceView s -> claims.onTensor(s.tensor(), new Claim(slicePoint(plan, check.output(), s, rho), views[c]));
                case TapView t -> taps.add(c);
            }
        }
        return taps;
    }

    /** x's point for a slice: kept axes read the output's variables, reduced axes their fixed index's bits. */
    private static Ext2[] slicePoint(ProofPlan plan, int output, SliceView s, Ext2[] rho) {
        PaddedShape xs = plan.shapes[s.tensor()];
        PaddedShape ys = plan.shapes[output];
        Ext2[] p = new Ext2[xs.numVars()];
        int yDim = s.keepdims() ? xs.rank() - 1 : ys.rank() - 1;
        for (int d = xs.rank() - 1; d >= 0; d--) {
            int first = xs.firstVar(d);
            if (s.fixed()[d] >= 0) {
                Ext2[] b = bits(s.fixed()[d], xs.bits(d));
                System.arraycopy(b, 0, p, first, b.length);
                if (s.keepdims()) {
                    yDim--;
                }
            } else {
                System.arraycopy(rho, ys.firstVar(yDim), p, first, xs.bits(d));
                yDim--;
            }
        }
        return p;
    }

    /** Σ_k β^k S_k(j) for the tap views: eq(ρ_n, j_n)·eq(ρ_c, j_c)·Σ_k β^k T_h^k(j_h)·T_w^k(j_w). */
    static ExtVector tapSelection(ProofPlan plan, int tensor, Check check, List<Integer> taps, Ext2[] rho, Ext2 beta) {
        PaddedShape xs = plan.shapes[tensor];
        PaddedShape ys = plan.shapes[check.output()];
        int hBits = xs.bits(2);
        int wBits = xs.bits(3);
        ExtVector spatial = ExtVector.zeros(1 << (hBits + wBits));
        Ext2 power = Ext2.ONE;
        for (int c : taps) {
            TapView t = (TapView) check.candidates().get(c);
            ExtVector th = t.h().selectionTable(part(rho, ys, 2), bits(t.uh(), t.h().kernelBits()));
            ExtVector tw = t.w().selectionTable(part(rho, ys, 3), bits(t.uw(), t.w().kernelBits()));
            for (int i = 0; i < th.length(); i++) {
                Ext2 a = new Ext2(th.c0()[i], th.c1()[i]).mul(power);
                if (a.isZero()) {
                    continue;
                }
                for (int j = 0; j < tw.length(); j++) {
                    Ext2 v = a.mul(new Ext2(tw.c0()[j], tw.c1()[j]));
                    int idx = (i << wBits) | j;
                    spatial.c0()[idx] = Goldilocks.add(spatial.c0()[idx], v.c0());
                    spatial.c1()[idx] = Goldilocks.add(spatial.c1()[idx], v.c1());
                }
            }
            power = power.mul(beta);
        }
        ExtVector lead = Mle.eqTable(concat(part(rho, ys, 1), part(rho, ys, 0))); // (c, n): c low
        ExtVector s = ExtVector.zeros(xs.paddedSize());
        int spatialSize = spatial.length();
        for (int nc = 0; nc < lead.length(); nc++) {
            long a0 = lead.c0()[nc];
            long a1 = lead.c1()[nc];
            for (int i = 0; i < spatialSize; i++) {
                s.c0()[nc * spatialSize + i] = ExtMath.mulC0(a0, a1, spatial.c0()[i], spatial.c1()[i]);
                s.c1()[nc * spatialSize + i] = ExtMath.mulC1(a0, a1, spatial.c0()[i], spatial.c1()[i]);
            }
        }
        return s;
    }

    private static Ext2[] part(Ext2[] point, PaddedShape shape, int dim) {
        int first = shape.firstVar(dim);
        return Arrays.copyOfRange(point, first, first + shape.bits(dim));
    }

    private static Ext2[] concat(Ext2[] low, Ext2[] high) {
        Ext2[] p = Arrays.copyOf(low, low.length + high.length);
        System.arraycopy(high, 0, p, low.length, high.length);
        return p;
    }

    private static Ext2[] bits(int value, int n) {
        Ext2[] b = new Ext2[n];
        for (int i = 0; i < n; i++) {
            b[i] = ((value >>> i) & 1) == 1 ? Ext2.ONE : Ext2.ZERO;
        }
        return b;
    }
}
