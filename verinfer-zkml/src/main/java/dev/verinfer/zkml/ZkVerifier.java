package dev.verinfer.zkml;

import dev.verinfer.pcs.PcsClaim;

import java.util.List;

/** The verifier's side of {@link ZkProver}: the mask commitment's reader and the off-face weight claims collected. */
record ZkVerifier(ProofMasks.ZkLayout layout, ProofMasks.Verifier masks, byte[] weightRoot, int weightVars, List<PcsClaim> weightClaims) {}
