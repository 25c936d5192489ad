package dev.verinfer.logup;

import dev.verinfer.field.Ext2;
import dev.verinfer.sumcheck.MaskCommitter;
import dev.verinfer.sumcheck.VanishingMask;
import dev.verinfer.transcript.Transcript;

/**
 * The commitment a zero-knowledge LogUp-GKR needs beyond the sumcheck masks: each layer's
 * {@link VanishingMask}s (one coefficient each, four per tree whose next layer is internal), committed
 * before that layer's sumcheck, and the opening of the next layer's adjusted mask sum
 * G* = Σg − Δ/ρ with Δ = ⟨weights, the previous layer's mask coefficients⟩
 * ({@link dev.verinfer.sumcheck.ZkSumcheckProver#proveWithHiddenOffset}).
 */
public interface GkrMaskCommitter extends MaskCommitter {
    /** Commits (hiding) the coefficients of one layer's vanishing masks, in order, and absorbs the commitment. */
    void commitLayerMasks(Transcript transcript, VanishingMask[] masks);

    /**
     * Fixes Δ's weights over the most recently committed layer masks for the next
     * {@link #openAdjustedSum}; called before the next layer's masks are committed.
     */
    void offsetWeights(Ext2[] weights);
}
