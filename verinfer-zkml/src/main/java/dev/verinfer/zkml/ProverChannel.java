package dev.verinfer.zkml;

import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.transcript.Transcript;

/** The prover's side of the proof stream: every message is written to the proof and absorbed. */
final class ProverChannel {
    final Transcript transcript;
    final ProofWriter out;

    ProverChannel(Transcript transcript, ProofWriter out) {
        this.transcript = transcript;
        this.out = out;
    }

    void sendExt(String label, Ext2 value) {
        transcript.absorbExt(label, value);
        out.writeExt(value);
    }

    void sendExts(String label, Ext2... values) {
        transcript.absorbExts(label, values);
        out.writeExts(values);
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
