package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
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

import java.util.List;
import java.util.function.Function;

/**
 * A selection reduction in zero knowledge ({@link SelectionReduction}'s Σ_j x(j)·S(j) = v, S public — a Conv's im2col window
 * selection, a MaxPool's tap selection): one zero-knowledge sumcheck (Libra mask in {@link ProofMasks}), with v's hidden offset Δ
 * hidden when v is masked ({@code proveWithHiddenOffset}: it proves Σ = v − Δ), and x entering as x′ = x̃ + Z·c (Libra §4.2, c a
 * scalar of M, one coefficient: x′ is evaluated once). It sends x′(p); the claim on x at p carries the hidden offset Z(p)·c to x's
 * consumer. <b>Soundness</b>: c, Δ and the mask are in M, bound before the sumcheck's challenges, so the sumcheck proves the
 * identity for a polynomial fixed in advance that equals x on the hypercube; x′(p) is bound where x's claim ends. <b>Simulator</b>:
 * x′(p) is uniform through c (read by no other sent value; Z(p) ≠ 0 except with probability 2/|F_{p²}|), G* through the mask's
 * a_0, the rounds Libra's.
 */
final class ZkSelection {
    private static final List<ProductTerm> TERMS = List.of(ProductTerm.of(Ext2.ONE, 0, 1));

    private ZkSelection() {}

    /** The round degrees over x's variables: x′·S, x′ masked by one coefficient. */
    static int[] degrees(int numVars) {
        return ZkSumcheckProver.roundDegrees(numVars, TERMS, false, new VanishingMask[] {new VanishingMask(new Ext2[] {Ext2.ZERO}), null});
    }

    /**
     * Proves Σ_j x(j)·S(j) = {@code sum} (minus {@code offset}'s value when masked) with sumcheck {@code key} of M's layout and x
     * masked by scalar {@code slot}; records the claim on x with its hidden offset.
     */
    static void prove(ProverContext cx, int x, ExtVector selection, Ext2 sum, HiddenOffset offset, int slot, int key, String label) {
        ZkProver zk = cx.zk();
        ProofMasks.Committer masks = zk.masks();
        List<MleTable> tables = List.of(new BaseTable(cx.tensors().padded(x)), new ExtTable(selection));
        VanishingMask[] hiding = {new VanishingMask(new Ext2[] {masks.scalars()[zk.layout().firstLeafScalar() + slot]}), null};
        var mask = masks.mask(zk.layout().index(key));
        ZkSumcheckProverResult res = offset.isNone()
                ? ZkSumcheckProver.prove(cx.channel().transcript, sum, tables, TERMS, hiding, mask, masks)
                : ZkSumcheckProver.proveWithHiddenOffset(cx.channel().transcript, null, sum, masks.hideOffset(offset), tables, TERMS, hiding, mask, masks);
        res.proof().write(cx.channel().out);
        masks.flush(cx.channel().out);
        Ext2 value = res.finalEvaluations()[0];
        cx.channel().sendExt(label, value);
        record(cx.claims(), zk.layout(), x, slot, res.point(), value);
    }

    /** The verifier's side of {@link #prove}: {@code selectionAt} gives S at the sumcheck's point. */
    static void verify(VerifierContext cx, int x, Ext2 sum, HiddenOffset offset, int slot, int key, String label, String what,
                       Function<Ext2[], Ext2> selectionAt) throws MalformedProofException, ProofRejectedException {
        ZkVerifier zk = cx.zk();
        int[] degrees = degrees(cx.plan().shapes[x].numVars());
        ZkSumcheckProof proof = ZkSumcheckProof.read(cx.channel().in, degrees);
        SubClaim sub;
        try {
            var masks = zk.masks().sumcheck(zk.layout().index(key));
            sub = offset.isNone()
                    ? ZkSumcheckVerifier.verify(cx.channel().transcript, sum, 2, degrees, proof, masks)
                    : ZkSumcheckVerifier.verifyWithHiddenOffset(cx.channel().transcript, sum, 2, degrees, proof, masks.hideOffset(offset));
        } catch (SumcheckRejectedException e) {
            throw new ProofRejectedException(what + ": " + e.getMessage(), e);
        }
        Ext2 value = cx.channel().receiveExt(label);
        if (!value.mul(selectionAt.apply(sub.point())).equals(sub.expectedEvaluation())) {
            throw new ProofRejectedException(what + ": final evaluation does not match");
        }
        record(cx.claims(), zk.layout(), x, slot, sub.point(), value);
    }

    /** x(p) = x′(p) − Z(p)·c, recorded with its hidden offset. */
    private static void record(ClaimBook book, ProofMasks.ZkLayout layout, int x, int slot, Ext2[] p, Ext2 value) {
        book.on(new ProofPlan.TensorSource(x), new Claim(p, value), HiddenOffset.scalar(layout, layout.firstLeafScalar() + slot, VanishingMask.vanishing(p)));
    }
}
