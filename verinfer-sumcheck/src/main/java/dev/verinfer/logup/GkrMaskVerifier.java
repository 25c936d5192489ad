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

    /** Receives the commitment to the blinding of {@code trees} trees and absorbs it (before β and α). */
    void receiveBlinding(Transcript transcript, int trees) throws SumcheckRejectedException;

    /** Accepts only if {@code values} are {@link #blindingEvaluations} of the committed blinding at r. */
    void verifyBlinding(Transcript transcript, Ext2 r, Ext2[] values) throws SumcheckRejectedException;

    /** Whether the caller masks the leaf claims ({@link LeafMasks}); the statement's choice, known to both sides. */
    default boolean masksLeaves() {
        return false;
    }

    /** The counterpart of {@link GkrMaskCommitter#openLeafOffset}. */
    default void verifyLeafOffset(Transcript transcript, LeafMaskWeights weights, Ext2 value) throws SumcheckRejectedException {
        throw new SumcheckRejectedException("this mask commitment does not hold the leaf masks");
    }

    /**
     * (B'(r), C'(r)) per tree of blinding (b_0, b_1, c_0, c_1, m_B, m_C): (1 − r)·b_0 + r·b_1 + r(1 − r)·m_B
     * and likewise for c — linear in the committed values, so one linear opening each.
     */
    static Ext2[] blindingEvaluations(java.util.List<Ext2[]> blinding, Ext2 r) {
        return GkrBlinding.evaluate(blinding, r);
    }
}
