package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;

/**
 * A sumcheck proof with what the prover learnt: the sum it proved, the random point (one challenge
 * per variable, point[0] for variable 0) and every table's evaluation there, in table order.
 */
public record SumcheckProverResult(SumcheckProof proof, Ext2 claimedSum, Ext2[] point, Ext2[] finalEvaluations) {
    public SumcheckProverResult {
        point = point.clone();
        finalEvaluations = finalEvaluations.clone();
    }

    @Override
    public Ext2[] point() {
        return point.clone();
    }

    @Override
    public Ext2[] finalEvaluations() {
        return finalEvaluations.clone();
    }
}
