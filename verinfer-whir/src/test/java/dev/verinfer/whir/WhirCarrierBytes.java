package dev.verinfer.whir;

import dev.verinfer.codec.ProofWriter;
import dev.verinfer.pcs.PcsOpeningProof;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a proof's carrier opening ({@link WhirProof.CarrierOpening}, docs/proof-system.md "The per-proof carrier tree") lies in
 * its bytes, for byte-level tests outside this package: the carrier root, the member each part is, the carrier's leaves at
 * the queries — values, salts, multiproof — and the smaller parts' injected fibres, each a span of the proof.
 */
public final class WhirCarrierBytes {
    private WhirCarrierBytes() {}

    /** Bytes [from, to) of the proof holding one part of the carrier opening (with its length prefix). */
    public record Span(String part, int from, int to) {}

    /** The carrier opening's spans in {@code proof}, whose last bytes are {@code opening}'s (a verinfer proof ends with its opening). */
    public static List<Span> spans(PcsOpeningProof opening, byte[] proof) {
        ProofWriter all = new ProofWriter();
        opening.write(all);
        byte[] tail = all.toByteArray();
        int start = proof.length - tail.length;
        if (start < 0 || !Arrays.equals(tail, 0, tail.length, proof, start, proof.length)) {
            throw new IllegalArgumentException("the proof does not end with this opening");
        }
        WhirProof.CarrierOpening c = ((WhirProof) opening).groups().stream().filter(g -> g.maskedBatch() != null && g.maskedBatch().carrier() != null)
                .map(g -> g.maskedBatch().carrier()).findFirst().orElseThrow(() -> new IllegalArgumentException("the opening has no carrier"));
        ProofWriter w = new ProofWriter();
        List<String> parts = List.of("carrier root", "carrier members", "carrier leaf values", "carrier salts", "carrier multiproof",
                "carrier injected values");
        int[] ends = new int[parts.size()];
        w.writeBytes(c.root());
        ends[0] = w.size();
        w.writeInt(c.members().length);
        for (int j : c.members()) {
            w.writeInt(j);
        }
        ends[1] = w.size();
        WhirProof.writeFibres(w, c.leaves().fibres());
        ends[2] = w.size();
        WhirProof.writeLongs(w, c.leaves().salts());
        ends[3] = w.size();
        c.leaves().paths().write(w);
        ends[4] = w.size();
        w.writeInt(c.injected().size());
        for (long[][] fibres : c.injected()) {
            WhirProof.writeFibres(w, fibres);
        }
        ends[5] = w.size();
        byte[] section = w.toByteArray();
        int at = indexOf(tail, section);
        if (at < 0) {
            throw new IllegalStateException("the carrier opening is not written as read here (WhirProof.write changed?)");
        }
        List<Span> out = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            out.add(new Span(parts.get(p), start + at + (p == 0 ? 0 : ends[p - 1]), start + at + ends[p]));
        }
        return List.copyOf(out);
    }

    private static int indexOf(byte[] in, byte[] part) {
        for (int i = 0; i + part.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }
}
