package dev.verinfer.sumcheck;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;

import java.util.Arrays;

/**
 * The prover's messages: for each round, the round polynomial's values at 0, 2, 3, …, d (d values;
 * p(1) = claim − p(0) is implied). Encoded as the round count, then each round as a length-prefixed
 * vector of extension elements.
 */
public record SumcheckProof(Ext2[][] rounds) {
    /** Largest variable count and degree a reader accepts. */
    public static final int MAX_VARS = 40;
    public static final int MAX_DEGREE = 64;

    public SumcheckProof {
        rounds = deepCopy(rounds);
    }

    @Override
    public Ext2[][] rounds() {
        return deepCopy(rounds);
    }

    public int numRounds() {
        return rounds.length;
    }

    Ext2[] round(int i) {
        return rounds[i];
    }

    public void write(ProofWriter w) {
        w.writeInt(rounds.length);
        for (Ext2[] r : rounds) {
            w.writeExts(r);
        }
    }

    /** Reads a proof of exactly {@code numVars} rounds of {@code degree} values each. */
    public static SumcheckProof read(ProofReader r, int numVars, int degree) throws MalformedProofException {
        if (numVars < 0 || numVars > MAX_VARS || degree < 1 || degree > MAX_DEGREE) {
            throw new IllegalArgumentException("unsupported sumcheck shape: " + numVars + " variables, degree " + degree);
        }
        int[] degrees = new int[numVars];
        Arrays.fill(degrees, degree);
        return read(r, degrees);
    }

    /** Reads a proof of exactly degrees.length rounds, round i of degrees[i] values. */
    public static SumcheckProof read(ProofReader r, int[] degrees) throws MalformedProofException {
        int numVars = degrees.length;
        if (numVars > MAX_VARS || Arrays.stream(degrees).anyMatch(d -> d < 1 || d > MAX_DEGREE)) {
            throw new IllegalArgumentException("unsupported sumcheck shape: degrees " + Arrays.toString(degrees));
        }
        int n = r.readLength(MAX_VARS, "sumcheck round count");
        if (n != numVars) {
            throw new MalformedProofException("sumcheck has " + n + " rounds, expected " + numVars);
        }
        Ext2[][] rounds = new Ext2[n][];
        for (int i = 0; i < n; i++) {
            rounds[i] = r.readExts(MAX_DEGREE, "sumcheck round polynomial");
            if (rounds[i].length != degrees[i]) {
                throw new MalformedProofException("sumcheck round " + i + " has " + rounds[i].length + " values, expected " + degrees[i]);
            }
        }
        return new SumcheckProof(rounds);
    }

    private static Ext2[][] deepCopy(Ext2[][] a) {
        Ext2[][] out = new Ext2[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }
}
