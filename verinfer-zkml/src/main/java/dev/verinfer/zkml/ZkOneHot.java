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
import dev.verinfer.zkml.layout.Indicators;
import dev.verinfer.zkml.layout.PaddedShape;

import java.util.List;

/**
 * A ReduceMax of a private value in zero knowledge ({@link MaxLayers.OneHot}'s argument: a committed one-hot selector s and one
 * sumcheck over x's variables; a zero-knowledge key plans every ReduceMax of a private value this way). Three scalars of M per
 * node (after the Gathers'): c_y masks y's value at the group point, sent as y′ = ỹ(r_g) + c_y (y only enters the claimed sum, so
 * an additive scalar hides it even when y is one value); the sumcheck runs through {@link ZkSumcheckProver} with the hidden
 * offset γ2·c_y and s, x entering as s′ = s̃ + Z·c_s, x′ = x̃ + Z·c_x (Libra §4.2; last round degree 1 + 2 + 2 = 5); it sends
 * s′(ρ), x′(ρ). The claims y(r_g), s(ρ), x(ρ) carry the hidden offsets c_y, Z(ρ)·c_s, Z(ρ)·c_x to the witness opening (x: or to
 * its producer, when it takes masked claims).
 *
 * <p><b>Soundness.</b> M (so c_y, c_s, c_x and the sumcheck's mask) and the witness (s, y, x or x's producer) are committed
 * before τ, r_g, γ and ρ. s′ and x′ equal s and x on the hypercube (Z vanishes there), so the sumcheck proves the plain
 * identity Σ_x [eq(τ, x)·s(1 − s) + γ0·K·s·(IND + γ1) + γ2·K·s·x] = γ0·(1 + γ1)·ind_kept(r_g) + γ2·(y′ − c_y) for the
 * committed s and x, and the witness opening binds y′ − c_y = ỹ(r_g), s′(ρ), x′(ρ): {@link MaxLayers.OneHot}'s argument
 * follows (s boolean, one 1 per real group at a real index, y = Σ s·x), and with the range check y ≥ x, y = max.
 *
 * <p><b>Simulator.</b> y′ is uniform through c_y, s′(ρ) through c_s and x′(ρ) through c_x, each scalar read by one sent value
 * besides the sumcheck's hidden offset (hidden by its mask's a_0, Libra); the rounds, G* and the pieces are Libra's.
 */
final class ZkOneHot {
    private ZkOneHot() {}

    /** Whether the check's reduced tensor is private (a zero-knowledge proof then masks it). */
    static boolean masked(ProofPlan plan, MaxLayers.ArgmaxCheck a) {
        return ZeroKnowledge.masksLeaves(plan) && ZeroKnowledge.privateTensors(plan)[a.x()];
    }

    /** The masked checks, in plan (and proving) order; each takes three scalars of M. */
    static List<MaxLayers.ArgmaxCheck> checks(ProofPlan plan) {
        return plan.derived("ZkOneHot.checks", 0, () -> List.copyOf(checksScan(plan)));
    }

    private static List<MaxLayers.ArgmaxCheck> checksScan(ProofPlan plan) {
        return plan.argmaxChecks.stream().filter(a -> masked(plan, a)).toList();
    }

    /** Where this class's scalars start among M's (after the Gathers'). */
    private static int firstSlot(ProofPlan plan, MaxLayers.ArgmaxCheck a) {
        return ZkConv.firstScalar(plan) + ZkConv.scalars(plan.graph, plan) + ZkGather.scalars(plan.graph, plan) + 3 * checks(plan).indexOf(a);
    }

    /** Tables: 0 eq(τ), 1 s, 2 K, 3 IND, 4 x; s and x masked. */
    static int[] degrees(ProofPlan plan, MaxLayers.ArgmaxCheck a) {
        return ZkSumcheckProver.roundDegreesOfPattern(plan.shapes[a.x()].numVars(), MaxLayers.OneHot.terms(new Ext2[] {Ext2.ONE, Ext2.ONE, Ext2.ONE}),
                false, new boolean[] {false, true, false, false, true});
    }

    /**
     * Why a ReduceMax reading private values cannot be proven in zero knowledge (the rest of the refusal), or null: x needs a
     * variable (s and x are masked off the hypercube) and must be committed or take masked claims.
     */
    static String uncovered(ProofPlan plan, QNode node, boolean[] priv) {
        int x = node.inputs()[0];
        if (plan.shapes[x].numVars() == 0) {
            return plan.graph.tensor(x).name() + "': a maximum of one value cannot be masked off the hypercube";
        }
        if (!ZeroKnowledge.opened(plan, x) && !ZeroKnowledge.takesMaskedClaims(plan.graph, plan, x, priv)) {
            return plan.graph.tensor(x).name() + "': a zero-knowledge maximum needs its private operands committed or taking masked claims";
        }
        return null;
    }

    static void prove(ProverContext cx, Witness witness, MaxLayers.ArgmaxCheck a) {
        ProofPlan plan = cx.plan();
        ZkProver zk = cx.zk();
        MaxLayers.OneHot h = MaxLayers.OneHot.draw(plan, a, cx.channel().challenges("argmax-tau", plan.shapes[a.x()].numVars()),
                cx.channel().challenges("argmax-point", plan.shapes[a.output()].numVars()));
        Ext2[] scalars = zk.masks().scalars();
        int first = zk.layout().firstLeafScalar() + firstSlot(plan, a);
        Ext2 y = Mle.evaluate(cx.tensors().padded(a.output()), h.groupPoint()).add(scalars[first]);
        cx.channel().sendExt("argmax-value", y);
        Ext2[] gamma = cx.channel().challenges("argmax-combine", 3);
        List<MleTable> tables = List.of(new ExtTable(Mle.eqTable(h.tau())), new BaseTable(witness.items[a.selector()]), new ExtTable(h.groupTable()),
                new BaseTable(Indicators.realRegionTable(plan.shapes[a.x()])), new BaseTable(cx.tensors().padded(a.x())));
        VanishingMask[] hiding = {null, new VanishingMask(new Ext2[] {scalars[first + 1]}), null, null, new VanishingMask(new Ext2[] {scalars[first + 2]})};
        Ext2 hidden = zk.masks().hideOffset(offset(zk.layout(), first, gamma));
        ZkSumcheckProverResult res = ZkSumcheckProver.proveWithHiddenOffset(cx.channel().transcript, null, claimedSum(h, gamma, y), hidden, tables,
                MaxLayers.OneHot.terms(gamma), hiding, zk.masks().mask(zk.layout().index(a.output())), zk.masks());
        res.proof().write(cx.channel().out);
        zk.masks().flush(cx.channel().out);
        Ext2[] values = {res.finalEvaluations()[1], res.finalEvaluations()[4]};
        cx.channel().sendExts("argmax-values", values);
        record(cx.claims(), zk.layout(), a, first, h, y, res.point(), values);
    }

    static void verify(VerifierContext cx, MaxLayers.ArgmaxCheck a) throws MalformedProofException, ProofRejectedException {
        ProofPlan plan = cx.plan();
        ZkVerifier zk = cx.zk();
        String what = "node '" + plan.graph.nodes().get(a.node()).onnxName() + "'";
        PaddedShape xs = plan.shapes[a.x()];
        MaxLayers.OneHot h = MaxLayers.OneHot.draw(plan, a, cx.channel().challenges("argmax-tau", xs.numVars()),
                cx.channel().challenges("argmax-point", plan.shapes[a.output()].numVars()));
        int first = zk.layout().firstLeafScalar() + firstSlot(plan, a);
        Ext2 y = cx.channel().receiveExt("argmax-value");
        Ext2[] gamma = cx.channel().challenges("argmax-combine", 3);
        int[] degrees = degrees(plan, a);
        ZkSumcheckProof proof = ZkSumcheckProof.read(cx.channel().in, degrees);
        SubClaim sub;
        try {
            sub = ZkSumcheckVerifier.verifyWithHiddenOffset(cx.channel().transcript, claimedSum(h, gamma, y), 3, degrees, proof,
                    zk.masks().sumcheck(zk.layout().index(a.output())).hideOffset(offset(zk.layout(), first, gamma)));
        } catch (SumcheckRejectedException e) {
            throw new ProofRejectedException(what + " (one-hot selector): " + e.getMessage(), e);
        }
        Ext2[] rho = sub.point();
        Ext2[] values = cx.channel().receiveExts("argmax-values", 2);
        Ext2[] at = {Mle.eq(h.tau(), rho), values[0], h.groupWeight(rho), Indicators.realRegion(xs, rho), values[1]};
        if (!ProductTerm.evaluate(MaxLayers.OneHot.terms(gamma), at).equals(sub.expectedEvaluation())) {
            throw new ProofRejectedException(what + ": the maximum is not selected by a one-hot vector of the reduced values");
        }
        record(cx.claims(), zk.layout(), a, first, h, y, rho, values);
    }

    /** The public claimed sum γ0·(1 + γ1)·ind_kept(r_g) + γ2·y′; the sumcheck proves it minus γ2·c_y. */
    private static Ext2 claimedSum(MaxLayers.OneHot h, Ext2[] gamma, Ext2 y) {
        return gamma[0].mul(Ext2.ONE.add(gamma[1])).mul(Indicators.realRegion(h.kept(), h.groupPoint())).add(gamma[2].mul(y));
    }

    private static HiddenOffset offset(ProofMasks.ZkLayout layout, int first, Ext2[] gamma) {
        return HiddenOffset.scalar(layout, first, gamma[2]);
    }

    /** y(r_g) = y′ − c_y, s(ρ) = s′(ρ) − Z(ρ)·c_s, x(ρ) = x′(ρ) − Z(ρ)·c_x, each with its hidden offset. */
    private static void record(ClaimBook book, ProofMasks.ZkLayout layout, MaxLayers.ArgmaxCheck a, int first, MaxLayers.OneHot h, Ext2 y,
                               Ext2[] rho, Ext2[] values) {
        Ext2 z = VanishingMask.vanishing(rho);
        book.on(new ProofPlan.TensorSource(a.output()), new Claim(h.groupPoint(), y), HiddenOffset.scalar(layout, first, Ext2.ONE));
        book.on(new ProofPlan.ItemSource(a.selector()), new Claim(rho, values[0]), HiddenOffset.scalar(layout, first + 1, z));
        book.on(new ProofPlan.TensorSource(a.x()), new Claim(rho, values[1]), HiddenOffset.scalar(layout, first + 2, z));
    }
}
