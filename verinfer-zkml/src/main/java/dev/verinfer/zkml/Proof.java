package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;

/** A proof: its public statement and its bytes (which carry the statement too). */
public record Proof(PublicStatement statement, byte[] bytes) {
    static final String MAGIC = "VIPF";
    /**
     * 2: the statement carries the batch size and the proof context; 3: the chained transcript (verinfer-transcript-v2);
     * 4: WHIR openings batch every plain commitment into one run and grind before their queries;
     * 5: public tensor values as zig-zag varints (one or two bytes for quantised values, not eight).
     */
    static final int VERSION = 5;

    public Proof {
        bytes = bytes.clone();
    }

    /** Reads the statement a proof file carries, without verifying anything. */
    public static Proof fromBytes(byte[] bytes) throws MalformedProofException {
        ProofReader r = ProofReader.open(bytes, MAGIC, VERSION);
        return new Proof(PublicStatement.read(r), bytes);
    }

    public int size() {
        return bytes.length;
    }
}
