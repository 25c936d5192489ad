package dev.verinfer.logup;

import dev.verinfer.field.Ext2;
import dev.verinfer.sumcheck.MaskCommitter;
import dev.verinfer.sumcheck.SumcheckMask;
import dev.verinfer.sumcheck.VanishingMask;
import dev.verinfer.transcript.Transcript;

import java.util.random.RandomGenerator;

/**
 * The commitment a zero-knowledge LogUp-GKR needs beyond the sumcheck masks: each layer's
 * {@link VanishingMask}s (one coefficient each, four per tree whose next layer is internal), committed
 * before that layer's sumcheck, and the opening of the next layer's adjusted mask sum
 * G* = Σg − Δ/ρ with Δ = ⟨weights, the previous layer's mask coefficients⟩
 * ({@link dev.verinfer.sumcheck.ZkSumcheckProver#proveWithHiddenOffset}); and the blinding of the
 * roots and layer 0 ({@link GkrBlinding}), committed before β and α and opened at the blinding step's point.
 */
public interface GkrMaskCommitter extends MaskCommitter {
    /**
     * The blinding of {@code trees} trees; fresh from {@code random} unless the commitment holds masks
     * drawn in advance ({@link LogUpMaskLayout}), which it then returns in order. Likewise
     * {@link #drawLayerMask} and {@link #drawMask}.
     */
    default Ext2[][] drawBlinding(int trees, RandomGenerator random) {
        return GkrBlinding.draw(trees, random);
    }

    /** A one-coefficient layer mask (see {@link #drawBlinding}). */
    default VanishingMask drawLayerMask(RandomGenerator random) {
        return VanishingMask.random(1, random);
    }

    /** A zero-knowledge sumcheck's Libra mask of the given round degrees (see {@link #drawBlinding}). */
    default SumcheckMask drawMask(int[] degrees, RandomGenerator random) {
        return SumcheckMask.random(degrees, random);
    }

    /** Commits (hiding) the coefficients of one layer's vanishing masks, in order, and absorbs the commitment. */
    void commitLayerMasks(Transcript transcript, VanishingMask[] masks);

    /**
     * Fixes Δ's weights over the most recently committed layer masks for the next
     * {@link #openAdjustedSum}; called before the next layer's masks are committed.
     */
    void offsetWeights(Ext2[] weights);

    /**
     * Commits (hiding) the blinding, per blinded tree (b_0, b_1, c_0, c_1, m_B, m_C), and absorbs the
     * commitment; called before the look-up's challenges β and α are drawn.
     */
    void commitBlinding(Transcript transcript, Ext2[][] blinding);

    /**
     * Proves {@code values} = (B'(r), C'(r)) per blinded tree for the committed blinding
     * ({@link GkrMaskVerifier#blindingEvaluations}), absorbing whatever it sends.
     */
    void openBlinding(Transcript transcript, Ext2 r, Ext2[] values);

    /**
     * With {@link LeafMasks}: proves that {@code value} is the linear function {@code weights} of the
     * committed layer masks and of the caller's leaf masks R ({@link LeafMaskWeights}).
     */
    default void openLeafOffset(Transcript transcript, LeafMaskWeights weights, Ext2 value) {
        throw new UnsupportedOperationException("this mask commitment does not hold the leaf masks");
    }
}
