package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
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
import dev.verinfer.zkml.layout.Broadcast;
import dev.verinfer.zkml.layout.PaddedShape;

import java.util.ArrayList;
import java.util.List;

/**
 * Max and Min of a private value in zero knowledge, when the plan does not make them a clamp look-up (ReLU = max(x, 0)
 * of a wide x, {@link ProofPlan#clampInput}): {@link MaxLayers}' zero-check Σ_x eq(τ, x)·Π_k d_k(x) = 0 over the gaps
 * d_k = ±(y − c_k) (each range-checked by the look-up phase, whose leaves are masked) runs through
 * {@link ZkSumcheckProver} (Libra §4.1, its mask g in the proof's {@link ProofMasks}), with y and every private
 * candidate masked by one scalar of M each (Libra §4.2): Y′ = ỹ + Z·c_y, C′_k = c̃_k + Z·c_k, so the gap tables enter
 * as D′_k = d̃_k + Z·(±(c_y − c_k)) ({@link VanishingMask} of that one coefficient; c_k = 0 for a public candidate).
 * The proof sends y′(ρ) and each view c′_k(ρ); the verifier forms the gaps ±(y′ − c′_k) from them exactly as before,
 * and the claims on y and on the private candidates carry the hidden offsets Z(ρ)·c_y and Z(ρ)·c_k/f (f the broadcast
 * factor) to the witness opening ({@link ZkWitnessBatching}).
 *
 * <p><b>Soundness.</b> M is committed before τ and ρ, so c_y and c_k are fixed, and the zero-check proves
 * Σ eq(τ, x)·Π_k ±(Y′ − C′_k)(x) = 0 for fixed polynomials that equal the gaps on the hypercube (Z vanishes there):
 * Π_k d_k = 0 at every index except with probability (n + K·n + 2K)/|F_{p²}| (Schwartz–Zippel on τ, the sumcheck's
 * error, Libra's on its mask). The sent y′(ρ), c′_k(ρ) are bound by the witness opening with their offsets (a value
 * that is not ỹ(ρ) + Z(ρ)·c_y fails it), a public candidate's by its own claim. Padding slots: the gaps are zero
 * there (y and the views are zero-padded), as in the plain protocol.
 *
 * <p><b>Simulator.</b> Each scalar c_y, c_k is read by exactly one sent value (Z(ρ) ≠ 0 except with probability
 * 2/|F_{p²}|), so y′(ρ) and every private c′_k(ρ) are uniform and independent of the witness; the rounds, G and the
 * pieces are Libra's (the claimed sum 0 is public); the public candidates' values are functions of the statement.
 */
final class ZkMaxLayers {
    private ZkMaxLayers() {}

    /**
     * A maximum proven in zero knowledge: its check and the scalars of M (from {@link ProofMasks.ZkLayout#firstLeafScalar})
     * masking y ({@code output}), each broadcast candidate ({@code candidates[k]}, −1 for a public one or a pooling tap), each
     * committed gap limb of a pooling tap ({@code limbs[k][l]}), and a pooling maximum's input x in its window reduction
     * ({@code input}, −1 for Max/Min).
     */
    record Masked(MaxLayers.Check check, int output, int[] candidates, int[][] limbs, int input) {
        boolean pooling() {
            return input >= 0;
        }
    }

    /** Whether a check is a MaxPool's: every candidate a window tap. */
    private static boolean pooling(MaxLayers.Check check) {
        return check.candidates().stream().allMatch(c -> c instanceof MaxLayers.TapView);
    }

    /**
     * The plan's maxima (Max/Min, MaxPool) that read a private value, in plan (and proving) order, their scalars numbered after
     * the look-up leaves' and the private-left MatMuls' ({@link LinearLayers#zkLayout}).
     */
    static List<Masked> masked(ProofPlan plan) {
        return plan.derived("ZkMaxLayers.masked", 0, () -> List.copyOf(maskedScan(plan)));
    }

    private static List<Masked> maskedScan(ProofPlan plan) {
        boolean[] priv = ZeroKnowledge.privateTensors(plan);
        int next = LookupPhase.leafSlots(plan).count() + LinearLayers.privateLeftMatMuls(plan.graph, plan).size();
        List<Masked> out = new ArrayList<>();
        for (MaxLayers.Check check : plan.maxChecks) {
            boolean pooling = pooling(check);
            if (!priv[check.output()] || !pooling && !check.candidates().stream().allMatch(c -> c instanceof MaxLayers.BroadcastView)) {
                continue; // a reduction maximum: a zero-knowledge key plans one of a private value as a one-hot maximum (ZkOneHot)
            }
            int output = next++;
            int k = check.candidates().size();
            int[] candidates = new int[k];
            int[][] limbs = new int[k][];
            for (int c = 0; c < k; c++) {
                candidates[c] = !pooling && priv[check.candidates().get(c).tensor()] ? next++ : -1;
                limbs[c] = new int[check.gapLimbs().get(c).size()];
                for (int l = 0; l < limbs[c].length; l++) {
                    limbs[c][l] = next++;
                }
            }
            out.add(new Masked(check, output, candidates, limbs, pooling ? next++ : -1));
        }
        return out;
    }

    /** How many scalars of M the maxima take. */
    static int scalars(ProofPlan plan) {
        return masked(plan).stream().mapToInt(m -> 1 + (int) java.util.Arrays.stream(m.candidates()).filter(s -> s >= 0).count()
                + java.util.Arrays.stream(m.limbs()).mapToInt(l -> l.length).sum() + (m.pooling() ? 1 : 0)).sum();
    }

    /** The key of a pooling maximum's window reduction (output t) among the proof's sumchecks (below {@link ZkConv#reductionKey}'s). */
    static int poolingKey(ProofPlan plan, int t) {
        return -2 - 2 * plan.graph.tensors().size() - t;
    }

    /** The pooling maxima of private values, in proving order: each has a window reduction after its zero-check. */
    static List<Masked> pooled(ProofPlan plan) {
        return masked(plan).stream().filter(Masked::pooling).toList();
    }

    /** The round degrees of a pooling maximum's window reduction over x's variables: x′·S, x′ masked by one coefficient. */
    static int[] poolingDegrees(ProofPlan plan, Masked m) {
        return ZkSelection.degrees(plan.shapes[m.check().candidates().getFirst().tensor()].numVars());
    }

    /**
     * Why a Max/Min {@code node} reading a private value (and not a clamp look-up) cannot be proven in zero knowledge
     * (the rest of the refusal), or null when it can: a MaxPool's output needs a variable (one value cannot be masked off
     * the hypercube; a Max/Min of one value is {@link #lifted}) and every private operand must be committed (its masked
     * claim goes to the witness opening) or take masked claims ({@link ZeroKnowledge#takesMaskedClaims}: an uncommitted operand's claims are merged and reduced by its producer).
     */
    static String uncovered(ProofPlan plan, QNode node, boolean[] priv) {
        if (node.op() instanceof QOp.MaxPool && plan.shapes[node.output()].numVars() == 0) {
            return plan.graph.tensor(node.output()).name() + "': a maximum of one value cannot be masked off the hypercube";
        }
        if (node.op() instanceof QOp.MaxPool && plan.shapes[((QOp.MaxPool) node.op()).x()].numVars() == 0) {
            return plan.graph.tensor(node.inputs()[0]).name() + "': a pooled tensor of one value cannot be masked off the hypercube";
        }
        for (int in : node.inputs()) {
            if (priv[in] && !ZeroKnowledge.opened(plan, in) && !ZeroKnowledge.takesMaskedClaims(plan.graph, plan, in, priv)) {
                return plan.graph.tensor(in).name() + "': a zero-knowledge maximum needs its private operands committed or taking masked claims";
            }
        }
        return null;
    }

    /** Tables: 0 eq(τ), then the K gaps. */
    private static List<ProductTerm> terms(int k) {
        int[] factors = new int[k + 1];
        for (int i = 0; i <= k; i++) {
            factors[i] = i;
        }
        return List.of(new ProductTerm(Ext2.ONE, factors));
    }

    /** The zero-check's round degrees: K + 1, the last raised by the gaps' vanishing masks. */
    static int[] degrees(ProofPlan plan, MaxLayers.Check check) {
        int k = check.candidates().size();
        boolean[] hidden = new boolean[k + 1];
        java.util.Arrays.fill(hidden, 1, k + 1, true);
        return ZkSumcheckProver.roundDegreesOfPattern(vars(plan, check), terms(k), false, hidden);
    }

    /**
     * Whether a Max/Min's output is one value (a saturated look-up's clamps on alexa_v0.1's one sigmoid input,
     * {@link SaturatedLookups}): a vanishing mask needs a variable, so its zero-check runs over one lifted variable x, every
     * table the constant polynomial of its one value (as {@link LookupPhase.OneRowLift}'s column): Σ_{x∈{0,1}} eq(τ, x)·Π_k d_k
     * = Π_k d_k (eq(τ, 0) + eq(τ, 1) = 1), the masked D′_k = d_k + Z(x)·c then ±(c_y − c_k) as before, and the claims at ρ
     * are claims on the one-value tensors at the empty point with the hidden offsets Z(ρ)·c.
     */
    static boolean lifted(ProofPlan plan, MaxLayers.Check check) {
        return plan.shapes[check.output()].numVars() == 0 && !pooling(check);
    }

    /** The zero-check's variables: the output's, or the one lifted variable. */
    private static int vars(ProofPlan plan, MaxLayers.Check check) {
        return lifted(plan, check) ? 1 : plan.shapes[check.output()].numVars();
    }

    /** A padded table of the check's output shape over the zero-check's variables: itself, or its one value twice when lifted. */
    private static long[] overVars(ProofPlan plan, MaxLayers.Check check, long[] table) {
        return lifted(plan, check) ? new long[] {table[0], table[0]} : table;
    }

    /** The index in "max-values" of candidate c's limb l (after y, each earlier candidate's view or limbs). */
    private static int limbValue(MaxLayers.Check check, int c, int l) {
        int v = 1;
        for (int j = 0; j < c; j++) {
            v += Math.max(1, check.gapLimbs().get(j).size());
        }
        return v + l;
    }

    private static Masked of(ProofPlan plan, MaxLayers.Check check) {
        return masked(plan).stream().filter(m -> m.check() == check).findFirst().orElseThrow();
    }

    static void prove(ProverContext cx, Witness witness, MaxLayers.Check check, int sumcheck) {
        ProofPlan plan = cx.plan();
        ZkProver zk = cx.zk();
        Masked m = of(plan, check);
        int k = check.candidates().size();
        Ext2[] tau = cx.channel().challenges("max-tau", vars(plan, check));
        Ext2[] scalars = zk.masks().scalars();
        int first = zk.layout().firstLeafScalar();
        Ext2 cy = scalars[first + m.output()];
        Ext2[] cc = new Ext2[k];
        List<MleTable> tables = new ArrayList<>();
        tables.add(new ExtTable(Mle.eqTable(tau)));
        VanishingMask[] hiding = new VanishingMask[k + 1];
        for (int c = 0; c < k; c++) {
            cc[c] = m.candidates()[c] < 0 ? Ext2.ZERO : scalars[first + m.candidates()[c]];
            tables.add(new BaseTable(overVars(plan, check, witness.gap(check, c))));
            hiding[c + 1] = new VanishingMask(new Ext2[] {gapMask(m, c, cy, cc[c], scalars, first)});
        }
        ZkSumcheckProverResult res = ZkSumcheckProver.prove(cx.channel().transcript, Ext2.ZERO, tables, terms(k), hiding, zk.masks().mask(sumcheck),
                zk.masks());
        res.proof().write(cx.channel().out);
        zk.masks().flush(cx.channel().out);
        Ext2[] rho = res.point();
        Ext2 z = VanishingMask.vanishing(rho);
        List<Ext2> sent = new ArrayList<>();
        sent.add(Mle.evaluate(overVars(plan, check, cx.tensors().padded(check.output())), rho).add(z.mul(cy)));
        for (int c = 0; c < k; c++) {
            List<Integer> items = check.gapLimbs().get(c);
            if (items.isEmpty()) {
                sent.add(Mle.evaluate(overVars(plan, check, witness.view(check, c)), rho).add(z.mul(cc[c])));
            }
            for (int l = 0; l < items.size(); l++) { // limb′(ρ) = limb(ρ) + Z(ρ)·c_{k,l}
                sent.add(Mle.evaluate(witness.items[items.get(l)], rho).add(z.mul(scalars[first + m.limbs()[c][l]])));
            }
        }
        Ext2[] values = sent.toArray(Ext2[]::new);
        cx.channel().sendExts("max-values", values);
        recordClaims(plan, cx.claims(), zk.layout(), m, rho, values);
        if (m.pooling()) {
            reduceWindowsProver(cx, m, rho, values);
        }
    }

    /**
     * The one coefficient of gap D′_k's vanishing mask: ±(c_y − c_k) for a gap affine in y and a broadcast operand (D′_k =
     * ±(Y′ − C′_k)); Σ_l 2^(16l)·c_{k,l} for a gap in committed limbs (D′_k = Σ_l 2^(16l)·limb′_{k,l}).
     */
    private static Ext2 gapMask(Masked m, int c, Ext2 cy, Ext2 cc, Ext2[] scalars, int first) {
        if (m.limbs()[c].length == 0) {
            Ext2 diff = cy.sub(cc);
            return m.check().sign() > 0 ? diff : diff.neg();
        }
        Ext2 sum = Ext2.ZERO;
        for (int l = 0; l < m.limbs()[c].length; l++) {
            sum = sum.add(scalars[first + m.limbs()[c][l]].mul(limbWeight(l)));
        }
        return sum;
    }

    private static Ext2 limbWeight(int l) {
        return new Ext2(dev.verinfer.field.Goldilocks.pow(2, (long) ProofPlan.RANGE_BITS * l), 0);
    }

    /**
     * The hidden offset of a pooling maximum's tap views: view′_k = y′ − sign·gap′_k = view_k + Z(ρ)·(c_y − sign·Σ_l 2^(16l)·c_{k,l}),
     * so Σ_k β^k·view′_k − Σ_k β^k·view_k = Σ_k β^k·Z(ρ)·(c_y − sign·Σ_l 2^(16l)·c_{k,l}), a functional of M.
     */
    private static HiddenOffset viewsOffset(ProofMasks.ZkLayout layout, Masked m, List<Integer> taps, Ext2 z, Ext2 beta) {
        int first = layout.firstLeafScalar();
        HiddenOffset offset = HiddenOffset.NONE;
        Ext2 power = Ext2.ONE;
        Ext2 sign = m.check().sign() > 0 ? Ext2.ONE : Ext2.ONE.neg();
        for (int c : taps) {
            Ext2 w = power.mul(z);
            offset = offset.plus(HiddenOffset.scalar(layout, first + m.output(), w));
            for (int l = 0; l < m.limbs()[c].length; l++) {
                offset = offset.plus(HiddenOffset.scalar(layout, first + m.limbs()[c][l], w.mul(sign).mul(limbWeight(l)).neg()));
            }
            power = power.mul(beta);
        }
        return offset;
    }

    /**
     * A pooling maximum's window reduction in zero knowledge: Σ_k β^k·view_k(ρ) = Σ_j x(j)·S(j) (S {@link MaxLayers#tapSelection})
     * by a zero-knowledge sumcheck with the views' hidden offset, x′ = x̃ + Z·c_x; it sends x′(p) ("tap-input"), a claim on x with
     * the hidden offset Z(p)·c_x.
     */
    private static void reduceWindowsProver(ProverContext cx, Masked m, Ext2[] rho, Ext2[] values) {
        Windows w = Windows.of(cx.plan(), cx.claims(), m, rho, values, cx.channel().challenge("tap-beta"));
        ZkSelection.prove(cx, w.x(), MaxLayers.tapSelection(cx.plan(), w.x(), m.check(), w.taps(), rho, w.beta()), w.sum(),
                w.offset(cx.zk().layout(), rho), m.input(), poolingKey(cx.plan(), m.check().output()), "tap-input");
    }

    private static void reduceWindowsVerifier(VerifierContext cx, QNode node, Masked m, Ext2[] rho, Ext2[] values)
            throws MalformedProofException, ProofRejectedException {
        ProofPlan plan = cx.plan();
        Windows w = Windows.of(plan, cx.claims(), m, rho, values, cx.channel().challenge("tap-beta"));
        ZkSelection.verify(cx, w.x(), w.sum(), w.offset(cx.zk().layout(), rho), m.input(), poolingKey(plan, m.check().output()), "tap-input",
                "node '" + node.onnxName() + "': pooling window reduction", p -> MaxLayers.tapSelectionAt(plan, w.x(), m.check(), w.taps(), rho, w.beta(), p));
    }

    /** A pooling maximum's window reduction: its masked maximum, the views′ at ρ, the tap candidates, the pooled x and β. */
    private record Windows(Masked m, Ext2[] views, List<Integer> taps, int x, Ext2 beta) {
        static Windows of(ProofPlan plan, ClaimBook book, Masked m, Ext2[] rho, Ext2[] values, Ext2 beta) {
            Ext2[] views = MaxLayers.AtPoint.of(m.check(), values).views();
            List<Integer> taps = MaxLayers.recordDirectViews(plan, book, m.check(), rho, views);
            return new Windows(m, views, taps, m.check().candidates().getFirst().tensor(), beta);
        }

        /** Σ_k β^k·view′_k, the reduction's claimed sum. */
        Ext2 sum() {
            return MaxLayers.tapSum(taps, views, beta);
        }

        HiddenOffset offset(ProofMasks.ZkLayout layout, Ext2[] rho) {
            return viewsOffset(layout, m, taps, VanishingMask.vanishing(rho), beta);
        }
    }

    static void verify(VerifierContext cx, MaxLayers.Check check, int sumcheck) throws MalformedProofException, ProofRejectedException {
        ProofPlan plan = cx.plan();
        QNode node = plan.graph.nodes().get(check.node());
        int k = check.candidates().size();
        Ext2[] tau = cx.channel().challenges("max-tau", vars(plan, check));
        int[] degrees = degrees(plan, check);
        ZkSumcheckProof proof = ZkSumcheckProof.read(cx.channel().in, degrees);
        SubClaim sub;
        try {
            sub = ZkSumcheckVerifier.verify(cx.channel().transcript, Ext2.ZERO, k + 1, degrees, proof, cx.zk().masks().sumcheck(sumcheck));
        } catch (SumcheckRejectedException e) {
            throw new ProofRejectedException("node '" + node.onnxName() + "': " + e.getMessage(), e);
        }
        Ext2[] values = cx.channel().receiveExts("max-values", 1 + check.gapLimbs().stream().mapToInt(l -> Math.max(1, l.size())).sum());
        Ext2 product = Mle.eq(tau, sub.point());
        for (Ext2 gap : MaxLayers.AtPoint.of(check, values).gaps()) {
            product = product.mul(gap);
        }
        if (!product.equals(sub.expectedEvaluation())) {
            throw new ProofRejectedException("node '" + node.onnxName() + "': no candidate attains the claimed maximum");
        }
        Masked m = of(plan, check);
        recordClaims(plan, cx.claims(), cx.zk().layout(), m, sub.point(), values);
        if (m.pooling()) {
            reduceWindowsVerifier(cx, node, m, sub.point(), values);
        }
    }

    /**
     * The claims y(ρ) = y′(ρ) − Z(ρ)·c_y and, per candidate, x(p) = c′_k(ρ)/f − Z(ρ)·c_k/f at x's broadcast point p
     * (f its broadcast factor), each with its hidden offset; a public candidate's claim is plain.
     */
    private static void recordClaims(ProofPlan plan, ClaimBook book, ProofMasks.ZkLayout layout, Masked m, Ext2[] rho, Ext2[] values) {
        MaxLayers.Check check = m.check();
        Ext2 z = VanishingMask.vanishing(rho);
        int first = layout.firstLeafScalar();
        Ext2[] at = lifted(plan, check) ? new Ext2[0] : rho; // a lifted table is constant in x: its claim is at the empty point
        book.on(new ProofPlan.TensorSource(check.output()), new Claim(at, values[0]), HiddenOffset.scalar(layout, first + m.output(), z));
        for (int c = 0; c < check.candidates().size(); c++) { // committed gap limbs: claims with the offsets Z(ρ)·c_{k,l}
            List<Integer> items = check.gapLimbs().get(c);
            for (int l = 0; l < items.size(); l++) {
                book.on(new ProofPlan.ItemSource(items.get(l)), new Claim(rho, values[limbValue(check, c, l)]),
                        HiddenOffset.scalar(layout, first + m.limbs()[c][l], z));
            }
        }
        if (m.pooling()) {
            return; // the tap views are reduced by the window reduction
        }
        PaddedShape ys = plan.shapes[check.output()];
        for (int c = 0; c < check.candidates().size(); c++) {
            int tensor = check.candidates().get(c).tensor();
            Broadcast bc = new Broadcast(plan.shapes[tensor], ys);
            Ext2 factor = bc.factor(at);
            if (factor.isZero()) {
                throw new IllegalStateException("degenerate challenge: broadcast indicator vanishes");
            }
            Ext2 inverse = factor.inverse();
            Claim claim = new Claim(bc.operandPoint(at), values[1 + c].mul(inverse));
            if (m.candidates()[c] < 0) {
                book.onTensor(tensor, claim);
            } else {
                book.on(new ProofPlan.TensorSource(tensor), claim, HiddenOffset.scalar(layout, first + m.candidates()[c], z.mul(inverse)));
            }
        }
    }
}
