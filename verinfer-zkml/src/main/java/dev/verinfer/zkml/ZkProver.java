package dev.verinfer.zkml;

import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;

import java.util.List;

/**
 * A zero-knowledge proof's prover state: the per-proof mask commitment, the weight commitment with its
 * first mask face h (the companion table of the weights' vanishing masks, {@link LinearLayers}; both null
 * when no MatMul reads weights), and the off-face weight openings f′(p, Z(ρ), 0, …) collected for the final batch.
 */
record ZkProver(ProofMasks.ZkLayout layout, ProofMasks.Committer masks, PcsCommitment weights, long[] weightFace, List<PcsOpening> weightOpenings) {}
