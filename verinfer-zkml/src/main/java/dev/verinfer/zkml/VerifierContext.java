package dev.verinfer.zkml;

/**
 * What the verifier's protocol steps share: the plan, the proof stream and the claims; whether the model is
 * zero-knowledge, and {@code zk}, the per-proof mask commitment's reader (null without zero knowledge, or when no
 * node uses {@link ProofMasks}); {@code tables}, the function tables the key commits with its weights.
 */
record VerifierContext(ProofPlan plan, VerifierChannel channel, ClaimBook claims, boolean zeroKnowledge, ZkVerifier zk, TableCommitment tables) {}
