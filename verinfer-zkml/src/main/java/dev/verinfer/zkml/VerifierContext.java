package dev.verinfer.zkml;

/** What the verifier's protocol steps share: the plan, the proof stream and the claims. */
record VerifierContext(ProofPlan plan, VerifierChannel channel, ClaimBook claims, boolean zeroKnowledge) {}
