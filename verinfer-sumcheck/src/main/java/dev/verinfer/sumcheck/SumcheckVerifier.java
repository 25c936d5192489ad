package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.transcript.Transcript;

/**
 * Verifies a {@link SumcheckProof} of Σ_{x ∈ {0,1}^n} g(x) = claimedSum for a g of degree ≤ d in
 * each variable (Lund–Fortnow–Karloff–Nisan; Thaler, "Proofs, Arguments, and Zero-Knowledge" §4.1).
 * Each round i the prover sends p_i at 0, 2, …, d; p_i(1) = claim − p_i(0) makes p_i(0) + p_i(1) =
 * claim hold by construction; the next claim is p_i(r_i). The result is a {@link SubClaim} the caller
 * must finish with {@link SubClaim#check} on table evaluations it has established itself.
 */
public final class SumcheckVerifier {
    private SumcheckVerifier() {}

    public static SubClaim verify(Transcript transcript, Ext2 claimedSum, int numVars, int degree, SumcheckProof proof) throws SumcheckRejectedException {
        if (degree < 1) {
            throw new IllegalArgumentException("sumcheck degree must be at least 1: " + degree);
        }
        if (proof.numRounds() != numVars) {
            throw new SumcheckRejectedException("proof has " + proof.numRounds() + " rounds for " + numVars + " variables");
        }
        SumcheckTranscript.begin(transcript, numVars, degree, claimedSum);
        Ext2 claim = claimedSum;
        Ext2[] point = new Ext2[numVars];
        Ext2[] values = new Ext2[degree + 1];
        for (int i = 0; i < numVars; i++) {
            Ext2[] message = proof.round(i);
            if (message.length != degree) {
                throw new SumcheckRejectedException("round " + i + " has " + message.length + " values, expected " + degree);
            }
            values[0] = message[0];
            values[1] = claim.sub(message[0]);
            System.arraycopy(message, 1, values, 2, degree - 1);
            point[i] = SumcheckTranscript.round(transcript, message);
            claim = Interpolation.evaluate(values, point[i]);
        }
        return new SubClaim(point, claim);
    }
}
