package dev.verinfer.zkml;

/**
 * What the prover's protocol steps share: the plan, the tensors of the execution, the proof stream and
 * the claims; {@code zk} is null without zero knowledge.
 */
record ProverContext(ProofPlan plan, ProverTensors tensors, ProverChannel channel, ClaimBook claims, ZkProver zk) {}
