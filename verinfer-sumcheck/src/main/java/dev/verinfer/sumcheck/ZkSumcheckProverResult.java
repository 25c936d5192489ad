package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;

/**
 * A zero-knowledge sumcheck proof with what the prover learnt: the sum it proved (claim − Δ with a
 * hidden offset), the random point and every table's evaluation there — T'(r) for a table given a
 * {@link VanishingMask}, else the table's own value, which the caller must not publish if it is private.
 */
public record ZkSumcheckProverResult(ZkSumcheckProof proof, Ext2 claimedSum, Ext2[] point, Ext2[] finalEvaluations) {
    public ZkSumcheckProverResult {
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
