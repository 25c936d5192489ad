package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.QNode;
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
     * masking y ({@code output}) and each candidate ({@code candidates[k]}, −1 for a public one).
     */
    record Masked(MaxLayers.Check check, int output, int[] candidates) {}

    /**
     * The plan's maxima that read a private value, in plan (and proving) order, their scalars numbered after the
     * look-up leaves' and the private-left MatMuls' ({@link LinearLayers#zkLayout}).
     */
    static List<Masked> masked(ProofPlan plan) {
        boolean[] priv = ZeroKnowledge.privateTensors(plan.graph);
        int next = LookupPhase.leafSlots(plan).count() + LinearLayers.privateLeftMatMuls(plan.graph, plan).size();
        List<Masked> out = new ArrayList<>();
        for (MaxLayers.Check check : plan.maxChecks) {
            if (!priv[check.output()] || !check.candidates().stream().allMatch(c -> c instanceof MaxLayers.BroadcastView)) {
                continue; // a pooling or reduction maximum of a private value: refused by ZeroKnowledge.uncovered
            }
            int output = next++;
            int[] candidates = new int[check.candidates().size()];
            for (int c = 0; c < candidates.length; c++) {
                candidates[c] = priv[check.candidates().get(c).tensor()] ? next++ : -1;
            }
            out.add(new Masked(check, output, candidates));
        }
        return out;
    }

    /** How many scalars of M the maxima take. */
    static int scalars(ProofPlan plan) {
        return masked(plan).stream().mapToInt(m -> 1 + (int) java.util.Arrays.stream(m.candidates()).filter(s -> s >= 0).count()).sum();
    }

    /**
     * Why a Max/Min {@code node} reading a private value (and not a clamp look-up) cannot be proven in zero knowledge
     * (the rest of the refusal), or null when it can: its output needs a variable (one value cannot be masked off the
     * hypercube) and every private operand must be committed (its masked claim goes to the witness opening) or take masked
     * claims ({@link ZeroKnowledge#takesMaskedClaims}: an uncommitted operand's claims are merged and reduced by its producer).
     */
    static String uncovered(ProofPlan plan, QNode node, boolean[] priv) {
        if (plan.shapes[node.output()].numVars() == 0) {
            return plan.graph.tensor(node.output()).name() + "': a maximum of one value cannot be masked off the hypercube";
        }
        for (int in : node.inputs()) {
            if (priv[in] && !plan.isCommitted(in) && !ZeroKnowledge.takesMaskedClaims(plan.graph, plan, in, priv)) {
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
        return ZkSumcheckProver.roundDegreesOfPattern(plan.shapes[check.output()].numVars(), terms(k), false, hidden);
    }

    private static Masked of(ProofPlan plan, MaxLayers.Check check) {
        return masked(plan).stream().filter(m -> m.check() == check).findFirst().orElseThrow();
    }

    static void prove(ProverContext cx, Witness witness, MaxLayers.Check check, int sumcheck) {
        ProofPlan plan = cx.plan();
        ZkProver zk = cx.zk();
        Masked m = of(plan, check);
        int k = check.candidates().size();
        Ext2[] tau = cx.channel().challenges("max-tau", plan.shapes[check.output()].numVars());
        Ext2[] scalars = zk.masks().scalars();
        int first = zk.layout().firstLeafScalar();
        Ext2 cy = scalars[first + m.output()];
        Ext2[] cc = new Ext2[k];
        List<MleTable> tables = new ArrayList<>();
        tables.add(new ExtTable(Mle.eqTable(tau)));
        VanishingMask[] hiding = new VanishingMask[k + 1];
        for (int c = 0; c < k; c++) {
            cc[c] = m.candidates()[c] < 0 ? Ext2.ZERO : scalars[first + m.candidates()[c]];
            tables.add(new BaseTable(witness.gap(check, c)));
            Ext2 diff = cy.sub(cc[c]); // D′_k = ±(Y′ − C′_k) = d̃_k + Z·(±(c_y − c_k))
            hiding[c + 1] = new VanishingMask(new Ext2[] {check.sign() > 0 ? diff : diff.neg()});
        }
        ZkSumcheckProverResult res = ZkSumcheckProver.prove(cx.channel().transcript, Ext2.ZERO, tables, terms(k), hiding, zk.masks().mask(sumcheck),
                zk.masks());
        res.proof().write(cx.channel().out);
        zk.masks().flush(cx.channel().out);
        Ext2[] rho = res.point();
        Ext2 z = VanishingMask.vanishing(rho);
        Ext2[] values = new Ext2[1 + k];
        values[0] = Mle.evaluate(cx.tensors().padded(check.output()), rho).add(z.mul(cy));
        for (int c = 0; c < k; c++) {
            values[1 + c] = Mle.evaluate(witness.view(check, c), rho).add(z.mul(cc[c]));
        }
        cx.channel().sendExts("max-values", values);
        recordClaims(plan, cx.claims(), zk.layout(), m, rho, values);
    }

    static void verify(VerifierContext cx, MaxLayers.Check check, int sumcheck) throws MalformedProofException, ProofRejectedException {
        ProofPlan plan = cx.plan();
        QNode node = plan.graph.nodes().get(check.node());
        int k = check.candidates().size();
        Ext2[] tau = cx.channel().challenges("max-tau", plan.shapes[check.output()].numVars());
        int[] degrees = degrees(plan, check);
        ZkSumcheckProof proof = ZkSumcheckProof.read(cx.channel().in, degrees);
        SubClaim sub;
        try {
            sub = ZkSumcheckVerifier.verify(cx.channel().transcript, Ext2.ZERO, k + 1, degrees, proof, cx.zk().masks().sumcheck(sumcheck));
        } catch (SumcheckRejectedException e) {
            throw new ProofRejectedException("node '" + node.onnxName() + "': " + e.getMessage(), e);
        }
        Ext2[] values = cx.channel().receiveExts("max-values", 1 + k);
        Ext2 product = Mle.eq(tau, sub.point());
        for (Ext2 gap : MaxLayers.AtPoint.of(check, values).gaps()) {
            product = product.mul(gap);
        }
        if (!product.equals(sub.expectedEvaluation())) {
            throw new ProofRejectedException("node '" + node.onnxName() + "': no candidate attains the claimed maximum");
        }
        recordClaims(plan, cx.claims(), cx.zk().layout(), of(plan, check), sub.point(), values);
    }

    /**
     * The claims y(ρ) = y′(ρ) − Z(ρ)·c_y and, per candidate, x(p) = c′_k(ρ)/f − Z(ρ)·c_k/f at x's broadcast point p
     * (f its broadcast factor), each with its hidden offset; a public candidate's claim is plain.
     */
    private static void recordClaims(ProofPlan plan, ClaimBook book, ProofMasks.ZkLayout layout, Masked m, Ext2[] rho, Ext2[] values) {
        MaxLayers.Check check = m.check();
        Ext2 z = VanishingMask.vanishing(rho);
        int first = layout.firstLeafScalar();
        book.on(new ProofPlan.TensorSource(check.output()), new Claim(rho, values[0]), HiddenOffset.scalar(layout, first + m.output(), z));
        PaddedShape ys = plan.shapes[check.output()];
        for (int c = 0; c < check.candidates().size(); c++) {
            int tensor = check.candidates().get(c).tensor();
            Broadcast bc = new Broadcast(plan.shapes[tensor], ys);
            Ext2 factor = bc.factor(rho);
            if (factor.isZero()) {
                throw new IllegalStateException("degenerate challenge: broadcast indicator vanishes");
            }
            Ext2 inverse = factor.inverse();
            Claim claim = new Claim(bc.operandPoint(rho), values[1 + c].mul(inverse));
            if (m.candidates()[c] < 0) {
                book.onTensor(tensor, claim);
            } else {
                book.on(new ProofPlan.TensorSource(tensor), claim, HiddenOffset.scalar(layout, first + m.candidates()[c], z.mul(inverse)));
            }
        }
    }
}
