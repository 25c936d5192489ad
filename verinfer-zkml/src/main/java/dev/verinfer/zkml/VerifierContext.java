package dev.verinfer.zkml;

/** What the verifier's protocol steps share: the plan, the proof stream and the claims; {@code zk} is null without zero knowledge. */
record VerifierContext(ProofPlan plan, VerifierChannel channel, ClaimBook claims, ZkVerifier zk) {}
