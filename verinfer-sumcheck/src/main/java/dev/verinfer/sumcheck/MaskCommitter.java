package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.transcript.Transcript;

/**
 * The prover's side of the commitment to a {@link SumcheckMask}, supplied by the caller (in a
 * zero-knowledge proof: a hiding polynomial commitment with zero-knowledge openings, so the
 * simulator can open to the value it needs). The mask is small: 1 + n·d coefficients, and
 * g(r) = ⟨(a_0, a_{i,k}), (1, r_i^k)⟩ is one inner-product (or univariate) opening.
 */
public interface MaskCommitter {
    /** Sends a binding commitment to {@code mask} and absorbs it into {@code transcript}; called before the verifier's ρ. */
    void commit(Transcript transcript, SumcheckMask mask);

    /** Proves g(point) = value after the sumcheck, absorbing whatever it sends. */
    void open(Transcript transcript, SumcheckMask mask, Ext2[] point, Ext2 value);

    /**
     * For a sumcheck with a hidden offset Δ ({@link ZkSumcheckProver#proveWithHiddenOffset}): proves
     * value = Σ_x g(x) − Δ/ρ, where Δ is a linear function of values the caller committed (hiding)
     * before the sumcheck began. Only such callers implement it.
     */
    default void openAdjustedSum(Transcript transcript, SumcheckMask mask, Ext2 rho, Ext2 value) {
        throw new UnsupportedOperationException("this mask commitment carries no hidden offset");
    }
}
