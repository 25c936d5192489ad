package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.field.Ext2;
import dev.verinfer.sumcheck.SubClaim;
import dev.verinfer.sumcheck.SumcheckProof;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.sumcheck.SumcheckVerifier;
import dev.verinfer.transcript.Transcript;

/** The verifier's side of the proof stream: reads exactly what {@link ProverChannel} wrote, absorbing it alike. */
final class VerifierChannel {
    /** Upper bound on any vector of field elements in a proof (a hostile length is refused, not allocated). */
    static final int MAX_VECTOR = 1 << 22;

    final Transcript transcript;
    final ProofReader in;

    VerifierChannel(Transcript transcript, ProofReader in) {
        this.transcript = transcript;
        this.in = in;
    }

    Ext2 receiveExt(String label) throws MalformedProofException {
        Ext2 v = in.readExt();
        transcript.absorbExt(label, v);
        return v;
    }

    Ext2[] receiveExts(String label, int expected) throws MalformedProofException {
        Ext2[] v = in.readExts(MAX_VECTOR, label);
        if (v.length != expected) {
            throw new MalformedProofException(label + ": expected " + expected + " values, proof has " + v.length);
        }
        transcript.absorbExts(label, v);
        return v;
    }

    byte[] receiveBytes(String label, int maxLength) throws MalformedProofException {
        byte[] data = in.readBytes(maxLength, label);
        transcript.absorbBytes(label, data);
        return data;
    }

    /** Reads and checks a sumcheck proof of {@code sum}; a rejection names {@code what} it was for. */
    SubClaim sumcheck(Ext2 sum, int numVars, int degree, String what) throws MalformedProofException, ProofRejectedException {
        SumcheckProof proof = SumcheckProof.read(in, numVars, degree);
        try {
            return SumcheckVerifier.verify(transcript, sum, numVars, degree, proof);
        } catch (SumcheckRejectedException e) {
            throw new ProofRejectedException(what + ": " + e.getMessage(), e);
        }
    }

    Ext2 challenge(String label) {
        return transcript.challengeExt(label);
    }

    Ext2[] challenges(String label, int n) {
        return transcript.challengeExts(label, n);
    }
}
