package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.transcript.Transcript;

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
        ZkSumcheckTranscript.claim(transcript, claimedSum);
        masks.receiveCommitment(transcript);
        Ext2 rho = ZkSumcheckTranscript.maskWeight(transcript, proof.maskSum());
        SubClaim masked = SumcheckVerifier.verify(transcript, claimedSum.add(rho.mul(proof.maskSum())), numVars, degree, proof.rounds());
        ZkSumcheckTranscript.maskEvaluation(transcript, proof.maskEvaluation());
        masks.verifyOpening(transcript, masked.point(), proof.maskEvaluation());
        return new SubClaim(masked.point(), masked.expectedEvaluation().sub(rho.mul(proof.maskEvaluation())));
    }
}
