package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.BaseTable;
import dev.verinfer.sumcheck.ExtTable;
import dev.verinfer.sumcheck.MleTable;
import dev.verinfer.sumcheck.ProductTerm;
import dev.verinfer.sumcheck.SubClaim;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.sumcheck.VanishingMask;
import dev.verinfer.sumcheck.ZkSumcheckProof;
import dev.verinfer.sumcheck.ZkSumcheckProver;
import dev.verinfer.sumcheck.ZkSumcheckProverResult;
import dev.verinfer.sumcheck.ZkSumcheckVerifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The zero-knowledge Conv ({@link ConvLayer}'s two sumchecks, docs/proof-system.md "Zero-knowledge Conv"), built like the
 * zero-knowledge MatMul ({@link LinearLayers}):
 * <ol>
 * <li>y(r) = Σ_{c,u} W′(r_o, c, u)·X̂′(r, c, u) [+ f·u₀·B′] through {@link ZkSumcheckProver} (Libra §4.1, its mask in the
 * proof's {@link ProofMasks}; the claim's hidden offset hidden, {@code proveWithHiddenOffset}), W′ = W̃ + Z·h̃ with h W's block
 * of the weight commitment's mask face (Libra §4.2, companion table), the bias as the MatMul's: u₀ the indicator of index 0,
 * B the constant bias(r_o) and its companion the constant h_b(r_o), f the real-row indicator; X̂′ = X̂ + Z·c₁ with c₁ a
 * scalar of M when x is private. It sends W′(ρ), X̂′(ρ) [, B′(ρ)] ("conv-evals"); W′(ρ) and B′(ρ) are claimed off the face
 * of the weight commitment.</li>
 * <li>X̂(r, ρ) = X̂′(ρ) − Z(ρ)·c₁ = Σ_j x(j)·S(j) through a zero-knowledge sumcheck with that hidden offset, x′ = x̃ + Z·c₂
 * (c₂ a scalar of M); it sends x′(p) ("conv-input"), a claim on x with the hidden offset Z(p)·c₂. A public x keeps the plain
 * reduction (X̂(ρ) is then a function of the statement).</li>
 * </ol>
 *
 * <p><b>Soundness.</b> M (c₁, c₂, the Libra masks) and the weight commitment (h) are bound before ρ and p, so each sumcheck
 * proves its identity for polynomials fixed before its challenges that equal W, X̂, x on the hypercube; W′(ρ), B′(ρ) are
 * bound by the off-face opening, X̂′(ρ) by the second sumcheck (its offset a functional of M), x′(p) by x's consumer.
 *
 * <p><b>Simulator.</b> W′(ρ), B′(ρ) uniform through fresh functionals of the face, X̂′(ρ) through c₁ and x′(p) through c₂
 * (each read by no other sent value: Z ≠ 0 except with probability 2/|F_{p²}|); rounds, G* and pieces Libra's.
 */
final class ZkConv {
    private ZkConv() {}

    /**
     * Whether a Conv reading private values is proven in zero knowledge: its kernel and bias are weights, its first sumcheck
     * has a variable (to mask off the hypercube), the proof masks leaves (its output's claims are masked), and x is public,
     * committed, or takes masked claims ({@link ZeroKnowledge#takesMaskedClaims}).
     */
    static boolean covered(QuantGraph graph, ProofPlan plan, QNode node, boolean[] priv) {
        if (plan == null || !(node.op() instanceof QOp.Conv conv) || !ZeroKnowledge.masksLeaves(graph, plan)
                || graph.tensor(conv.w()).kind() != QTensor.Kind.WEIGHT || conv.bias() >= 0 && graph.tensor(conv.bias()).kind() != QTensor.Kind.WEIGHT) {
            return false;
        }
        ConvLayer.Geometry g = ConvLayer.Geometry.of(plan, node, conv);
        return g.tapBits() + g.channelBits() > 0
                && (!priv[conv.x()] || ZeroKnowledge.opened(plan, conv.x()) || ZeroKnowledge.takesMaskedClaims(graph, plan, conv.x(), priv));
    }

    /** The covered Convs in proving order (the graph's nodes from the last). */
    static List<QNode> nodes(QuantGraph graph, ProofPlan plan) {
        return plan != null && graph == plan.graph ? plan.derived("ZkConv.nodes", 0, () -> List.copyOf(nodesScan(graph, plan))) : nodesScan(graph, plan);
    }

    private static List<QNode> nodesScan(QuantGraph graph, ProofPlan plan) {
        boolean[] priv = ZeroKnowledge.privateTensors(graph, plan);
        List<QNode> out = new ArrayList<>();
        for (int i = graph.nodes().size() - 1; i >= 0; i--) {
            QNode node = graph.nodes().get(i);
            if (covered(graph, plan, node, priv)) {
                out.add(node);
            }
        }
        return out;
    }

    /** The covered Convs whose x is private, in proving order: two scalars of M each (c₁, c₂) and a second masked sumcheck. */
    static List<QNode> privateInputs(QuantGraph graph, ProofPlan plan) {
        return plan != null && graph == plan.graph ? plan.derived("ZkConv.privateInputs", 0, () -> List.copyOf(privateInputsScan(graph, plan))) : privateInputsScan(graph, plan);
    }

    private static List<QNode> privateInputsScan(QuantGraph graph, ProofPlan plan) {
        boolean[] priv = ZeroKnowledge.privateTensors(graph, plan);
        return nodes(graph, plan).stream().filter(n -> priv[((QOp.Conv) n.op()).x()]).toList();
    }

    /** Scalars of M the covered Convs take. */
    static int scalars(QuantGraph graph, ProofPlan plan) {
        return 2 * privateInputs(graph, plan).size();
    }

    /** The key of the input reduction of the Conv writing t among the proof's sumchecks (below {@link ZkClaimMerge#key}'s). */
    static int reductionKey(QuantGraph graph, int t) {
        return -2 - graph.tensors().size() - t;
    }

    /** The scalar c₁ (from {@link ProofMasks.ZkLayout#firstLeafScalar}) of {@code node}; c₂ follows it. −1 for a public x. */
    private static int slot(ProofPlan plan, QNode node) {
        int k = privateInputs(plan.graph, plan).indexOf(node);
        return k < 0 ? -1 : firstScalar(plan) + 2 * k;
    }

    /** The Convs' first scalar of M (from {@link ProofMasks.ZkLayout#firstLeafScalar}): after the leaves', maxima's, sums', products' and merges'. */
    static int firstScalar(ProofPlan plan) {
        return LookupPhase.leafSlots(plan).count() + LinearLayers.privateLeftMatMuls(plan.graph, plan).size() + ZkMaxLayers.scalars(plan)
                + LinearLayers.maskedSums(plan.graph, plan).size() + ZkElementwise.scalars(plan.graph, plan) + ZkClaimMerge.tensors(plan.graph, plan).size();
    }

    /** The first sumcheck's shape: table indices, terms and which tables are masked (by which companion). */
    private record Statement(boolean depthwise, boolean bias, boolean privateInput) {
        int weight() {
            return depthwise ? 1 : 0;
        }

        int view() {
            return weight() + 1;
        }

        int face() {
            return view() + 1;
        }

        /** The bias's indicator of index 0, constant table and its companion: after W's companion. */
        int biasTable() {
            return face() + 2;
        }

        int tables() {
            return bias ? face() + 4 : face() + 1;
        }

        List<ProductTerm> terms(Ext2 rows) {
            ProductTerm product = depthwise ? ProductTerm.of(Ext2.ONE, 0, 1, 2) : ProductTerm.of(Ext2.ONE, 0, 1);
            return bias ? List.of(product, ProductTerm.of(rows, face() + 1, biasTable())) : List.of(product);
        }

        VanishingMask[] hiding(Ext2 c1) {
            VanishingMask[] h = new VanishingMask[tables()];
            h[weight()] = VanishingMask.ofTable(face());
            h[view()] = privateInput ? new VanishingMask(new Ext2[] {c1}) : null;
            if (bias) {
                h[biasTable()] = VanishingMask.ofTable(biasTable() + 1);
            }
            return h;
        }

        int[] degrees(int vars) {
            return ZkSumcheckProver.roundDegrees(vars, terms(Ext2.ONE), false, hiding(Ext2.ZERO));
        }
    }

    private static Statement statement(ProofPlan plan, QNode node, ConvLayer.Geometry g) {
        QOp.Conv conv = (QOp.Conv) node.op();
        return new Statement(g.depthwise(), conv.bias() >= 0, ZeroKnowledge.privateTensors(plan)[conv.x()]);
    }

    /** The round degrees of the Conv's first sumcheck (over kw, kh, c). */
    static int[] degrees(ProofPlan plan, QNode node) {
        ConvLayer.Geometry g = ConvLayer.Geometry.of(plan, node, (QOp.Conv) node.op());
        return statement(plan, node, g).degrees(g.tapBits() + g.channelBits());
    }

    /** The round degrees of the input reduction (over x's variables): x′·S, x′ masked by one coefficient. */
    static int[] reductionDegrees(ProofPlan plan, QNode node) {
        return ZkSelection.degrees(plan.shapes[((QOp.Conv) node.op()).x()].numVars());
    }

    // ---------------------------------------------------------------- prover

    static void prove(ProverContext cx, QNode node, QOp.Conv conv, Claim claim) {
        ProofPlan plan = cx.plan();
        ZkProver zk = cx.zk();
        ProofMasks.Committer masks = zk.masks();
        ConvLayer.Geometry g = ConvLayer.Geometry.of(plan, node, conv);
        Statement st = statement(plan, node, g);
        Ext2[][] r = g.outputParts(claim.point());
        int slot = slot(plan, node);
        List<MleTable> tables = new ArrayList<>(ConvLayer.productTables(cx, g, conv, r));
        long[] face = LinearLayers.weightFace(plan, zk.weightFace(), conv.w());
        tables.add(g.depthwise() ? new BaseTable(face) : new ExtTable(Mle.foldHigh(face, r[1])));
        if (st.bias()) {
            int k = tables.getFirst().length();
            tables.add(new ExtTable(LinearLayers.indicatorOfZero(k)));
            tables.add(new ExtTable(LinearLayers.constant(k, Mle.evaluate(cx.tensors().padded(conv.bias()), r[1]))));
            tables.add(new ExtTable(LinearLayers.constant(k, Mle.evaluate(LinearLayers.weightFace(plan, zk.weightFace(), conv.bias()), r[1]))));
        }
        Ext2 c1 = slot < 0 ? Ext2.ZERO : masks.scalars()[zk.layout().firstLeafScalar() + slot];
        HiddenOffset offset = cx.claims().offset(claim);
        var mask = masks.mask(zk.layout().index(node.output()));
        List<ProductTerm> terms = st.terms(g.rows(r));
        ZkSumcheckProverResult res = offset.isNone()
                ? ZkSumcheckProver.prove(cx.channel().transcript, claim.value(), tables, terms, st.hiding(c1), mask, masks)
                : ZkSumcheckProver.proveWithHiddenOffset(cx.channel().transcript, null, claim.value(), masks.hideOffset(offset), tables, terms,
                        st.hiding(c1), mask, masks);
        res.proof().write(cx.channel().out);
        masks.flush(cx.channel().out);
        Ext2[] ev = res.finalEvaluations();
        Ext2[] rho = res.point();
        Ext2[] sent = st.bias() ? new Ext2[] {ev[st.weight()], ev[st.view()], ev[st.biasTable()]} : new Ext2[] {ev[st.weight()], ev[st.view()]};
        cx.channel().sendExts("conv-evals", sent);
        for (Claim w : weightClaims(plan, conv, g, r, rho, sent)) {
            zk.weightOpenings().add(new PcsOpening(zk.weights(), w.point(), w.value()));
        }

        // Step 2: X̂'s claim reduced to x.
        if (slot < 0) {
            cx.claims().onTensor(conv.x(), SelectionReduction.prove(cx.channel(), cx.tensors().padded(conv.x()), g.selection(r, rho), "conv-input"));
            return;
        }
        ZkSelection.prove(cx, conv.x(), g.selection(r, rho), sent[1], viewOffset(zk.layout(), slot, rho), slot + 1,
                reductionKey(plan.graph, node.output()), "conv-input");
    }

    // ---------------------------------------------------------------- verifier

    static void verify(VerifierContext cx, QNode node, QOp.Conv conv, Claim claim) throws MalformedProofException, ProofRejectedException {
        ProofPlan plan = cx.plan();
        ZkVerifier zk = cx.zk();
        ConvLayer.Geometry g = ConvLayer.Geometry.of(plan, node, conv);
        Statement st = statement(plan, node, g);
        Ext2[][] r = g.outputParts(claim.point());
        int slot = slot(plan, node);
        String what = "node '" + node.onnxName() + "'";
        int[] degrees = st.degrees(g.tapBits() + g.channelBits());
        ZkSumcheckProof proof = ZkSumcheckProof.read(cx.channel().in, degrees);
        SubClaim sub;
        try {
            HiddenOffset offset = cx.claims().offset(claim);
            var masks = zk.masks().sumcheck(zk.layout().index(node.output()));
            int degree = g.depthwise() ? 3 : 2;
            sub = offset.isNone()
                    ? ZkSumcheckVerifier.verify(cx.channel().transcript, claim.value(), degree, degrees, proof, masks)
                    : ZkSumcheckVerifier.verifyWithHiddenOffset(cx.channel().transcript, claim.value(), degree, degrees, proof, masks.hideOffset(offset));
        } catch (SumcheckRejectedException e) {
            throw new ProofRejectedException(what + ": " + e.getMessage(), e);
        }
        Ext2[] sent = cx.channel().receiveExts("conv-evals", st.bias() ? 3 : 2);
        Ext2[] rho = sub.point();
        Ext2 expected = sent[0].mul(sent[1]);
        if (g.depthwise()) {
            expected = expected.mul(Mle.eq(r[1], g.rhoC(rho)));
        }
        if (st.bias()) {
            expected = expected.add(g.rows(r).mul(LinearLayers.atZero(rho)).mul(sent[2]));
        }
        if (!expected.equals(sub.expectedEvaluation())) {
            throw new ProofRejectedException(what + ": Conv sumcheck final evaluation does not match");
        }
        for (Claim w : weightClaims(plan, conv, g, r, rho, sent)) {
            zk.weightClaims().add(new PcsClaim(zk.weightRoot(), zk.weightVars(), w.point(), w.value()));
        }

        String reduction = what + ": Conv input reduction";
        if (slot < 0) {
            SelectionReduction.Reduced red = SelectionReduction.verify(cx.channel(), sent[1], g.x().numVars(), "conv-input", reduction);
            red.check(g.selectionAt(r, rho, red.point()), reduction);
            cx.claims().onTensor(conv.x(), red.claim());
            return;
        }
        ZkSelection.verify(cx, conv.x(), sent[1], viewOffset(zk.layout(), slot, rho), slot + 1, reductionKey(plan.graph, node.output()),
                "conv-input", reduction, p -> g.selectionAt(r, rho, p));
    }

    // ---------------------------------------------------------------- both

    /** X̂′(ρ)'s hidden offset Z(ρ)·c₁. */
    private static HiddenOffset viewOffset(ProofMasks.ZkLayout layout, int slot, Ext2[] rho) {
        return HiddenOffset.scalar(layout, layout.firstLeafScalar() + slot, VanishingMask.vanishing(rho));
    }

    /** The off-face claims f′(p, Z(ρ), 0, …) of W′(ρ) at W's point of ρ and r_o, and of B′(ρ) at r_o. */
    private static List<Claim> weightClaims(ProofPlan plan, QOp.Conv conv, ConvLayer.Geometry g, Ext2[][] r, Ext2[] rho, Ext2[] sent) {
        List<Claim> out = new ArrayList<>();
        out.add(new Claim(LinearLayers.offFacePoint(plan, conv.w(), ConvLayer.weightPoint(g, rho, r[1]), rho), sent[0]));
        if (conv.bias() >= 0) {
            out.add(new Claim(LinearLayers.offFacePoint(plan, conv.bias(), Arrays.copyOf(r[1], r[1].length), rho), sent[2]));
        }
        return out;
    }
}
