package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Ext2;
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
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.sumcheck.VanishingMask;
import dev.verinfer.sumcheck.ZkSumcheckProof;
import dev.verinfer.sumcheck.ZkSumcheckProver;
import dev.verinfer.sumcheck.ZkSumcheckProverResult;
import dev.verinfer.sumcheck.ZkSumcheckVerifier;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.zkml.layout.Broadcast;
import dev.verinfer.zkml.layout.PaddedShape;

import java.util.Arrays;
import java.util.List;

/**
 * The linear ops, each reducing one claim on its (uncommitted) output to claims on its inputs.
 * Prover and verifier sides sit together so that their message order is visibly the same; the
 * maths of each reduction is in docs/proof-system.md.
 */
final class LinearLayers {
    private LinearLayers() {}

    // ---------------------------------------------------------------- prover

    static void prove(ProverContext cx, QNode node, Claim claim) {
        if (cx.zk() != null && ZkElementwise.proves(cx.plan(), node)) {
            ZkElementwise.prove(cx, node, claim, cx.zk().layout().index(node.output()));
            return;
        }
        switch (node.op()) {
            case QOp.MatMul m -> proveMatMul(cx, node, m, claim);
            case QOp.Add a -> proveSum(cx, node, a.a(), a.b(), false, claim);
            case QOp.Sub s -> proveSum(cx, node, s.a(), s.b(), true, claim);
            case QOp.Mul m -> proveMul(cx, node, m, claim);
            case QOp.MulConst m -> {
                if (m.c() != 0) {
                    dividedByConstant(cx.claims(), m, claim);
                }
            }
            case QOp.ReduceSum r -> reduceSumClaim(cx.claims(), cx.plan(), node, r, claim);
            case QOp.Reshape r -> {
                if (keepsLayout(cx.plan(), node, r)) {
                    cx.claims().onTensor(r.x(), claim);
                } else {
                    proveGather(cx, node, reshapeAsGather(cx.plan(), node, r), claim);
                }
            }
            case QOp.Gather g -> proveGather(cx, node, g, claim);
            case QOp.Conv c -> ConvLayer.prove(cx, node, c, claim);
            default -> throw new IllegalStateException("not a linear op: " + node);
        }
    }

    private static void proveMatMul(ProverContext cx, QNode node, QOp.MatMul m, Claim claim) {
        MatMulGeometry geo = new MatMulGeometry(cx.plan(), node, m);
        Ext2[] r = claim.point();
        Ext2[] rN = Arrays.copyOfRange(r, 0, geo.nBits);
        Ext2[] rest = Arrays.copyOfRange(r, geo.nBits, r.length);
        int zk = cx.zk() == null ? -1 : cx.zk().layout().index(node.output());
        if (zk >= 0) {
            proveZkMatMul(cx, node, m, geo, claim, rN, rest, zk);
            return;
        }
        if (m.bias() >= 0) {
            Broadcast bb = geo.biasBroadcast;
            Ext2[] bp = bb.operandPoint(r);
            Ext2 bv = Mle.evaluate(cx.tensors().padded(m.bias()), bp);
            cx.channel().sendExt("matmul-bias", bv);
            cx.claims().onTensor(m.bias(), new Claim(bp, bv));
        }
        if (geo.batchBits > 0) {
            proveBatchedMatMul(cx, m, geo, r, rN, rest);
            return;
        }
        Ext2[] aHigh = geo.aHigh(rest);
        Ext2[] bHigh = geo.bHigh(rest);
        ExtVector aRow = Mle.foldHigh(cx.tensors().padded(m.a()), aHigh);
        ExtVector bCol = Mle.foldLowHigh(cx.tensors().padded(m.b()), rN, bHigh);
        SumcheckProverResult res = SumcheckProver.prove(cx.channel().transcript,
                List.of(new ExtTable(aRow), new ExtTable(bCol)), List.of(new ProductTerm(Ext2.ONE, new int[] {0, 1})));
        res.proof().write(cx.channel().out);
        Ext2[] evals = res.finalEvaluations();
        cx.channel().sendExts("matmul-evals", evals[0], evals[1]);
        cx.claims().onTensor(m.a(), new Claim(concat(res.point(), aHigh), evals[0]));
        cx.claims().onTensor(m.b(), new Claim(concat(concat(rN, res.point()), bHigh), evals[1]));
    }

    /**
     * The zero-knowledge MatMul's statement: Σ_k a(k)·W'(k) [+ f·u(k)·B'(k)], W' = W̃ + Z·h̃ with h (table 2) its
     * companion mask; with a bias, u (table 3) the indicator of k = 0, B (table 4) the constant bias(b_p) and
     * its companion (table 5) the constant h_bias(b_p), so Σ_k u·B' = bias(b_p) and B'(ρ) = f′(b_p, Z(ρ), 0, …).
     */
    private static List<ProductTerm> zkMatMulTerms(boolean bias, Ext2 factor) {
        ProductTerm product = new ProductTerm(Ext2.ONE, new int[] {0, 1});
        return bias ? List.of(product, ProductTerm.of(factor, 3, 4)) : List.of(product);
    }

    /** {@code left}: a's vanishing mask (a private left operand, a′ = ã + Z·c), or null for a public a. */
    private static VanishingMask[] zkMatMulHiding(boolean bias, VanishingMask left) {
        return bias ? new VanishingMask[] {left, VanishingMask.ofTable(2), null, null, VanishingMask.ofTable(5), null}
                : new VanishingMask[] {left, VanishingMask.ofTable(2), null};
    }

    private static int[] zkMatMulDegrees(int kBits, boolean bias, boolean privateLeft) {
        return ZkSumcheckProver.roundDegrees(kBits, zkMatMulTerms(bias, Ext2.ONE), false,
                zkMatMulHiding(bias, privateLeft ? new VanishingMask(new Ext2[] {Ext2.ZERO}) : null));
    }

    /**
     * The zero-knowledge MatMul y = a·W, a public and W a weight ({@link ZeroKnowledge#coveredMatMul}): the
     * sumcheck of y(r) = Σ_k a(k, r_m)·W(r_n, k) runs through {@link ZkSumcheckProver} (Libra §4.1, its mask
     * g in the proof's {@link ProofMasks}) with W entering as W' = W̃ + x_last(1 − x_last)·h̃ (Libra §4.2,
     * with R the first mask face h of the hiding weight commitment f′ = f + y·h + …, so the sum is
     * unchanged). Its final value W'(ρ) = f′(p, Z(ρ), 0, …) is sent and claimed off the face
     * ({@link dev.verinfer.pcs.HidingCommitment#maskFace}): the weights are never evaluated in the clear.
     * a(ρ) is public.
     */
    private static void proveZkMatMul(ProverContext cx, QNode node, QOp.MatMul m, MatMulGeometry geo, Claim claim, Ext2[] rN, Ext2[] rest, int sumcheck) {
        ZkProver zk = cx.zk();
        Ext2[] aHigh = geo.aHigh(rest);
        Ext2[] bHigh = geo.bHigh(rest);
        ExtVector aRow = Mle.foldHigh(cx.tensors().padded(m.a()), aHigh);
        long[] w = cx.tensors().padded(m.b());
        long[] h = weightFace(cx.plan(), zk.weightFace(), m.b());
        ExtVector[] columns = Mle.foldLowHighTwo(w, h, rN, bHigh); // W(rN, ·, bHigh) and h's, in one pass
        ExtVector bCol = columns[0];
        ExtVector hCol = columns[1];
        boolean bias = m.bias() >= 0;
        List<MleTable> tables = new java.util.ArrayList<>(List.of(new ExtTable(aRow), new ExtTable(bCol), new ExtTable(hCol)));
        Ext2 factor = Ext2.ONE;
        Ext2[] bp = null;
        if (bias) {
            bp = geo.biasBroadcast.operandPoint(claim.point());
            factor = geo.biasBroadcast.factor(claim.point());
            int k = aRow.length();
            tables.add(new ExtTable(indicatorOfZero(k)));
            tables.add(new ExtTable(constant(k, Mle.evaluate(cx.tensors().padded(m.bias()), bp))));
            tables.add(new ExtTable(constant(k, Mle.evaluate(weightFace(cx.plan(), zk.weightFace(), m.bias()), bp))));
        }
        HiddenOffset offset = cx.claims().offset(claim);
        int leftSlot = leftMaskSlot(cx.plan(), node.output());
        VanishingMask left = leftSlot < 0 ? null : new VanishingMask(new Ext2[] {zk.masks().scalars()[zk.layout().firstLeafScalar() + leftSlot]});
        VanishingMask[] hiding = zkMatMulHiding(bias, left);
        var mask = zk.masks().mask(sumcheck);
        // A masked claim (a look-up leaf's, v = y(r) + Δ) is reduced with its offset hidden (Δ a functional of M).
        ZkSumcheckProverResult res = offset.isNone()
                ? ZkSumcheckProver.prove(cx.channel().transcript, claim.value(), tables, zkMatMulTerms(bias, factor), hiding, mask, zk.masks())
                : ZkSumcheckProver.proveWithHiddenOffset(cx.channel().transcript, null, claim.value(), zk.masks().hideOffset(offset), tables,
                        zkMatMulTerms(bias, factor), hiding, mask, zk.masks());
        res.proof().write(cx.channel().out);
        zk.masks().flush(cx.channel().out);
        Ext2[] evals = res.finalEvaluations();
        if (bias) {
            cx.channel().sendExts("matmul-evals", evals[0], evals[1], evals[4]);
            zk.weightOpenings().add(new PcsOpening(zk.weights(), offFacePoint(cx.plan(), m.bias(), bp, res.point()), evals[4]));
        } else {
            cx.channel().sendExts("matmul-evals", evals[0], evals[1]);
        }
        recordLeftClaim(cx.claims(), zk.layout(), m.a(), leftSlot, new Claim(concat(res.point(), aHigh), evals[0]), res.point());
        Ext2[] local = concat(concat(rN, res.point()), bHigh);
        List<PieceClaim> pieces = offFacePieces(cx.plan(), m.b(), local, res.point());
        Ext2[] values = new Ext2[pieces.size()];
        if (values.length > 1) { // W′(ρ) = Σ_i c_i·v_i: the pieces after the first are sent, the first follows
            Ext2 z = VanishingMask.vanishing(res.point());
            for (int i = 1; i < values.length; i++) {
                Ext2[] wh = pieces.get(i).evaluate(w, h);
                values[i] = wh[0].add(z.mul(wh[1]));
            }
            cx.channel().sendExts("matmul-pieces", Arrays.copyOfRange(values, 1, values.length));
        }
        values[0] = firstPiece(pieces, evals[1], values);
        for (int i = 0; i < values.length; i++) {
            zk.weightOpenings().add(new PcsOpening(zk.weights(), pieces.get(i).point(), values[i]));
        }
    }

    /**
     * One piece of a weight tensor's off-face claim ({@link dev.verinfer.zkml.layout.WeightLayout}): its point in the packed
     * weights (the tensor point's low coordinates at the piece's block, then Z(ρ)), its coefficient c = eq(high coordinates,
     * the piece's index) in W′(ρ) = Σ_i c_i·f′(point_i), and where its rows start in the tensor's padded table.
     */
    record PieceClaim(Ext2[] point, Ext2 coefficient, Ext2[] low, int from) {
        /** The piece's rows of two tensor-sized tables (the weights and their mask face) at the claim's low coordinates. */
        Ext2[] evaluate(long[] weights, long[] face) {
            return Mle.evaluateTwo(weights, face, from, low);
        }
    }

    /** Weight t's off-face claim at its {@code local} point, one {@link PieceClaim} per piece (one for a whole tensor). */
    static List<PieceClaim> offFacePieces(ProofPlan plan, int t, Ext2[] local, Ext2[] sumcheckPoint) {
        List<PieceClaim> out = new java.util.ArrayList<>();
        for (int item : plan.weightLayout.piecesOf(plan.weightSlot[t])) {
            int vars = plan.weightPacking.itemVars(item);
            Ext2[] low = Arrays.copyOf(local, vars);
            Ext2[] packed = new ClaimBatching.Part(low, vars, plan.weightPacking.offset(item) >>> vars, Ext2.ONE).point(plan.weightPacking.numVars());
            Ext2[] p = Arrays.copyOf(packed, packed.length + 1);
            p[packed.length] = VanishingMask.vanishing(sumcheckPoint);
            out.add(new PieceClaim(p, plan.weightLayout.coefficient(item, local), low, (int) (plan.weightLayout.piece(item).index() << vars)));
        }
        return out;
    }

    /**
     * The first piece's value v_0 = (W′(ρ) − Σ_{i≥1} c_i·v_i) / c_0 (W′(ρ) itself for a whole tensor); c_0 = eq(high, 0) vanishes
     * only where a high coordinate of the sumcheck's point is 1 (probability ≤ its variables / |K|), and then the proof is refused.
     */
    static Ext2 firstPiece(List<PieceClaim> pieces, Ext2 whole, Ext2[] values) {
        Ext2 rest = whole;
        for (int i = 1; i < pieces.size(); i++) {
            rest = rest.sub(pieces.get(i).coefficient().mul(values[i]));
        }
        Ext2 c0 = pieces.getFirst().coefficient();
        if (c0.equals(Ext2.ZERO)) {
            throw new IllegalStateException("a weight piece's coefficient is zero at the sumcheck's point");
        }
        return rest.mul(c0.inverse());
    }

    /**
     * The claim a(ρ, high) = a′(ρ): plain for a public a; for a private a (masked by scalar {@code slot} of M) it
     * carries the hidden offset Z(ρ)·c, Z on the sumcheck's last variable, to the witness opening.
     */
    private static void recordLeftClaim(ClaimBook book, ProofMasks.ZkLayout layout, int a, int slot, Claim claim, Ext2[] rho) {
        if (slot < 0) {
            book.onTensor(a, claim);
        } else {
            book.on(new ProofPlan.TensorSource(a), claim, HiddenOffset.scalar(layout, layout.firstLeafScalar() + slot, VanishingMask.vanishing(rho)));
        }
    }

    /** The indicator of k = 0 over {@code length} entries (its MLE at ρ is Π(1 − ρ_i)). */
    static ExtVector indicatorOfZero(int length) {
        ExtVector v = ExtVector.zeros(length);
        v.set(0, Ext2.ONE);
        return v;
    }

    /** The indicator of k = 0 at ρ: Π(1 − ρ_i). */
    static Ext2 atZero(Ext2[] rho) {
        Ext2 u = Ext2.ONE;
        for (Ext2 r : rho) {
            u = u.mul(Ext2.ONE.sub(r));
        }
        return u;
    }

    static ExtVector constant(int length, Ext2 value) {
        ExtVector v = ExtVector.zeros(length);
        for (int i = 0; i < length; i++) {
            v.set(i, value);
        }
        return v;
    }

    /** Weight tensor t's block of the packed mask face. */
    static long[] weightFace(ProofPlan plan, long[] face, int t) {
        return plan.weightLayout.tensor(face, plan.weightSlot[t]);
    }

    /**
     * The packed weights' point of t's {@code local} point, with the off-face coordinate Z(ρ) of the sumcheck's last
     * challenge, for a weight a zero-knowledge key keeps in one piece (a bias, a Conv's or an elementwise op's weight: only
     * a MatMul's W may be cut, {@link #offFacePieces}).
     */
    static Ext2[] offFacePoint(ProofPlan plan, int t, Ext2[] local, Ext2[] sumcheckPoint) {
        int[] pieces = plan.weightLayout.piecesOf(plan.weightSlot[t]);
        if (pieces.length != 1) {
            throw new IllegalStateException("a zero-knowledge claim on a weight cut into " + pieces.length + " pieces");
        }
        int vars = plan.weightPacking.itemVars(pieces[0]);
        Ext2[] packed = new ClaimBatching.Part(local, vars, plan.weightPacking.offset(pieces[0]) >>> vars, Ext2.ONE)
                .point(plan.weightPacking.numVars());
        Ext2[] p = Arrays.copyOf(packed, packed.length + 1);
        p[packed.length] = VanishingMask.vanishing(sumcheckPoint);
        return p;
    }

    /**
     * The proof's zero-knowledge sumchecks, in proving order (the graph's nodes from the last): one per
     * {@link ZeroKnowledge#coveredMatMul} node, of round degrees 2, …, 2, 4. {@code witnessTail}: the witness commitment's
     * {@link ZkWitnessBatching#tail} (its opening's sumcheck has no vanishing mask when ≥ 0).
     */
    static ProofMasks.ZkLayout zkLayout(dev.verinfer.model.quant.QuantGraph graph, ProofPlan plan, int witnessTail) {
        boolean[] priv = ZeroKnowledge.privateTensors(graph, plan);
        List<Integer> outputs = new java.util.ArrayList<>();
        List<int[]> shapes = new java.util.ArrayList<>();
        for (int i = graph.nodes().size() - 1; i >= 0; i--) {
            QNode node = graph.nodes().get(i);
            if (ZeroKnowledge.coveredMatMul(graph, node, priv, plan)) {
                QOp.MatMul m = (QOp.MatMul) node.op();
                PaddedShape a = plan.shapes[m.a()];
                outputs.add(node.output());
                shapes.add(zkMatMulDegrees(a.bits(a.rank() - 1), m.bias() >= 0, priv[m.a()]));
            }
        }
        boolean leaves = ZeroKnowledge.masksLeaves(graph, plan) && !plan.tables.isEmpty();
        if (leaves) { // the maxima of private values (ZkMaxLayers); the witness opening takes the masked claims (ZkWitnessBatching)
            for (ZkMaxLayers.Masked m : ZkMaxLayers.masked(plan)) {
                outputs.add(m.check().output());
                shapes.add(ZkMaxLayers.degrees(plan, m.check()));
                if (m.pooling()) {
                    outputs.add(ZkMaxLayers.poolingKey(plan, m.check().output()));
                    shapes.add(ZkMaxLayers.poolingDegrees(plan, m));
                }
            }
            for (QNode mul : ZkElementwise.nodes(graph, plan)) {
                outputs.add(mul.output());
                shapes.add(ZkElementwise.degrees(plan, mul));
            }
            for (int t : ZkClaimMerge.tensors(graph, plan)) {
                outputs.add(ZkClaimMerge.key(t));
                shapes.add(ZkClaimMerge.degrees(plan.shapes[t].numVars()));
            }
            for (QNode gather : ZkGather.nodes(graph, plan)) {
                for (int s = 0; s < ZkGather.sources(plan, gather).length; s++) {
                    outputs.add(ZkGather.key(graph, gather, s));
                    shapes.add(ZkGather.degrees(plan, gather, s));
                }
            }
            List<QNode> privateConvInputs = ZkConv.privateInputs(graph, plan);
            for (QNode conv : ZkConv.nodes(graph, plan)) {
                outputs.add(conv.output());
                shapes.add(ZkConv.degrees(plan, conv));
                if (privateConvInputs.contains(conv)) {
                    outputs.add(ZkConv.reductionKey(graph, conv.output()));
                    shapes.add(ZkConv.reductionDegrees(plan, conv));
                }
            }
            for (MaxLayers.ArgmaxCheck a : ZkOneHot.checks(plan)) {
                outputs.add(a.output());
                shapes.add(ZkOneHot.degrees(plan, a));
            }
            outputs.add(ProofMasks.ZkLayout.WITNESS);
            shapes.add(ZkWitnessBatching.degrees(plan.witnessPacking.numVars(), witnessTail));
            for (int t : plan.external.stream().sorted().toList()) { // committed inputs and outputs: opened as the witness is
                outputs.add(ZkWitnessBatching.committedKey(graph, t));
                shapes.add(ZkWitnessBatching.degrees(plan.shapes[t].numVars()));
            }
        }
        if (!outputs.isEmpty() && !plan.weightTensors.isEmpty()) { // the weights' off-face claims merged (ZkWeightBatching)
            outputs.add(ProofMasks.ZkLayout.WEIGHTS);
            shapes.add(ZkWeightBatching.degrees(plan.weightPacking.numVars()));
        }
        return new ProofMasks.ZkLayout(List.copyOf(outputs), List.copyOf(shapes), LookupPhase.maskLayout(plan.tables, leaves),
                leaves ? scalarsBeforeOutputValues(graph, plan) + ZeroKnowledge.committedLinearOutputs(plan).size() : 0);
    }

    /** The leaf-side scalars of M before the committed linear outputs' ones: every other masked value's, in this order. */
    private static int scalarsBeforeOutputValues(dev.verinfer.model.quant.QuantGraph graph, ProofPlan plan) {
        return LookupPhase.leafSlots(plan).count() + privateLeftMatMuls(graph, plan).size() + ZkMaxLayers.scalars(plan)
                + maskedSums(graph, plan).size() + ZkElementwise.scalars(graph, plan)
                + ZkClaimMerge.tensors(graph, plan).size() + ZkConv.scalars(graph, plan) + ZkGather.scalars(graph, plan)
                + 3 * ZkOneHot.checks(plan).size();
    }

    /**
     * The scalar (from {@link ProofMasks.ZkLayout#firstLeafScalar}) δ masking the value sent for committed output t of a linear op
     * in zero knowledge, v′ = t(r) + δ (the last scalars, one per such output in graph order).
     */
    static int outputValueSlot(ProofPlan plan, int t) {
        int k = ZeroKnowledge.committedLinearOutputs(plan).indexOf(t);
        if (k < 0) {
            throw new IllegalStateException("'" + plan.graph.tensor(t).name() + "' is no committed output of a linear op");
        }
        return scalarsBeforeOutputValues(plan.graph, plan) + k;
    }

    /**
     * The zero-knowledge MatMuls with a private left operand, in proving order: each masks a with one scalar of M after the leaf
     * scalars (the maxima's follow, {@link ZkMaxLayers#masked}).
     */
    static List<Integer> privateLeftMatMuls(dev.verinfer.model.quant.QuantGraph graph, ProofPlan plan) {
        return plan != null && graph == plan.graph ? plan.derived("LinearLayers.privateLeftMatMuls", 0, () -> List.copyOf(privateLeftMatMulsScan(graph, plan))) : privateLeftMatMulsScan(graph, plan);
    }

    private static List<Integer> privateLeftMatMulsScan(dev.verinfer.model.quant.QuantGraph graph, ProofPlan plan) {
        boolean[] priv = ZeroKnowledge.privateTensors(graph, plan);
        List<Integer> out = new java.util.ArrayList<>();
        for (int i = graph.nodes().size() - 1; i >= 0; i--) {
            QNode node = graph.nodes().get(i);
            if (node.op() instanceof QOp.MatMul m && priv[m.a()] && ZeroKnowledge.coveredMatMul(graph, node, priv, plan)) {
                out.add(node.output());
            }
        }
        return out;
    }

    /** The scalar (from {@link ProofMasks.ZkLayout#firstLeafScalar}) masking the private left operand of the MatMul writing {@code output}, or −1. */
    private static int leftMaskSlot(ProofPlan plan, int output) {
        int k = privateLeftMatMuls(plan.graph, plan).indexOf(output);
        return k < 0 ? -1 : LookupPhase.leafSlots(plan).count() + k;
    }

    /**
     * Both operands carry the batch axes (attention heads: scores = Q·Kᵀ, out = P·V). The batch
     * variables h are shared by both factors, so they cannot be fixed to r_h before the product
     * (the MLE of a product is not the product of MLEs): the sumcheck runs over (k, h),
     * y(r) = Σ_{k,h} eq(r_h, h)·a(k, r_m, h)·b(r_n, k, h), degree 3.
     */
    private static void proveBatchedMatMul(ProverContext cx, QOp.MatMul m, MatMulGeometry geo, Ext2[] r, Ext2[] rN, Ext2[] rest) {
        Ext2[] rM = Arrays.copyOfRange(rest, 0, geo.mBits);
        Ext2[] rH = Arrays.copyOfRange(rest, geo.mBits, rest.length);
        ExtVector aKH = foldMiddle(cx.tensors().padded(m.a()), geo.kBits, rM);
        ExtVector bKH = Mle.foldLow(cx.tensors().padded(m.b()), rN);
        ExtVector eqH = Mle.eqTable(rH);
        ExtVector eqKH = ExtVector.zeros(aKH.length());
        for (int i = 0; i < aKH.length(); i++) {
            eqKH.c0()[i] = eqH.c0()[i >>> geo.kBits];
            eqKH.c1()[i] = eqH.c1()[i >>> geo.kBits];
        }
        SumcheckProverResult res = SumcheckProver.prove(cx.channel().transcript,
                List.of(new ExtTable(eqKH), new ExtTable(aKH), new ExtTable(bKH)), List.of(new ProductTerm(Ext2.ONE, new int[] {0, 1, 2})));
        res.proof().write(cx.channel().out);
        Ext2[] evals = res.finalEvaluations();
        cx.channel().sendExts("matmul-evals", evals[1], evals[2]);
        Ext2[] rhoK = Arrays.copyOfRange(res.point(), 0, geo.kBits);
        Ext2[] rhoH = Arrays.copyOfRange(res.point(), geo.kBits, res.point().length);
        cx.claims().onTensor(m.a(), new Claim(concat(rhoK, rM, rhoH), evals[1]));
        cx.claims().onTensor(m.b(), new Claim(concat(rN, rhoK, rhoH), evals[2]));
    }

    /** a(x_low, point, x_high) as a table over (x_low, x_high): the {@code point.length} variables above the lowest {@code low} bound. */
    private static ExtVector foldMiddle(long[] table, int low, Ext2[] point) {
        ExtVector eq = Mle.eqTable(point);
        int lowSize = 1 << low;
        int midSize = 1 << point.length;
        int highSize = table.length / (lowSize * midSize);
        ExtVector out = ExtVector.zeros(lowSize * highSize);
        for (int h = 0; h < highSize; h++) {
            for (int mid = 0; mid < midSize; mid++) {
                Ext2 w = new Ext2(eq.c0()[mid], eq.c1()[mid]);
                int base = (h * midSize + mid) * lowSize;
                for (int k = 0; k < lowSize; k++) {
                    long v = table[base + k];
                    if (v != 0) {
                        int o = h * lowSize + k;
                        out.c0()[o] = BranchFree.add(out.c0()[o], BranchFree.mul(w.c0(), v));
                        out.c1()[o] = BranchFree.add(out.c1()[o], BranchFree.mul(w.c1(), v));
                    }
                }
            }
        }
        return out;
    }

    static Ext2[] concat(Ext2[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(Ext2[]::new);
    }

    private static void proveSum(ProverContext cx, QNode node, int a, int b, boolean subtract, Claim claim) {
        if (cx.zk() != null && ZeroKnowledge.sumsPrivate(cx.plan(), node)) {
            ZkProver zk = cx.zk();
            int slot = sumMaskSlot(cx.plan(), node.output());
            Ext2 delta = slot < 0 ? Ext2.ZERO : zk.masks().scalars()[zk.layout().firstLeafScalar() + slot];
            try {
                zkSum(cx.claims(), zk.layout(), cx.plan(), node, subtract, claim, (operand, point, masked) -> {
                    Ext2 v = Mle.evaluate(cx.tensors().padded(operand), point);
                    v = masked ? v.add(delta) : v;
                    cx.channel().sendExt("sum-operand", v);
                    return v;
                });
            } catch (ProofRejectedException | MalformedProofException e) {
                throw new IllegalStateException(e.getMessage(), e); // a zero broadcast factor at a random point: negligible
            }
            return;
        }
        PaddedShape out = cx.plan().shapes[node.output()];
        for (int operand : new int[] {a, b}) {
            Broadcast bc = new Broadcast(cx.plan().shapes[operand], out);
            Ext2[] p = bc.operandPoint(claim.point());
            Ext2 v = Mle.evaluate(cx.tensors().padded(operand), p);
            cx.channel().sendExt("sum-operand", v);
            cx.claims().onTensor(operand, new Claim(p, v));
        }
    }

    private static void proveMul(ProverContext cx, QNode node, QOp.Mul m, Claim claim) {
        PaddedShape out = cx.plan().shapes[node.output()];
        Broadcast ba = new Broadcast(cx.plan().shapes[m.a()], out);
        Broadcast bb = new Broadcast(cx.plan().shapes[m.b()], out);
        long[] a = ba.expand(cx.tensors().padded(m.a()));
        long[] b = bb.expand(cx.tensors().padded(m.b()));
        SumcheckProverResult res = SumcheckProver.prove(cx.channel().transcript,
                List.of(new ExtTable(Mle.eqTable(claim.point())), new BaseTable(a), new BaseTable(b)),
                List.of(new ProductTerm(Ext2.ONE, new int[] {0, 1, 2})));
        res.proof().write(cx.channel().out);
        Ext2[] evals = res.finalEvaluations();
        cx.channel().sendExts("mul-evals", evals[1], evals[2]);
        cx.claims().onTensor(m.a(), new Claim(ba.operandPoint(res.point()), evals[1]));
        cx.claims().onTensor(m.b(), new Claim(bb.operandPoint(res.point()), evals[2]));
    }

    static void proveGather(ProverContext cx, QNode node, QOp.Gather g, Claim claim) {
        if (cx.zk() != null && cx.zk().layout().index(node.output()) >= 0) { // private sources (ZkGather)
            ZkGather.prove(cx, node, gatherSelectors(cx.plan(), node, g, claim.point()), claim);
            return;
        }
        int sources = g.sources().length;
        ExtVector[] selectors = gatherSelectors(cx.plan(), node, g, claim.point());
        Ext2[] partial = new Ext2[sources];
        for (int s = 0; s < sources; s++) {
            partial[s] = innerProduct(cx.tensors().padded(g.sources()[s]), selectors[s]);
        }
        cx.channel().sendExts("gather-partials", partial);
        for (int s = 0; s < sources; s++) {
            cx.claims().onTensor(g.sources()[s], SelectionReduction.prove(cx.channel(), cx.tensors().padded(g.sources()[s]), selectors[s], "gather-eval"));
        }
    }

    /** Per source s, S_r(j) = Σ_{i: π(i) = (s, j)} eq(r, i) over its padded layout. */
    static ExtVector[] gatherSelectors(ProofPlan plan, QNode node, QOp.Gather g, Ext2[] r) {
        PaddedShape out = plan.shapes[node.output()];
        ExtVector eqR = Mle.eqTable(r);
        int sources = g.sources().length;
        ExtVector[] selectors = new ExtVector[sources];
        for (int s = 0; s < sources; s++) {
            selectors[s] = ExtVector.zeros(plan.shapes[g.sources()[s]].paddedSize());
        }
        for (int i = 0; i < g.srcIndex().length; i++) {
            if (g.srcIndex()[i] < 0) {
                continue;
            }
            int s = g.srcInput()[i];
            int j = plan.shapes[g.sources()[s]].paddedIndex(g.srcIndex()[i]);
            int yi = out.paddedIndex(i);
            ExtVector sel = selectors[s];
            sel.c0()[j] = BranchFree.add(sel.c0()[j], eqR.c0()[yi]);
            sel.c1()[j] = BranchFree.add(sel.c1()[j], eqR.c1()[yi]);
        }
        return selectors;
    }

    /** S_r of source s at ρ: Σ_i eq(r, P_out(i))·eq(ρ, P_src(index_i)) over the entries taken from it, O(|out| + |src|). */
    static Ext2 gatherSelectionAt(ProofPlan plan, QNode node, QOp.Gather g, int s, Ext2[] r, Ext2[] rho) {
        PaddedShape out = plan.shapes[node.output()];
        PaddedShape src = plan.shapes[g.sources()[s]];
        ExtVector eqR = Mle.eqTable(r);
        ExtVector eqRho = Mle.eqTable(rho);
        long c0 = 0;
        long c1 = 0;
        for (int i = 0; i < g.srcIndex().length; i++) {
            if (g.srcIndex()[i] < 0 || g.srcInput()[i] != s) {
                continue;
            }
            int yi = out.paddedIndex(i);
            int j = src.paddedIndex(g.srcIndex()[i]);
            Ext2 term = new Ext2(eqR.c0()[yi], eqR.c1()[yi]).mul(new Ext2(eqRho.c0()[j], eqRho.c1()[j]));
            c0 = Goldilocks.add(c0, term.c0());
            c1 = Goldilocks.add(c1, term.c1());
        }
        return new Ext2(c0, c1);
    }

    /** Σ_i base[i]·ext[i], each coordinate a lazily reduced dot product. */
    static Ext2 innerProduct(long[] base, ExtVector ext) {
        return new Ext2(BranchFree.dot(base, 0, ext.c0(), 0, base.length), BranchFree.dot(base, 0, ext.c1(), 0, base.length));
    }

    // ---------------------------------------------------------------- verifier

    static void verify(VerifierContext cx, QNode node, Claim claim) throws MalformedProofException, ProofRejectedException {
        if (cx.zk() != null && ZkElementwise.proves(cx.plan(), node)) {
            ZkElementwise.verify(cx, node, claim, cx.zk().layout().index(node.output()));
            return;
        }
        switch (node.op()) {
            case QOp.MatMul m -> verifyMatMul(cx, node, m, claim);
            case QOp.Add a -> verifySum(cx, node, a.a(), a.b(), false, claim);
            case QOp.Sub s -> verifySum(cx, node, s.a(), s.b(), true, claim);
            case QOp.Mul m -> verifyMul(cx, node, m, claim);
            case QOp.MulConst m -> {
                if (m.c() != 0) {
                    dividedByConstant(cx.claims(), m, claim);
                } else if (!claim.value().isZero()) {
                    throw new ProofRejectedException("node '" + node.onnxName() + "': product by zero claimed non-zero");
                }
            }
            case QOp.ReduceSum r -> reduceSumClaim(cx.claims(), cx.plan(), node, r, claim);
            case QOp.Reshape r -> {
                if (keepsLayout(cx.plan(), node, r)) {
                    cx.claims().onTensor(r.x(), claim);
                } else {
                    verifyGather(cx, node, reshapeAsGather(cx.plan(), node, r), claim);
                }
            }
            case QOp.Gather g -> verifyGather(cx, node, g, claim);
            case QOp.Conv c -> ConvLayer.verify(cx, node, c, claim);
            default -> throw new IllegalStateException("not a linear op: " + node);
        }
    }

    private static void verifyMatMul(VerifierContext cx, QNode node, QOp.MatMul m, Claim claim) throws MalformedProofException, ProofRejectedException {
        MatMulGeometry geo = new MatMulGeometry(cx.plan(), node, m);
        Ext2[] r = claim.point();
        Ext2[] rN = Arrays.copyOfRange(r, 0, geo.nBits);
        Ext2[] rest = Arrays.copyOfRange(r, geo.nBits, r.length);
        int zk = cx.zk() == null ? -1 : cx.zk().layout().index(node.output());
        if (zk >= 0) {
            verifyZkMatMul(cx, node, m, geo, claim, rN, rest, zk);
            return;
        }
        Ext2 sum = claim.value();
        if (m.bias() >= 0) {
            Broadcast bb = geo.biasBroadcast;
            Ext2 bv = cx.channel().receiveExt("matmul-bias");
            cx.claims().onTensor(m.bias(), new Claim(bb.operandPoint(r), bv));
            // The bias is added to real rows only: weight it by the indicator of the broadcast dimensions.
            sum = sum.sub(bv.mul(bb.factor(r)));
        }
        if (geo.batchBits > 0) {
            // y(r) = Σ_{k,h} eq(r_h, h)·a(k, r_m, h)·b(r_n, k, h): see proveBatchedMatMul.
            Ext2[] rM = Arrays.copyOfRange(rest, 0, geo.mBits);
            Ext2[] rH = Arrays.copyOfRange(rest, geo.mBits, rest.length);
            SubClaim sub = cx.channel().sumcheck(sum, geo.kBits + geo.batchBits, 3, "node '" + node.onnxName() + "'");
            Ext2[] evals = cx.channel().receiveExts("matmul-evals", 2);
            Ext2[] rhoK = Arrays.copyOfRange(sub.point(), 0, geo.kBits);
            Ext2[] rhoH = Arrays.copyOfRange(sub.point(), geo.kBits, sub.point().length);
            if (!Mle.eq(rH, rhoH).mul(evals[0]).mul(evals[1]).equals(sub.expectedEvaluation())) {
                throw new ProofRejectedException("node '" + node.onnxName() + "': batched MatMul sumcheck final evaluation does not match");
            }
            cx.claims().onTensor(m.a(), new Claim(concat(rhoK, rM, rhoH), evals[0]));
            cx.claims().onTensor(m.b(), new Claim(concat(rN, rhoK, rhoH), evals[1]));
            return;
        }
        SubClaim sub = cx.channel().sumcheck(sum, geo.kBits, 2, "node '" + node.onnxName() + "'");
        Ext2[] evals = cx.channel().receiveExts("matmul-evals", 2);
        if (!evals[0].mul(evals[1]).equals(sub.expectedEvaluation())) {
            throw new ProofRejectedException("node '" + node.onnxName() + "': MatMul sumcheck final evaluation does not match");
        }
        cx.claims().onTensor(m.a(), new Claim(concat(sub.point(), geo.aHigh(rest)), evals[0]));
        cx.claims().onTensor(m.b(), new Claim(concat(concat(rN, sub.point()), geo.bHigh(rest)), evals[1]));
    }

    /** The verifier of {@link #proveZkMatMul}: the off-face weight claim goes to the final batch. */
    private static void verifyZkMatMul(VerifierContext cx, QNode node, QOp.MatMul m, MatMulGeometry geo, Claim claim, Ext2[] rN, Ext2[] rest,
                                       int sumcheck) throws MalformedProofException, ProofRejectedException {
        ZkVerifier zk = cx.zk();
        boolean bias = m.bias() >= 0;
        int leftSlot = leftMaskSlot(cx.plan(), node.output());
        int[] degrees = zkMatMulDegrees(geo.kBits, bias, leftSlot >= 0);
        ZkSumcheckProof proof = ZkSumcheckProof.read(cx.channel().in, degrees);
        SubClaim sub;
        try {
            HiddenOffset offset = cx.claims().offset(claim);
            sub = offset.isNone()
                    ? ZkSumcheckVerifier.verify(cx.channel().transcript, claim.value(), 2, degrees, proof, zk.masks().sumcheck(sumcheck))
                    : ZkSumcheckVerifier.verifyWithHiddenOffset(cx.channel().transcript, claim.value(), 2, degrees, proof,
                            zk.masks().sumcheck(sumcheck).hideOffset(offset));
        } catch (SumcheckRejectedException e) {
            throw new ProofRejectedException("node '" + node.onnxName() + "': " + e.getMessage(), e);
        }
        Ext2[] evals = cx.channel().receiveExts("matmul-evals", bias ? 3 : 2);
        Ext2 expected = evals[0].mul(evals[1]);
        if (bias) {
            // + f·u(ρ)·B'(ρ), u(ρ) = eq(0, ρ); B'(ρ) is the bias claimed off the face at its broadcast point.
            Ext2[] bp = geo.biasBroadcast.operandPoint(claim.point());
            expected = expected.add(geo.biasBroadcast.factor(claim.point()).mul(atZero(sub.point())).mul(evals[2]));
            zk.weightClaims().add(new PcsClaim(zk.weightRoot(), zk.weightVars(), offFacePoint(cx.plan(), m.bias(), bp, sub.point()), evals[2]));
        }
        if (!expected.equals(sub.expectedEvaluation())) {
            throw new ProofRejectedException("node '" + node.onnxName() + "': MatMul sumcheck final evaluation does not match");
        }
        Ext2[] aHigh = geo.aHigh(rest);
        recordLeftClaim(cx.claims(), zk.layout(), m.a(), leftSlot, new Claim(concat(sub.point(), aHigh), evals[0]), sub.point());
        List<PieceClaim> pieces = offFacePieces(cx.plan(), m.b(), concat(concat(rN, sub.point()), geo.bHigh(rest)), sub.point());
        Ext2[] values = new Ext2[pieces.size()];
        if (values.length > 1) {
            System.arraycopy(cx.channel().receiveExts("matmul-pieces", values.length - 1), 0, values, 1, values.length - 1);
        }
        try {
            values[0] = firstPiece(pieces, evals[1], values);
        } catch (IllegalStateException e) {
            throw new ProofRejectedException("node '" + node.onnxName() + "': " + e.getMessage());
        }
        for (int i = 0; i < values.length; i++) {
            zk.weightClaims().add(new PcsClaim(zk.weightRoot(), zk.weightVars(), pieces.get(i).point(), values[i]));
        }
    }

    private static void verifySum(VerifierContext cx, QNode node, int a, int b, boolean subtract, Claim claim)
            throws MalformedProofException, ProofRejectedException {
        if (cx.zk() != null && ZeroKnowledge.sumsPrivate(cx.plan(), node)) {
            zkSum(cx.claims(), cx.zk().layout(), cx.plan(), node, subtract, claim, (operand, point, masked) -> cx.channel().receiveExt("sum-operand"));
            return;
        }
        PaddedShape out = cx.plan().shapes[node.output()];
        Broadcast ba = new Broadcast(cx.plan().shapes[a], out);
        Broadcast bb = new Broadcast(cx.plan().shapes[b], out);
        Ext2 va = cx.channel().receiveExt("sum-operand");
        Ext2 vb = cx.channel().receiveExt("sum-operand");
        Ext2 left = va.mul(ba.factor(claim.point()));
        Ext2 right = vb.mul(bb.factor(claim.point()));
        Ext2 expected = subtract ? left.sub(right) : left.add(right);
        if (!expected.equals(claim.value())) {
            throw new ProofRejectedException("node '" + node.onnxName() + "': operands do not add up to the claimed output");
        }
        cx.claims().onTensor(a, new Claim(ba.operandPoint(claim.point()), va));
        cx.claims().onTensor(b, new Claim(bb.operandPoint(claim.point()), vb));
    }

    private static void verifyMul(VerifierContext cx, QNode node, QOp.Mul m, Claim claim) throws MalformedProofException, ProofRejectedException {
        PaddedShape out = cx.plan().shapes[node.output()];
        Broadcast ba = new Broadcast(cx.plan().shapes[m.a()], out);
        Broadcast bb = new Broadcast(cx.plan().shapes[m.b()], out);
        SubClaim sub = cx.channel().sumcheck(claim.value(), out.numVars(), 3, "node '" + node.onnxName() + "'");
        Ext2[] evals = cx.channel().receiveExts("mul-evals", 2);
        Ext2 eq = Mle.eq(claim.point(), sub.point());
        if (!eq.mul(evals[0]).mul(evals[1]).equals(sub.expectedEvaluation())) {
            throw new ProofRejectedException("node '" + node.onnxName() + "': Mul sumcheck final evaluation does not match");
        }
        cx.claims().onTensor(m.a(), new Claim(ba.operandPoint(sub.point()), evals[0]));
        cx.claims().onTensor(m.b(), new Claim(bb.operandPoint(sub.point()), evals[1]));
    }

    static void verifyGather(VerifierContext cx, QNode node, QOp.Gather g, Claim claim) throws MalformedProofException, ProofRejectedException {
        ProofPlan plan = cx.plan();
        if (cx.zk() != null && cx.zk().layout().index(node.output()) >= 0) {
            ZkGather.verify(cx, node, claim, (s, rho) -> gatherSelectionAt(plan, node, g, s, claim.point(), rho));
            return;
        }
        int sources = g.sources().length;
        Ext2[] partial = cx.channel().receiveExts("gather-partials", sources);
        Ext2 total = Ext2.ZERO;
        for (Ext2 p : partial) {
            total = total.add(p);
        }
        if (!total.equals(claim.value())) {
            throw new ProofRejectedException("node '" + node.onnxName() + "': gathered parts do not add up to the claimed output");
        }
        for (int s = 0; s < sources; s++) {
            PaddedShape src = plan.shapes[g.sources()[s]];
            String what = "node '" + node.onnxName() + "': gather";
            SelectionReduction.Reduced sub = SelectionReduction.verify(cx.channel(), partial[s], src.numVars(), "gather-eval", what);
            sub.check(gatherSelectionAt(plan, node, g, s, claim.point(), sub.point()), what);
            cx.claims().onTensor(g.sources()[s], sub.claim());
        }
    }

    // ---------------------------------------------------------------- shared geometry

    /** The value an Add/Sub operand's claim takes: evaluated and sent by the prover (+ δ when masked), received by the verifier. */
    @FunctionalInterface
    private interface SumOperand {
        Ext2 value(int operand, Ext2[] point, boolean masked) throws MalformedProofException;
    }

    /**
     * The zero-knowledge Add/Sub y = f_a·a ± f_b·b of private values ({@link ZeroKnowledge#sumsPrivate}), both sides. A claim
     * v = ỹ(r) + Δ (Δ its hidden offset, none for a plain claim) becomes: a public operand's value, sent in the clear with a plain
     * claim; a second private operand's ({@link ZeroKnowledge#maskedSumOperand}) sent as b′ = b̃(p_b) + δ, δ a scalar of M read by
     * nothing else, its claim carrying the offset δ; and the first private operand's value derived, not sent:
     * a = (v − Σ_others ±f·value)/(±f_a), a claim with the offset (Δ − Σ_masked ±f·δ)/(±f_a) — exactly the plain protocol's
     * check v = Σ ±f·value solved for the one value it leaves, so every claim is as binding as there. Nothing sent depends on a
     * private value but through δ (docs/proof-system.md, "Add and Sub of private values").
     *
     * @throws ProofRejectedException when the derived operand's broadcast factor is 0 at the claim's point (probability
     *         ≤ n/|F_{p²}| over the point: the prover fails too)
     */
    private static void zkSum(ClaimBook book, ProofMasks.ZkLayout layout, ProofPlan plan, QNode node, boolean subtract, Claim claim, SumOperand sent)
            throws MalformedProofException, ProofRejectedException {
        boolean[] priv = ZeroKnowledge.privateTensors(plan);
        PaddedShape out = plan.shapes[node.output()];
        int[] operands = node.inputs();
        int masked = ZeroKnowledge.maskedSumOperand(plan, node);
        int derived = priv[operands[0]] && masked != 0 ? 0 : 1;
        Ext2 rest = claim.value();
        HiddenOffset offset = book.offset(claim);
        Ext2 derivedFactor = null;
        Ext2[] derivedPoint = null;
        for (int i = 0; i < operands.length; i++) {
            Broadcast bc = new Broadcast(plan.shapes[operands[i]], out);
            Ext2 factor = i == 1 && subtract ? bc.factor(claim.point()).neg() : bc.factor(claim.point());
            Ext2[] point = bc.operandPoint(claim.point());
            if (i == derived) {
                derivedFactor = factor;
                derivedPoint = point;
                continue;
            }
            Ext2 value = sent.value(operands[i], point, i == masked);
            rest = rest.sub(factor.mul(value));
            if (i == masked) {
                HiddenOffset delta = HiddenOffset.scalar(layout, layout.firstLeafScalar() + sumMaskSlot(plan, node.output()), Ext2.ONE);
                book.on(new ProofPlan.TensorSource(operands[i]), new Claim(point, value), delta);
                offset = offset.plus(delta.times(factor.neg()));
            } else {
                book.onTensor(operands[i], new Claim(point, value));
            }
        }
        if (derivedFactor.isZero()) {
            throw new ProofRejectedException("node '" + node.onnxName() + "': the private operand's broadcast factor is 0 at the claim's point");
        }
        Ext2 inverse = derivedFactor.inverse();
        Claim d = new Claim(derivedPoint, rest.mul(inverse));
        book.onTensor(operands[derived], d);
        if (!offset.isNone()) {
            book.mask(d, offset.times(inverse));
        }
    }

    /**
     * The zero-knowledge Add/Subs that mask a second private operand ({@link ZeroKnowledge#maskedSumOperand}), in proving order:
     * one scalar of M each, after the maxima's ({@link ZkMaxLayers#scalars}).
     */
    static List<Integer> maskedSums(dev.verinfer.model.quant.QuantGraph graph, ProofPlan plan) {
        return plan != null && graph == plan.graph ? plan.derived("LinearLayers.maskedSums", 0, () -> List.copyOf(maskedSumsScan(graph, plan))) : maskedSumsScan(graph, plan);
    }

    private static List<Integer> maskedSumsScan(dev.verinfer.model.quant.QuantGraph graph, ProofPlan plan) {
        List<Integer> out = new java.util.ArrayList<>();
        for (int i = graph.nodes().size() - 1; i >= 0; i--) {
            QNode node = graph.nodes().get(i);
            if (ZeroKnowledge.sumsPrivate(plan, node) && ZeroKnowledge.maskedSumOperand(plan, node) >= 0) {
                out.add(node.output());
            }
        }
        return out;
    }

    /** The scalar (from {@link ProofMasks.ZkLayout#firstLeafScalar}) of the Add/Sub writing {@code output}, or −1 when it masks none. */
    private static int sumMaskSlot(ProofPlan plan, int output) {
        int k = maskedSums(plan.graph, plan).indexOf(output);
        return k < 0 ? -1 : LookupPhase.leafSlots(plan).count() + privateLeftMatMuls(plan.graph, plan).size() + ZkMaxLayers.scalars(plan) + k;
    }

    /** y = c·x, so x(r) = y(r)/c. */
    private static void dividedByConstant(ClaimBook claims, QOp.MulConst m, Claim claim) {
        forward(claims, m.x(), claim, claim.point(), Ext2.of(Goldilocks.inverse(Goldilocks.fromSigned(m.c()))));
    }

    /**
     * The claim x(p) = factor·v that a claim v on an op's output gives on its input x when the op's multilinear extension
     * is linear with no message (MulConst, ReduceSum). A masked claim (v = ỹ(r) + Δ, a look-up leaf's in zero knowledge)
     * gives the masked claim x̃(p) + factor·Δ: its hidden offset scaled, for x's own consumer (the witness opening, or a
     * zero-knowledge MatMul) to take; nothing is sent, so nothing new is revealed.
     */
    private static void forward(ClaimBook claims, int x, Claim claim, Ext2[] point, Ext2 factor) {
        Claim out = new Claim(point, claim.value().mul(factor));
        claims.onTensor(x, out);
        HiddenOffset offset = claims.offset(claim);
        if (!offset.isNone()) {
            claims.mask(out, offset.times(factor));
        }
    }

    /** Σ over a boolean subcube of a multilinear x equals 2^m·x(½, …, ½) on those m variables. */
    private static void reduceSumClaim(ClaimBook claims, ProofPlan plan, QNode node, QOp.ReduceSum r, Claim claim) {
        PaddedShape x = plan.shapes[r.x()];
        int rank = x.rank();
        boolean[] reduced = new boolean[rank];
        for (int a : r.axes()) {
            reduced[a < 0 ? a + rank : a] = true;
        }
        PaddedShape y = plan.shapes[node.output()];
        Ext2 half = Ext2.of(Goldilocks.inverse(2));
        Ext2[] p = new Ext2[x.numVars()];
        int reducedVars = 0;
        int yDim = r.keepdims() ? rank - 1 : y.rank() - 1;
        boolean scalarOut = !r.keepdims() && countFalse(reduced) == 0;
        for (int d = rank - 1; d >= 0; d--) {
            int first = x.firstVar(d);
            if (reduced[d]) {
                for (int j = 0; j < x.bits(d); j++) {
                    p[first + j] = half;
                }
                reducedVars += x.bits(d);
                if (r.keepdims()) {
                    yDim--;
                }
            } else {
                int yFirst = y.firstVar(yDim);
                for (int j = 0; j < x.bits(d); j++) {
                    p[first + j] = claim.point()[yFirst + j];
                }
                yDim--;
            }
        }
        if (scalarOut && claim.point().length != 0) {
            throw new IllegalStateException("scalar ReduceSum output with variables");
        }
        forward(claims, r.x(), claim, p, Ext2.of(Goldilocks.inverse(Goldilocks.pow(2, reducedVars))));
    }

    private static int countFalse(boolean[] b) {
        int n = 0;
        for (boolean v : b) {
            if (!v) {
                n++;
            }
        }
        return n;
    }

    /** {@link #sameLayout} of a Reshape's input and output, found once per plan (a walk over the tensor's indices). */
    static boolean keepsLayout(ProofPlan plan, QNode node, QOp.Reshape r) {
        return plan.derived("LinearLayers.keepsLayout", node.output(), () -> sameLayout(plan.shapes[r.x()], plan.shapes[node.output()]));
    }

    /** Whether two shapes put every flat index at the same padded index (a reshape between them is free). */
    static boolean sameLayout(PaddedShape a, PaddedShape b) {
        if (a.numVars() != b.numVars() || a.realSize() != b.realSize()) {
            return false;
        }
        for (long i = 0; i < a.realSize(); i++) {
            if (a.paddedIndex(i) != b.paddedIndex(i)) {
                return false;
            }
        }
        return true;
    }

    static QOp.Gather reshapeAsGather(ProofPlan plan, QNode node, QOp.Reshape r) {
        int n = (int) plan.shapes[node.output()].realSize();
        int[] srcIndex = new int[n];
        for (int i = 0; i < n; i++) {
            srcIndex[i] = i;
        }
        return new QOp.Gather(new int[] {r.x()}, new int[n], srcIndex);
    }

    private static Ext2[] concat(Ext2[] low, Ext2[] high) {
        Ext2[] p = Arrays.copyOf(low, low.length + high.length);
        System.arraycopy(high, 0, p, low.length, high.length);
        return p;
    }

    /**
     * Variable bookkeeping of y[.., M, N] = a[.., M, K]·b[(..,) K, N], batch dimensions broadcast
     * numpy-style (right-aligned). y's variables, low first: n, m, then its batch dimensions from the
     * innermost out. a's are k, m, then those of its batch dimensions that it does not broadcast; b's
     * are n, k, then likewise. A dimension an operand broadcasts has no variables in it, so its claim
     * drops y's variables there (as {@link Broadcast} does for the elementwise ops); the product
     * identity still holds on y's whole hypercube because the other operand carries that dimension
     * with zero padding.
     */
    private static final class MatMulGeometry {
        final int nBits;
        final int mBits;
        final int kBits;
        /** Variables of y's batch dimensions when a and b both carry every one of them (attention heads), else 0. */
        final int batchBits;
        final Broadcast biasBroadcast;
        private final PaddedShape y;
        private final PaddedShape a;
        private final PaddedShape b;

        MatMulGeometry(ProofPlan plan, QNode node, QOp.MatMul m) {
            a = plan.shapes[m.a()];
            b = plan.shapes[m.b()];
            y = plan.shapes[node.output()];
            if (a.rank() < 2 || b.rank() < 2 || a.rank() > y.rank() || b.rank() > y.rank()) {
                throw new IllegalStateException("node '" + node.onnxName() + "': MatMul operands " + a + " and " + b + " do not fit its output " + y);
            }
            nBits = y.bits(y.rank() - 1);
            mBits = y.bits(y.rank() - 2);
            kBits = a.bits(a.rank() - 1);
            for (int d = 0; d < y.rank() - 2; d++) {
                if (!carries(a, d) && !carries(b, d) && y.dim(d) > 1) {
                    throw new IllegalStateException("node '" + node.onnxName() + "': batch dimension " + d + " of " + y + " comes from neither operand");
                }
            }
            int shared = 0;
            boolean both = true;
            for (int d = 0; d < y.rank() - 2; d++) {
                shared += y.bits(d);
                both &= y.bits(d) == 0 || carries(a, d) && carries(b, d);
            }
            batchBits = both ? shared : 0;
            biasBroadcast = m.bias() >= 0 ? new Broadcast(plan.shapes[m.bias()], y) : null;
        }

        /** Whether the operand has y's batch dimension d itself (not broadcast). */
        private boolean carries(PaddedShape operand, int d) {
            int od = d - (y.rank() - operand.rank());
            return od >= 0 && operand.dim(od) == y.dim(d);
        }

        /** y's variables above n restricted to the operand's: m (for a), then the batch dimensions it carries. */
        private Ext2[] high(PaddedShape operand, boolean withRows, Ext2[] rest) {
            java.util.List<Ext2> p = new java.util.ArrayList<>();
            if (withRows) {
                p.addAll(Arrays.asList(rest).subList(0, mBits));
            }
            for (int d = y.rank() - 3; d >= 0; d--) {
                if (carries(operand, d)) {
                    int first = y.firstVar(d) - nBits;
                    p.addAll(Arrays.asList(rest).subList(first, first + y.bits(d)));
                }
            }
            return p.toArray(Ext2[]::new);
        }

        /** a's variables above k. */
        Ext2[] aHigh(Ext2[] rest) {
            return high(a, true, rest);
        }

        /** b's variables above n and k. */
        Ext2[] bHigh(Ext2[] rest) {
            return high(b, false, rest);
        }
    }
}
