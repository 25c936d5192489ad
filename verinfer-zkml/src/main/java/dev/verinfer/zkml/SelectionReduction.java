package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.sumcheck.BaseTable;
import dev.verinfer.sumcheck.ExtTable;
import dev.verinfer.sumcheck.ProductTerm;
import dev.verinfer.sumcheck.SubClaim;
import dev.verinfer.sumcheck.SumcheckProver;
import dev.verinfer.sumcheck.SumcheckProverResult;

import java.util.List;

/**
 * The reduction every data movement and batching step shares: a claim Σ_x T(x)·S(x) = v, with S a
 * selection the verifier can evaluate itself, becomes the claim T(ρ) by one degree-2 sumcheck; the
 * prover then sends T(ρ), and the caller checks T(ρ)·S(ρ) against the sumcheck's final value.
 */
final class SelectionReduction {
    /** The verifier's end of a reduction: ρ, the sent T(ρ), and the value T(ρ)·S(ρ) must equal. */
    record Reduced(Ext2[] point, Ext2 tableValue, Ext2 expected) {
        Claim claim() {
            return new Claim(point, tableValue);
        }

        void check(Ext2 selectionValue, String what) throws ProofRejectedException {
            if (!tableValue.mul(selectionValue).equals(expected)) {
                throw new ProofRejectedException(what + ": final evaluation does not match");
            }
        }
    }

    private SelectionReduction() {}

    static Claim prove(ProverChannel ch, long[] table, ExtVector selection, String label) {
        SumcheckProverResult res = SumcheckProver.prove(ch.transcript,
                List.of(new BaseTable(table), new ExtTable(selection)), List.of(new ProductTerm(Ext2.ONE, new int[] {0, 1})));
        res.proof().write(ch.out);
        Ext2 value = res.finalEvaluations()[0];
        ch.sendExt(label, value);
        return new Claim(res.point(), value);
    }

    static Reduced verify(VerifierChannel ch, Ext2 sum, int numVars, String label, String what)
            throws MalformedProofException, ProofRejectedException {
        SubClaim sub = ch.sumcheck(sum, numVars, 2, what);
        return new Reduced(sub.point(), ch.receiveExt(label), sub.expectedEvaluation());
    }
}
