package dev.verinfer.node;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.PublicStatement;

/** Ways a cheating prover might alter a proof, for the demo. */
final class Tamper {
    private Tamper() {}

    /**
     * The proof with its statement claiming {@code value} as the first output value, everything else
     * unchanged. The value's 8 bytes are located through the public statement reader: the byte whose
     * change moves that output by exactly 2 is its lowest; its neighbour tells the byte order.
     */
    static byte[] claimOutput(byte[] proof, long value) {
        long honest = statement(proof).outputs().getFirst()[0];
        for (int i = 0; i < proof.length; i++) {
            if (Math.abs(firstOutput(flip(proof, i, 0x02)) - honest) != 2) continue;
            boolean littleEndian = i + 1 < proof.length && Math.abs(firstOutput(flip(proof, i + 1, 0x02)) - honest) == 512;
            byte[] lie = proof.clone();
            for (int k = 0; k < 8; k++) lie[littleEndian ? i + k : i - k] = (byte) (value >>> (8 * k));
            if (firstOutput(lie) == value) return lie;
        }
        throw new IllegalStateException("cannot locate the output in the proof's statement");
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

    /** The first output value the proof states, or Long.MIN_VALUE when the altered bytes no longer read as a statement. */
    private static long firstOutput(byte[] proof) {
        try {
            PublicStatement s = Proof.fromBytes(proof).statement();
            return s.outputs().isEmpty() || s.outputs().getFirst().length == 0 ? Long.MIN_VALUE : s.outputs().getFirst()[0];
        } catch (MalformedProofException e) {
            return Long.MIN_VALUE;
        }
    }

    private static byte[] flip(byte[] proof, int at, int mask) {
        byte[] b = proof.clone();
        b[at] ^= (byte) mask;
        return b;
    }
}
