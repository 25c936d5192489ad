package dev.verinfer.pcs;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The opening prover (Brakedown §4, "Tensor IOP"): per commitment, the proximity row γᵀM for
 * transcript-drawn γ, one evaluation row eq(r_high)ᵀM per claim, then the transcript-drawn columns
 * of the codeword with one Merkle multi-proof. f(r) = ⟨eq(r_low), eq(r_high)ᵀM⟩ since the low
 * variables index columns.
 */
final class TensorProver {
    private TensorProver() {}

    static TensorOpeningProof open(TensorPcsParameters params, Transcript t, List<PcsOpening> openings) {
        List<PcsClaim> claims = new ArrayList<>();
        for (PcsOpening o : openings) {
            if (!(o.commitment() instanceof TensorCommitment c) || !c.layout.equals(TensorLayout.of(c.numVars(), params))) {
                throw new IllegalArgumentException("commitment was not made by a tensor PCS with these parameters");
            }
            if (o.point().length != c.numVars()) {
                throw new IllegalArgumentException("point has " + o.point().length + " coordinates for a " + c.numVars() + "-variable polynomial");
            }
            claims.add(o.claim());
        }
        List<int[]> groups = ClaimGroups.of(claims);
        TensorTranscript.absorbClaims(t, params, claims);
        List<ExtVector> combiners = new ArrayList<>();
        for (int[] g : groups) {
            combiners.add(TensorTranscript.combiner(t, commitment(openings, g).layout));
        }
        List<ExtVector> proximityRows = new ArrayList<>();
        List<List<ExtVector>> evaluationRows = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            TensorCommitment c = commitment(openings, groups.get(i));
            ExtVector proximity = RowAlgebra.combineRows(c.table, c.layout, combiners.get(i));
            List<ExtVector> evaluations = new ArrayList<>();
            for (int k : groups.get(i)) {
                evaluations.add(evaluationRow(c, openings.get(k)));
            }
            TensorTranscript.absorbRows(t, proximity, evaluations);
            proximityRows.add(proximity);
            evaluationRows.add(evaluations);
        }
        List<TensorOpeningProof.Group> out = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            TensorCommitment c = commitment(openings, groups.get(i));
            int[] columns = TensorTranscript.columns(t, params, c.layout);
            out.add(new TensorOpeningProof.Group(proximityRows.get(i), List.copyOf(evaluationRows.get(i)), c.columns(columns), c.tree.open(columns)));
        }
        return new TensorOpeningProof(List.copyOf(out));
    }

    private static TensorCommitment commitment(List<PcsOpening> openings, int[] group) {
        return (TensorCommitment) openings.get(group[0]).commitment();
    }

    /** eq(r_high)ᵀM, checked against the claimed value so a prover bug surfaces here, not at the verifier. */
    private static ExtVector evaluationRow(TensorCommitment c, PcsOpening o) {
        TensorLayout l = c.layout;
        Ext2[] point = o.point();
        ExtVector row = RowAlgebra.combineRows(c.table, l, Mle.eqTable(Arrays.copyOfRange(point, l.logCols(), l.numVars())));
        Ext2 value = RowAlgebra.innerProduct(Mle.eqTable(Arrays.copyOf(point, l.logCols())), row);
        if (!value.equals(o.value())) {
            throw new IllegalArgumentException("claimed value " + o.value() + " is not the polynomial's value " + value + " at the point");
        }
        return row;
    }
}
