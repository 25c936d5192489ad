package dev.verinfer.zkml;

/**
 * For tests that play a cheating prover: edits a tensor's padded field table (real slots or padding)
 * when the prover first builds it, before anything is committed or evaluated, so every later message
 * is derived honestly from the edited table. The honest prover uses {@link #NONE}.
 */
@FunctionalInterface
interface WitnessTamper {
    WitnessTamper NONE = (tensor, padded) -> { };

    /** May overwrite entries of {@code padded}, the field table of tensor {@code tensor}. */
    void tamper(int tensor, long[] padded);
}
