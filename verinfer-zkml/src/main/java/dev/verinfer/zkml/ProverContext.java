package dev.verinfer.zkml;

/**
 * What the prover's protocol steps share: the plan, the tensors of the execution, the proof stream and the claims;
 * {@code masks}, the fresh source of a zero-knowledge proof's masks (null without zero knowledge).
 */
record ProverContext(ProofPlan plan, ProverTensors tensors, ProverChannel channel, ClaimBook claims, java.util.random.RandomGenerator masks) {
    boolean zeroKnowledge() {
        return masks != null;
    }
}
