package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtMath;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.ExtTable;
import dev.verinfer.sumcheck.MleTable;
import dev.verinfer.sumcheck.ProductTerm;
import dev.verinfer.sumcheck.SumcheckProver;
import dev.verinfer.sumcheck.SumcheckProverResult;
import dev.verinfer.sumcheck.BaseTable;
import dev.verinfer.zkml.layout.Indicators;
import dev.verinfer.zkml.layout.PaddedShape;
import dev.verinfer.zkml.layout.Window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Convolution (NCHW; 1-D as H = 1; group 1 or depthwise) by two sumchecks, never materialising
 * im2col for the verifier:
 * <ol>
 * <li>y(r_n, r_o, r_p) − bias(r_o)·ind = Σ_{c,u} W(r_o, c, u)·X̂(r_n, r_p, c, u) over channels and
 * kernel taps (depthwise: Σ_{c,u} eq(r_o, c)·W(c, u)·X̂(r_n, r_p, c, u)), where X̂ is the im2col
 * view of x; this leaves a claim on W and one on X̂ at (r_n, r_p, ρ_c, ρ_u).</li>
 * <li>X̂(r_n, r_p, ρ_c, ρ_u) = Σ_j x(j)·S(j) with S = eq(r_n, ·)·eq(ρ_c, ·)·T_h·T_w, the window
 * selections per axis ({@link Window}); the verifier evaluates S in O(H_out·K_h + W_out·K_w).</li>
 * </ol>
 */
final class ConvLayer {
    private ConvLayer() {}

    /** Sizes and variable positions of one convolution. */
    record Geometry(int n, int c, int o, Window h, Window w, boolean depthwise, PaddedShape x, PaddedShape y) {
        static Geometry of(ProofPlan plan, QNode node, QOp.Conv conv) {
            int[] xs = plan.graph.tensor(conv.x()).shape();
            int[] ws = plan.graph.tensor(conv.w()).shape();
            int[] ys = plan.graph.tensor(node.output()).shape();
            boolean oneD = xs.length == 3;
            if (!(xs.length == 4 || oneD) || ws.length != xs.length || ys.length != xs.length) {
                throw new UnsupportedGraphException("node '" + node.onnxName() + "': Conv of rank " + xs.length + " is not supported");
            }
            int hIn = oneD ? 1 : xs[2];
            int wIn = xs[xs.length - 1];
            int hOut = oneD ? 1 : ys[2];
            int wOut = ys[ys.length - 1];
            int kh = oneD ? 1 : ws[2];
            int kw = ws[ws.length - 1];
            int[] s = conv.strides();
            int[] d = conv.dilations();
            int[] p = conv.pads();
            Window h = new Window(hIn, hOut, kh, s[0], d[0], p[0]);
            Window w = new Window(wIn, wOut, kw, s[1], d[1], p[1]);
            boolean depthwise = conv.group() > 1;
            if (depthwise && !(conv.group() == xs[1] && conv.group() == ys[1] && ws[1] == 1)) {
                throw new UnsupportedGraphException("node '" + node.onnxName() + "': grouped Conv with group " + conv.group()
                        + " is neither standard nor depthwise; not supported yet");
            }
            return new Geometry(xs[0], xs[1], ys[1], h, w, depthwise,
                    new PaddedShape(new int[] {xs[0], xs[1], hIn, wIn}), new PaddedShape(new int[] {ys[0], ys[1], hOut, wOut}));
        }

        int tapBits() {
            return w.kernelBits() + h.kernelBits();
        }

        int channelBits() {
            return PaddedShape.ceilLog2(c);
        }

        /** The output point's variables of each dimension: batch, channel, height, width. */
        Ext2[][] outputParts(Ext2[] point) {
            return new Ext2[][] {part(point, 0, y), part(point, 1, y), part(point, 2, y), part(point, 3, y)};
        }

        Ext2[] part(Ext2[] point, int dim, PaddedShape shape) {
            int first = shape.firstVar(dim);
            return Arrays.copyOfRange(point, first, first + shape.bits(dim));
        }

        /** The indicator of the real output rows (batch, height, width) at the output point: what the bias is weighted by. */
        Ext2 rows(Ext2[][] r) {
            return Indicators.prefix(r[0], 0, r[0].length, n).mul(Indicators.prefix(r[2], 0, r[2].length, h.out()))
                    .mul(Indicators.prefix(r[3], 0, r[3].length, w.out()));
        }

        /** The selection S over x's padded layout for the output parts r and the first sumcheck's point ρ (kw, kh, c). */
        ExtVector selection(Ext2[][] r, Ext2[] rho) {
            return selectionTable(this, r[0], rhoC(rho), h.selectionTable(r[2], rhoKh(rho)), w.selectionTable(r[3], rhoKw(rho)));
        }

        /** S's multilinear extension at x's point p, in O(H_out·K_h + W_out·K_w). */
        Ext2 selectionAt(Ext2[][] r, Ext2[] rho, Ext2[] p) {
            return Mle.eq(r[0], part(p, 0, x)).mul(Mle.eq(rhoC(rho), part(p, 1, x)))
                    .mul(h.selectionAt(r[2], rhoKh(rho), part(p, 2, x))).mul(w.selectionAt(r[3], rhoKw(rho), part(p, 3, x)));
        }

        private Ext2[] rhoKw(Ext2[] rho) {
            return Arrays.copyOfRange(rho, 0, w.kernelBits());
        }

        private Ext2[] rhoKh(Ext2[] rho) {
            return Arrays.copyOfRange(rho, w.kernelBits(), tapBits());
        }

        Ext2[] rhoC(Ext2[] rho) {
            return Arrays.copyOfRange(rho, tapBits(), rho.length);
        }
    }

    // ---------------------------------------------------------------- prover

    static void prove(ProverContext cx, QNode node, QOp.Conv conv, Claim claim) {
        if (cx.zk() != null && cx.zk().layout().index(node.output()) >= 0) {
            ZkConv.prove(cx, node, conv, claim);
            return;
        }
        Geometry g = Geometry.of(cx.plan(), node, conv);
        Ext2[][] r = g.outputParts(claim.point());
        Ext2[] rO = r[1];
        if (conv.bias() >= 0) {
            Ext2 bv = Mle.evaluate(cx.tensors().padded(conv.bias()), rO);
            cx.channel().sendExt("conv-bias", bv);
            cx.claims().onTensor(conv.bias(), new Claim(rO, bv));
        }
        List<MleTable> tables = productTables(cx, g, conv, r);
        int[] factors = g.depthwise() ? new int[] {0, 1, 2} : new int[] {0, 1};
        SumcheckProverResult res = SumcheckProver.prove(cx.channel().transcript, tables, List.of(new ProductTerm(Ext2.ONE, factors)));
        res.proof().write(cx.channel().out);
        Ext2[] ev = res.finalEvaluations();
        Ext2 wv = ev[ev.length - 2];
        Ext2 xv = ev[ev.length - 1];
        cx.channel().sendExts("conv-evals", wv, xv);
        Ext2[] rho = res.point();
        cx.claims().onTensor(conv.w(), new Claim(weightPoint(g, rho, rO), wv));

        // Step 2: the im2col view's claim, reduced to x.
        cx.claims().onTensor(conv.x(), SelectionReduction.prove(cx.channel(), cx.tensors().padded(conv.x()), g.selection(r, rho), "conv-input"));
    }

    /**
     * The first sumcheck's factors over (kw, kh, c): W(r_o, ·) and X̂ (standard), or eq(r_o, c), W and X̂ (depthwise). W's
     * table is the last but one, X̂'s the last.
     */
    static List<MleTable> productTables(ProverContext cx, Geometry g, QOp.Conv conv, Ext2[][] r) {
        long[] weights = cx.tensors().padded(conv.w());
        List<MleTable> tables = new ArrayList<>();
        if (g.depthwise()) {
            tables.add(new ExtTable(expandHigh(Mle.eqTable(r[1]), g.tapBits())));
            tables.add(new BaseTable(weights));
        } else {
            tables.add(new ExtTable(Mle.foldHigh(weights, r[1])));
        }
        tables.add(new ExtTable(im2colView(g, cx.tensors().real(conv.x()), r[0], r[2], r[3])));
        return tables;
    }

    /** X̂(kw, kh, c) = Σ_{n, ho, wo} eq(r_n, n)·eq(r_h, ho)·eq(r_w, wo)·x[n, c, pos_h(ho, kh), pos_w(wo, kw)]. */
    static ExtVector im2colView(Geometry g, long[] x, Ext2[] rN, Ext2[] rH, Ext2[] rW) {
        ExtVector en = Mle.eqTable(rN);
        ExtVector eh = Mle.eqTable(rH);
        ExtVector ew = Mle.eqTable(rW);
        Window h = g.h();
        Window w = g.w();
        int kwBits = w.kernelBits();
        int tapBits = g.tapBits();
        ExtVector view = ExtVector.zeros(1 << (tapBits + g.channelBits()));
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                int plane = (n * g.c() + c) * h.in() * w.in();
                for (int kh = 0; kh < h.kernel(); kh++) {
                    for (int ho = 0; ho < h.out(); ho++) {
                        if (!h.valid(ho, kh)) {
                            continue;
                        }
                        Ext2 a = new Ext2(en.c0()[n], en.c1()[n]).mul(new Ext2(eh.c0()[ho], eh.c1()[ho]));
                        int row = plane + h.position(ho, kh) * w.in();
                        for (int kw = 0; kw < w.kernel(); kw++) {
                            long s0 = 0;
                            long s1 = 0;
                            for (int wo = 0; wo < w.out(); wo++) {
                                int wi = w.position(wo, kw);
                                if (wi < 0 || wi >= w.in()) {
                                    continue;
                                }
                                long xv = x[row + wi];
                                if (xv == 0) {
                                    continue;
                                }
                                long f = BranchFree.fromSigned(xv);
                                s0 = BranchFree.add(s0, BranchFree.mul(ew.c0()[wo], f));
                                s1 = BranchFree.add(s1, BranchFree.mul(ew.c1()[wo], f));
                            }
                            Ext2 add = a.mul(new Ext2(s0, s1));
                            int idx = kw | (kh << kwBits) | (c << tapBits);
                            view.c0()[idx] = BranchFree.add(view.c0()[idx], add.c0());
                            view.c1()[idx] = BranchFree.add(view.c1()[idx], add.c1());
                        }
                    }
                }
            }
        }
        return view;
    }

    /** A table over the low {@code lowBits} variables and the high ones, constant in the low ones. */
    static ExtVector expandHigh(ExtVector high, int lowBits) {
        ExtVector out = ExtVector.zeros(high.length() << lowBits);
        for (int i = 0; i < out.length(); i++) {
            out.c0()[i] = high.c0()[i >>> lowBits];
            out.c1()[i] = high.c1()[i >>> lowBits];
        }
        return out;
    }

    /**
     * S(j) = eq(r_n, j_n)·eq(ρ_c, j_c)·T_h(j_h)·T_w(j_w) over x's padded layout — over padded batch and
     * channel indices too, so that its MLE is exactly the product the verifier evaluates.
     */
    static ExtVector selectionTable(Geometry g, Ext2[] rN, Ext2[] rhoC, ExtVector th, ExtVector tw) {
        ExtVector en = Mle.eqTable(rN);
        ExtVector ec = Mle.eqTable(rhoC);
        PaddedShape x = g.x();
        int wBits = x.bits(3);
        int hBits = x.bits(2);
        int cBits = x.bits(1);
        ExtVector s = ExtVector.zeros(x.paddedSize());
        for (int n = 0; n < en.length(); n++) {
            for (int c = 0; c < ec.length(); c++) {
                Ext2 nc = new Ext2(en.c0()[n], en.c1()[n]).mul(new Ext2(ec.c0()[c], ec.c1()[c]));
                for (int hi = 0; hi < g.h().in(); hi++) {
                    Ext2 nch = nc.mul(new Ext2(th.c0()[hi], th.c1()[hi]));
                    if (nch.isZero()) {
                        continue;
                    }
                    int base = ((n << cBits | c) << hBits | hi) << wBits;
                    long a0 = nch.c0();
                    long a1 = nch.c1();
                    for (int wi = 0; wi < g.w().in(); wi++) {
                        s.c0()[base + wi] = ExtMath.mulC0(a0, a1, tw.c0()[wi], tw.c1()[wi]);
                        s.c1()[base + wi] = ExtMath.mulC1(a0, a1, tw.c0()[wi], tw.c1()[wi]);
                    }
                }
            }
        }
        return s;
    }

    static Ext2[] weightPoint(Geometry g, Ext2[] rho, Ext2[] rO) {
        if (g.depthwise()) {
            return rho; // weight [C, 1, KH, KW]: (kw, kh, c) with c ≡ o
        }
        Ext2[] p = Arrays.copyOf(rho, rho.length + rO.length);
        System.arraycopy(rO, 0, p, rho.length, rO.length);
        return p;
    }

    // ---------------------------------------------------------------- verifier

    static void verify(VerifierContext cx, QNode node, QOp.Conv conv, Claim claim) throws MalformedProofException, ProofRejectedException {
        if (cx.zk() != null && cx.zk().layout().index(node.output()) >= 0) {
            ZkConv.verify(cx, node, conv, claim);
            return;
        }
        Geometry g = Geometry.of(cx.plan(), node, conv);
        Ext2[][] r = g.outputParts(claim.point());
        Ext2[] rO = r[1];
        Ext2 sum = claim.value();
        if (conv.bias() >= 0) {
            Ext2 bv = cx.channel().receiveExt("conv-bias");
            cx.claims().onTensor(conv.bias(), new Claim(rO, bv));
            sum = sum.sub(bv.mul(g.rows(r)));
        }
        int vars = g.tapBits() + g.channelBits();
        var sub = cx.channel().sumcheck(sum, vars, g.depthwise() ? 3 : 2, "node '" + node.onnxName() + "'");
        Ext2[] ev = cx.channel().receiveExts("conv-evals", 2);
        Ext2[] rho = sub.point();
        Ext2 expected = ev[0].mul(ev[1]);
        if (g.depthwise()) {
            expected = expected.mul(Mle.eq(rO, Arrays.copyOfRange(rho, g.tapBits(), rho.length)));
        }
        if (!expected.equals(sub.expectedEvaluation())) {
            throw new ProofRejectedException("node '" + node.onnxName() + "': Conv sumcheck final evaluation does not match");
        }
        cx.claims().onTensor(conv.w(), new Claim(weightPoint(g, rho, rO), ev[0]));

        String what = "node '" + node.onnxName() + "': Conv input reduction";
        SelectionReduction.Reduced red = SelectionReduction.verify(cx.channel(), ev[1], g.x().numVars(), "conv-input", what);
        red.check(g.selectionAt(r, rho, red.point()), what);
        cx.claims().onTensor(conv.x(), red.claim());
    }
}
