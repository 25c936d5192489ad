package dev.verinfer.pcs;

import dev.verinfer.codec.ProofWriter;

/**
 * A batched opening proof; read back with {@link MultilinearPcs#readProof}. Open (not sealed) so schemes
 * in other modules can implement it; each verifier rejects proofs of another scheme.
 */
public interface PcsOpeningProof {
    void write(ProofWriter writer);

    /**
     * Where this opening's encoded bytes go, by part (for benchmarks and {@code verinfer.trace}); the parts
     * sum to the encoded size. A scheme without a breakdown reports its whole size as one part.
     */
    default java.util.Map<String, Long> sections() {
        ProofWriter w = new ProofWriter();
        write(w);
        return java.util.Map.of("opening", (long) w.size());
    }
}
