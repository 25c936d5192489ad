package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.transcript.Transcript;

/** The Fiat–Shamir steps a zero-knowledge sumcheck adds around the plain one ({@link SumcheckTranscript}). */
final class ZkSumcheckTranscript {
    private ZkSumcheckTranscript() {}

    /** Binds the claim H and every round's degree before the mask, so the prover cannot pick H after seeing ρ. */
    static void claim(Transcript t, Ext2 claimedSum, int[] roundDegrees) {
        long[] d = new long[roundDegrees.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = roundDegrees[i];
        }
        t.absorbFields("zk-sumcheck/round-degrees", d);
        t.absorbExt("zk-sumcheck/claim", claimedSum);
    }

    /** Absorbs G = Σ g (after the mask's commitment) and draws the mask weight ρ. */
    static Ext2 maskWeight(Transcript t, Ext2 maskSum) {
        t.absorbExt("zk-sumcheck/mask-sum", maskSum);
        return t.challengeExt("zk-sumcheck/mask-weight");
    }

    /** With a hidden offset: ρ is drawn right after the mask's commitment, before any sum is sent. */
    static Ext2 maskWeightFirst(Transcript t) {
        t.absorbField("zk-sumcheck/hidden-offset", 1);
        return t.challengeExt("zk-sumcheck/mask-weight");
    }

    /** With a hidden offset: G* = Σ g − Δ/ρ, opened by the caller's commitment at the end. */
    static void adjustedMaskSum(Transcript t, Ext2 value) {
        t.absorbExt("zk-sumcheck/adjusted-mask-sum", value);
    }

    static void maskEvaluation(Transcript t, Ext2 value) {
        t.absorbExt("zk-sumcheck/mask-evaluation", value);
    }
}
