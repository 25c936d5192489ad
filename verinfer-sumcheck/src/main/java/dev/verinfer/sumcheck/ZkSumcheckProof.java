package dev.verinfer.sumcheck;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;

/**
 * A zero-knowledge sumcheck's messages (the mask commitment and opening are the caller's):
 * G = Σ_x g(x), the rounds of the sumcheck of f + ρ·g, and g(r) at the final point.
 */
public record ZkSumcheckProof(Ext2 maskSum, SumcheckProof rounds, Ext2 maskEvaluation) {
    public void write(ProofWriter w) {
        w.writeExt(maskSum);
        rounds.write(w);
        w.writeExt(maskEvaluation);
    }

    /** Reads a proof of degrees.length rounds, round i of degrees[i] values ({@link ZkSumcheckProver#roundDegrees}). */
    public static ZkSumcheckProof read(ProofReader r, int[] degrees) throws MalformedProofException {
        Ext2 sum = r.readExt();
        SumcheckProof rounds = SumcheckProof.read(r, degrees);
        return new ZkSumcheckProof(sum, rounds, r.readExt());
    }
}
