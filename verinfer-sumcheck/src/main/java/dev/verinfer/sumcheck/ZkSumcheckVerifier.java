package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.transcript.Transcript;

import java.util.Arrays;

/** Verifies a {@link ZkSumcheckProof} ({@link ZkSumcheckProver} gives the protocol). */
public final class ZkSumcheckVerifier {
    private ZkSumcheckVerifier() {}

    /**
     * Checks the rounds of H + ρ·G and the mask's opening g(r); returns the claim left on f alone,
     * f(r) = e − ρ·g(r), which the caller finishes with {@link SubClaim#check} or
     * {@link SubClaim#checkWithEq} exactly as for a plain sumcheck.
     */
    public static SubClaim verify(Transcript transcript, Ext2 claimedSum, int numVars, int degree, ZkSumcheckProof proof, MaskVerifier masks)
            throws SumcheckRejectedException {
        int[] degrees = new int[numVars];
        Arrays.fill(degrees, degree);
        return verify(transcript, claimedSum, degree, degrees, proof, masks);
    }

    /**
     * As above for a statement whose rounds have the given degrees ({@link ZkSumcheckProver#roundDegrees}:
     * the last is raised when tables carry {@link VanishingMask}s); {@code degree} is the statement's
     * own. The final evaluations the caller then checks are the masked tables' T'(r).
     */
    public static SubClaim verify(Transcript transcript, Ext2 claimedSum, int degree, int[] roundDegrees, ZkSumcheckProof proof, MaskVerifier masks)
            throws SumcheckRejectedException {
        int numVars = roundDegrees.length;
        ZkSumcheckTranscript.claim(transcript, claimedSum, roundDegrees);
        masks.receiveCommitment(transcript);
        Ext2 rho = ZkSumcheckTranscript.maskWeight(transcript, proof.maskSum());
        SubClaim masked = SumcheckVerifier.verify(transcript, claimedSum.add(rho.mul(proof.maskSum())), numVars, degree, roundDegrees, proof.rounds());
        ZkSumcheckTranscript.maskEvaluation(transcript, proof.maskEvaluation());
        masks.verifyOpening(transcript, masked.point(), proof.maskEvaluation());
        return new SubClaim(masked.point(), masked.expectedEvaluation().sub(rho.mul(proof.maskEvaluation())));
    }

    /**
     * Verifies {@link ZkSumcheckProver#proveWithHiddenOffset}: the rounds of claimedSum + ρ·G*, g(r),
     * and G* = Σg − Δ/ρ through the caller's commitment; returns the claim left on f, as {@link #verify}.
     * ({@code proof.maskSum()} holds G*.)
     */
    public static SubClaim verifyWithHiddenOffset(Transcript transcript, Ext2 claimedSum, int degree, int[] roundDegrees, ZkSumcheckProof proof,
                                                  MaskVerifier masks) throws SumcheckRejectedException {
        ZkSumcheckTranscript.claim(transcript, claimedSum, roundDegrees);
        masks.receiveCommitment(transcript);
        Ext2 rho = ZkSumcheckTranscript.maskWeightFirst(transcript);
        ZkSumcheckTranscript.adjustedMaskSum(transcript, proof.maskSum());
        SubClaim masked = SumcheckVerifier.verify(transcript, claimedSum.add(rho.mul(proof.maskSum())), roundDegrees.length, degree, roundDegrees,
                proof.rounds());
        ZkSumcheckTranscript.maskEvaluation(transcript, proof.maskEvaluation());
        masks.verifyOpening(transcript, masked.point(), proof.maskEvaluation());
        masks.verifyAdjustedSum(transcript, rho, proof.maskSum());
        return new SubClaim(masked.point(), masked.expectedEvaluation().sub(rho.mul(proof.maskEvaluation())));
    }
}
