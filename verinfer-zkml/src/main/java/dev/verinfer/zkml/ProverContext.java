package dev.verinfer.zkml;

/**
 * What the prover's protocol steps share: the plan, the tensors of the execution, the proof stream and the claims;
 * {@code masks}, the fresh source of a zero-knowledge proof's masks, and {@code zk}, its per-proof mask commitment
 * and hiding weights (both null without zero knowledge; {@code zk} also null when no node uses {@link ProofMasks});
 * {@code tables}, the function tables the key commits with its weights.
 */
record ProverContext(ProofPlan plan, ProverTensors tensors, ProverChannel channel, ClaimBook claims, java.util.random.RandomGenerator masks,
        ZkProver zk, TableCommitment tables) {
    boolean zeroKnowledge() {
        return masks != null;
    }
}
