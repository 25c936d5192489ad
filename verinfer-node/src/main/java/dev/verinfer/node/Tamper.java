package dev.verinfer.node;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.PublicStatement;
import java.util.ArrayList;
import java.util.List;

/** Ways a cheating prover might alter a proof, for the demo. */
final class Tamper {
    private Tamper() {}

    /** The proof with its statement claiming {@code value} as the first output value, the prover's messages unchanged. */
    static byte[] claimOutput(byte[] proof, long value) {
        PublicStatement honest = statement(proof);
        List<long[]> outputs = new ArrayList<>(honest.outputs());
        long[] first = outputs.getFirst().clone();
        first[0] = value;
        outputs.set(0, first);
        PublicStatement lie = new PublicStatement(honest.modelId(), honest.batch(), honest.context(), honest.inputs(), outputs,
                honest.inputRoots(), honest.outputRoots());
        try {
            return Proof.restated(proof, lie);
        } catch (MalformedProofException e) {
            throw new IllegalStateException("unreadable proof: " + e.getMessage(), e);
        }
    }

    /** The proof with one byte of its body (the prover's messages, well after the statement) flipped. */
    static byte[] flipBodyByte(byte[] proof) {
        return flip(proof, proof.length * 2 / 3, 0x01);
    }

    static PublicStatement statement(byte[] proof) {
        try {
            return Proof.fromBytes(proof).statement();
        } catch (MalformedProofException e) {
            throw new IllegalStateException("unreadable proof: " + e.getMessage(), e);
        }
    }

    private static byte[] flip(byte[] proof, int at, int mask) {
        byte[] b = proof.clone();
        b[at] ^= (byte) mask;
        return b;
    }
}
