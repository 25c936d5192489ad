package dev.verinfer.zkml;

import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.transcript.Transcript;

/** The prover's side of the proof stream: every message is written to the proof and absorbed. */
final class ProverChannel {
    /**
     * A test seam: what a cheating prover sends instead of each field-element message ({@code sequence}
     * counts them from 0 in sending order). The altered value is written and absorbed, so every later
     * challenge follows from it; the prover's own state stays honest.
     */
    interface Tamper {
        Tamper NONE = (sequence, label, value) -> value;

        Ext2 message(int sequence, String label, Ext2 value);

        /**
         * May overwrite entries of the committed witness items (in {@link ProofPlan#items} order: committed
         * tensors, remainder and gap limbs, multiplicities) after they are derived and before they are
         * packed and committed; everything after is derived from the edited items.
         */
        default void witness(long[][] items) {}

        /**
         * May overwrite entries of the packed witness — padding slots included — after packing and before it is committed;
         * the witness's claim batching then reads the edited table (with its mask in its last block,
         * {@link ZkWitnessBatching#tail}, the commitment's table: the edited one with the mask written over that block).
         */
        default void packed(long[] packed) {}

        /** The witness commitment's layout the prover uses: {@link ZkWitnessBatching#tail} as the key fixes it, or a cheat's choice. */
        default int witnessTail(int tail) {
            return tail;
        }

        /**
         * May overwrite entries of the per-proof mask table ({@link ProofMasks}) after the masks are drawn
         * and before it is committed; the protocol still uses the masks as drawn.
         */
        default void masks(long[] table) {}

        /**
         * May overwrite entries of function table {@code k}'s values column (in {@link ProofPlan#tables} order) as the
         * prover's look-up argument reads it; the key, and the weights a key commits the table in, stay as they are.
         */
        default void table(int k, long[] values) {}
    }

    final Transcript transcript;
    final ProofWriter out;
    private final Tamper tamper;
    private int sequence;

    ProverChannel(Transcript transcript, ProofWriter out, Tamper tamper) {
        this.transcript = transcript;
        this.out = out;
        this.tamper = tamper;
    }

    /** Function table {@code k}'s values column as the look-up argument reads it: the key's, or a cheating prover's ({@link Tamper#table}). */
    long[] table(int k, long[] values) {
        if (tamper == Tamper.NONE) {
            return values;
        }
        long[] out = values.clone();
        tamper.table(k, out);
        return out;
    }

    void sendExt(String label, Ext2 value) {
        Ext2 sent = tamper.message(sequence++, label, value);
        transcript.absorbExt(label, sent);
        out.writeExt(sent);
    }

    void sendExts(String label, Ext2... values) {
        out.writeExts(absorbExts(label, values));
    }

    /** As {@link #sendExts} without writing: the caller writes the returned (possibly tampered) values later, in the order the verifier reads. */
    Ext2[] absorbExts(String label, Ext2... values) {
        Ext2[] sent = new Ext2[values.length];
        for (int i = 0; i < values.length; i++) {
            sent[i] = tamper.message(sequence++, label, values[i]);
        }
        transcript.absorbExts(label, sent);
        return sent;
    }

    void sendBytes(String label, byte[] data) {
        transcript.absorbBytes(label, data);
        out.writeBytes(data);
    }

    Ext2 challenge(String label) {
        return transcript.challengeExt(label);
    }

    Ext2[] challenges(String label, int n) {
        return transcript.challengeExts(label, n);
    }
}
