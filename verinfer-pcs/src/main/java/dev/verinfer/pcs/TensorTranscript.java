package dev.verinfer.pcs;

import dev.verinfer.field.ExtVector;
import dev.verinfer.transcript.Transcript;

import java.util.Arrays;
import java.util.List;

/**
 * The Fiat–Shamir steps of a tensor-PCS opening, shared by prover and verifier so both walk the same
 * sequence: (1) absorb the scheme parameters and every claim; (2) draw one combiner per commitment;
 * (3) absorb each commitment's proximity and evaluation rows; (4) draw each commitment's columns.
 */
final class TensorTranscript {
    private TensorTranscript() {}

    static void absorbClaims(Transcript t, TensorPcsParameters params, List<PcsClaim> claims) {
        t.absorbField("pcs/tensor/log-inverse-rate", params.logInverseRate());
        t.absorbField("pcs/tensor/queries", params.queries());
        t.absorbField("pcs/claims", claims.size());
        for (PcsClaim c : claims) {
            t.absorbBytes("pcs/root", c.root());
            t.absorbField("pcs/num-vars", c.numVars());
            t.absorbExts("pcs/point", c.point());
            t.absorbExt("pcs/value", c.claimedValue());
        }
    }

    /** Independent uniform coefficients for the proximity combination of the layout's rows. */
    static ExtVector combiner(Transcript t, TensorLayout layout) {
        return ExtVector.of(t.challengeExts("pcs/combiner", layout.rows()));
    }

    static void absorbRows(Transcript t, ExtVector proximityRow, List<ExtVector> evaluationRows) {
        t.absorbExts("pcs/proximity-row", proximityRow);
        for (ExtVector w : evaluationRows) {
            t.absorbExts("pcs/evaluation-row", w);
        }
    }

    /** t uniform column indices, sorted and without repeats (a repeat only wastes a query). */
    static int[] columns(Transcript t, TensorPcsParameters params, TensorLayout layout) {
        return Arrays.stream(t.challengeIndices("pcs/columns", params.queries(), layout.codewordLength())).sorted().distinct().toArray();
    }
}
