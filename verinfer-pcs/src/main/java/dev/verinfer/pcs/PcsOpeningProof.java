package dev.verinfer.pcs;

import dev.verinfer.codec.ProofWriter;

/** A batched opening proof; read back with {@link MultilinearPcs#readProof}. */
public sealed interface PcsOpeningProof permits TensorOpeningProof {
    void write(ProofWriter writer);
}
