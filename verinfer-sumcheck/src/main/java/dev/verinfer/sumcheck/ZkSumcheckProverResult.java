package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;

/**
 * A zero-knowledge sumcheck proof with what the prover learnt: the (unmasked) sum it proved, the
 * random point and every table's evaluation there. The evaluations are the statement's own and are
 * NOT masked: a caller that must hide them masks its tables first (see {@link ZkSumcheckProver}).
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
