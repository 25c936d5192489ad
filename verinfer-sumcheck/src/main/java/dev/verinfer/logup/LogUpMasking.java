package dev.verinfer.logup;

import java.util.random.RandomGenerator;

/**
 * The prover's means to run LogUp-GKR in zero knowledge: a source of fresh masks and the caller's
 * (hiding) commitment to them. Every layer's sumcheck is a {@link dev.verinfer.sumcheck.ZkSumcheckProver}
 * run, and the internal layers' values are masked ({@link GkrLayerMasks}). The verifier's
 * counterpart is a {@link GkrMaskVerifier}.
 *
 * <p>Still revealed: the roots, layer 0's four values per tree and the leaf evaluations
 * (docs/proof-system.md, "Zero-knowledge").
 */
public record LogUpMasking(RandomGenerator random, GkrMaskCommitter committer) {}
