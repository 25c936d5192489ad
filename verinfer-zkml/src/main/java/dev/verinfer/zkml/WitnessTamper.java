package dev.verinfer.zkml;

/**
 * For tests that play a cheating prover: edits a tensor's padded field table (real slots or padding)
 * before anything is committed or evaluated, so every later message is derived honestly from the
 * edited table. A convenience over the prover's one seam, proving from padded field tables
 * ({@link Prover#prove(ProvingKey, long[][], Visibility, Visibility, ProverChannel.Tamper)}), which the
 * test suite's adversarial prover fills by re-deriving the whole trace in field arithmetic.
 */
@FunctionalInterface
interface WitnessTamper {
    /** May overwrite entries of {@code padded}, the field table of tensor {@code tensor}. */
    void tamper(int tensor, long[] padded);
}
