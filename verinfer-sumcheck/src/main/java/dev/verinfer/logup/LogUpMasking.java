package dev.verinfer.logup;

import java.util.random.RandomGenerator;

/**
 * The prover's means to run LogUp-GKR in zero knowledge: a source of fresh masks and the caller's
 * (hiding) commitment to them. Every layer's sumcheck is a {@link dev.verinfer.sumcheck.ZkSumcheckProver}
 * run, and the internal layers' values are masked ({@link GkrLayerMasks}). The verifier's
 * counterpart is a {@link GkrMaskVerifier}.
 *
 * <p>The roots and layer 0 are blinded ({@link GkrBlinding}). With {@code leaves} (the caller's masks of
 * the looked-up columns, selectors and multiplicities) the leaf evaluations are masked too; without,
 * they are revealed (docs/proof-system.md, "Zero-knowledge").
 */
public record LogUpMasking(RandomGenerator random, GkrMaskCommitter committer, LeafMasks leaves) {
    /** Masked layers and blinded roots; the leaf evaluations revealed. */
    public LogUpMasking(RandomGenerator random, GkrMaskCommitter committer) {
        this(random, committer, null);
    }
}
