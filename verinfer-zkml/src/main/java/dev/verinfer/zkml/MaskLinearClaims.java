package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.pcs.PcsClaim;
import dev.verinfer.field.ExtVector;
import dev.verinfer.sumcheck.BaseTable;
import dev.verinfer.sumcheck.ExtTable;
import dev.verinfer.sumcheck.MaskVerifier;
import dev.verinfer.sumcheck.ProductTerm;
import dev.verinfer.sumcheck.SubClaim;
import dev.verinfer.sumcheck.SumcheckMask;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.sumcheck.ZkSumcheckProof;
import dev.verinfer.sumcheck.ZkSumcheckProver;
import dev.verinfer.sumcheck.ZkSumcheckProverResult;
import dev.verinfer.sumcheck.ZkSumcheckVerifier;

import java.util.ArrayList;
import java.util.List;

/**
 * Claims that a linear functional of the per-proof mask table M takes a value: Σ_e w_e·M[e] = v, with
 * weights drawn from the transcript after M's commitment and not of eq form (a look-up layer's hidden
 * offset Δ together with its mask sum, and the blinding's B'(r), C'(r); {@link LookupProofMasks}; and, since proof format
 * 11, every Libra mask's g(r) but this sumcheck's own, {@link ProofMasks#evaluationClaim}).
 * M's opening takes only point evaluations, so all of a proof's linear claims are proven at once, just
 * before the batch opening: with γ from the transcript, Σ_x M̃(x)·W̃(x) = Σ_j γ^j·v_j for
 * W = Σ_j γ^j·w_j, by one zero-knowledge sumcheck of degree 2 over M's variables (its Libra mask is a
 * mask of M like any other, opened by pieces); it ends in M̃(ρ), sent and claimed on M, and W̃(ρ), which
 * the verifier computes from the sparse weights.
 *
 * <p><b>Soundness.</b> Every v_j is absorbed (the protocol sent it) before γ, so a false claim survives
 * the combination with probability ≤ (claims)/|F_{p²}|, then the sumcheck's error and M's binding.
 * <b>Zero knowledge.</b> The rounds are Libra-masked; M̃(ρ) weighs every entry of M, among them a block
 * ({@link ProofMasks.ZkLayout}) that nothing else reads, so it is uniform: a simulator samples it.
 */
final class MaskLinearClaims {
    /** The sumcheck's round degree: M̃·W̃. */
    static final int DEGREE = 2;
    private static final List<ProductTerm> TERMS = List.of(ProductTerm.of(Ext2.ONE, 0, 1));

    private final List<int[]> entries = new ArrayList<>();
    private final List<Ext2[]> weights = new ArrayList<>();
    private final List<Ext2> values = new ArrayList<>();
    private Ext2 finalValue;

    /** Records Σ_k weights[k]·M[entries[k]] = value. */
    void add(int[] entries, Ext2[] weights, Ext2 value) {
        if (entries.length != weights.length) {
            throw new IllegalArgumentException(entries.length + " entries for " + weights.length + " weights");
        }
        this.entries.add(entries.clone());
        this.weights.add(weights.clone());
        values.add(value);
    }

    int size() {
        return values.size();
    }

    /** The prover's side: returns the point ρ at which M̃(ρ) ({@link #finalValue}) is to be opened. */
    Ext2[] prove(ProverChannel ch, long[] table, SumcheckMask mask, ProofMasks.Committer committer) {
        Ext2 gamma = ch.challenge("mask-linear-gamma");
        ExtVector w = ExtVector.zeros(table.length);
        Ext2 claim = Ext2.ZERO;
        Ext2 power = Ext2.ONE;
        for (int j = 0; j < values.size(); j++) {
            for (int k = 0; k < entries.get(j).length; k++) {
                int e = entries.get(j)[k];
                w.set(e, w.get(e).add(power.mul(weights.get(j)[k])));
            }
            claim = claim.add(power.mul(values.get(j)));
            power = power.mul(gamma);
        }
        ZkSumcheckProverResult res = ZkSumcheckProver.prove(ch.transcript, claim, List.of(new BaseTable(table), new ExtTable(w)), TERMS, null,
                mask, committer);
        res.proof().write(ch.out);
        committer.flush(ch.out);
        finalValue = res.finalEvaluations()[0];
        ch.sendExt("mask-linear-value", finalValue);
        return res.point();
    }

    Ext2 finalValue() {
        return finalValue;
    }

    /** The verifier's side: checks the combined claim's sumcheck and returns M's claim at its point. */
    PcsClaim verify(VerifierChannel ch, byte[] root, int vars, int[] degrees, MaskVerifier masks) throws MalformedProofException, ProofRejectedException {
        Ext2 gamma = ch.challenge("mask-linear-gamma");
        Ext2 claim = Ext2.ZERO;
        Ext2 power = Ext2.ONE;
        for (Ext2 v : values) {
            claim = claim.add(power.mul(v));
            power = power.mul(gamma);
        }
        ZkSumcheckProof proof = ZkSumcheckProof.read(ch.in, degrees);
        try {
            SubClaim sub = ZkSumcheckVerifier.verify(ch.transcript, claim, DEGREE, degrees, proof, masks);
            Ext2 m = ch.receiveExt("mask-linear-value");
            Ext2[] point = sub.point();
            EqAtIndices eq = new EqAtIndices(point);
            Ext2 wAt = Ext2.ZERO;
            power = Ext2.ONE;
            for (int j = 0; j < values.size(); j++) {
                for (int k = 0; k < entries.get(j).length; k++) {
                    wAt = wAt.add(power.mul(weights.get(j)[k]).mul(eq.at(entries.get(j)[k])));
                }
                power = power.mul(gamma);
            }
            sub.check(TERMS, new Ext2[] {m, wAt});
            return new PcsClaim(root, vars, point, m);
        } catch (SumcheckRejectedException e) {
            throw new ProofRejectedException("mask commitment's linear claims: " + e.getMessage(), e);
        }
    }
}
