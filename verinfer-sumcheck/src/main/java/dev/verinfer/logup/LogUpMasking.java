package dev.verinfer.logup;

import dev.verinfer.sumcheck.MaskCommitter;

import java.util.random.RandomGenerator;

/**
 * The prover's means to run LogUp-GKR's layer sumchecks in zero knowledge
 * ({@link dev.verinfer.sumcheck.ZkSumcheckProver}): a source of fresh masks and the caller's
 * (hiding) commitment to them, one mask per GKR layer. The verifier's counterpart is a
 * {@link dev.verinfer.sumcheck.MaskVerifier}.
 *
 * <p>This hides the layers' round messages; the four evaluations per layer and tree and the roots
 * still reveal evaluations of the fraction trees (docs/proof-system.md, "Zero-knowledge").
 */
public record LogUpMasking(RandomGenerator random, MaskCommitter committer) {}
