package dev.verinfer.logup;

import dev.verinfer.field.Ext2;
import dev.verinfer.sumcheck.MaskVerifier;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.transcript.Transcript;

/** The verifier's side of {@link GkrMaskCommitter}, in the same transcript order. */
public interface GkrMaskVerifier extends MaskVerifier {
    /** Receives the commitment to {@code count} layer-mask coefficients and absorbs it. */
    void receiveLayerMasks(Transcript transcript, int count) throws SumcheckRejectedException;

    /**
     * Fixes Δ's weights over the most recently received layer masks for the next
     * {@link #verifyAdjustedSum}; called before the next layer's masks are received.
     */
    void offsetWeights(Ext2[] weights);
}
