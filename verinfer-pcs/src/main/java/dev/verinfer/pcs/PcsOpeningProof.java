package dev.verinfer.pcs;

import dev.verinfer.codec.ProofWriter;

/**
 * A batched opening proof; read back with {@link MultilinearPcs#readProof}. Open (not sealed) so schemes
 * in other modules can implement it; each verifier rejects proofs of another scheme.
 */
public interface PcsOpeningProof {
    void write(ProofWriter writer);
}
