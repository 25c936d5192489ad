package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.transcript.Transcript;

/** The verifier's side of {@link MaskCommitter}: the same transcript steps, in the same order. */
public interface MaskVerifier {
    /** Receives the mask's commitment and absorbs it. */
    void receiveCommitment(Transcript transcript) throws SumcheckRejectedException;

    /** Accepts only if the committed mask takes {@code value} at {@code point}. */
    void verifyOpening(Transcript transcript, Ext2[] point, Ext2 value) throws SumcheckRejectedException;

    /** The counterpart of {@link MaskCommitter#openAdjustedSum}: accepts only if value = Σ g − Δ/ρ. */
    default void verifyAdjustedSum(Transcript transcript, Ext2 rho, Ext2 value) throws SumcheckRejectedException {
        throw new SumcheckRejectedException("this mask commitment carries no hidden offset");
    }
}
