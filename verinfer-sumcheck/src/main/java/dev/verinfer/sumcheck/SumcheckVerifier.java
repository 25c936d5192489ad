package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.transcript.Transcript;

import java.util.Arrays;

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
        int[] degrees = new int[Math.max(0, numVars)];
        Arrays.fill(degrees, degree);
        return verify(transcript, claimedSum, numVars, degree, degrees, proof);
    }

    /**
     * As above with round i of degree degrees[i] (the last round of a sumcheck with
     * {@link VanishingMask}s); the transcript binds the shape as (n, degree) and the caller binds the rest.
     */
    static SubClaim verify(Transcript transcript, Ext2 claimedSum, int numVars, int degree, int[] degrees, SumcheckProof proof)
            throws SumcheckRejectedException {
        if (degree < 1 || Arrays.stream(degrees).anyMatch(d -> d < 1) || degrees.length != numVars) {
            throw new IllegalArgumentException("sumcheck degrees must be at least 1, one per round: " + degree + ", " + Arrays.toString(degrees));
        }
        if (proof.numRounds() != numVars) {
            throw new SumcheckRejectedException("proof has " + proof.numRounds() + " rounds for " + numVars + " variables");
        }
        SumcheckTranscript.begin(transcript, numVars, degree, claimedSum);
        Ext2 claim = claimedSum;
        Ext2[] point = new Ext2[numVars];
        for (int i = 0; i < numVars; i++) {
            Ext2[] message = proof.round(i);
            int d = degrees[i];
            if (message.length != d) {
                throw new SumcheckRejectedException("round " + i + " has " + message.length + " values, expected " + d);
            }
            Ext2[] values = new Ext2[d + 1];
            values[0] = message[0];
            values[1] = claim.sub(message[0]);
            System.arraycopy(message, 1, values, 2, d - 1);
            point[i] = SumcheckTranscript.round(transcript, message);
            claim = Interpolation.evaluate(values, point[i]);
        }
        return new SubClaim(point, claim);
    }
}
