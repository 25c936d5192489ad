package dev.verinfer.whir;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.Ext2;
import dev.verinfer.merkle.MerkleHasher;
import dev.verinfer.merkle.MerkleMultiProof;
import dev.verinfer.merkle.MerkleTree;
import dev.verinfer.pcs.PcsOpeningProof;

import java.util.ArrayList;
import java.util.List;

/** A WHIR opening: one {@link Group} per distinct commitment, in order of first appearance among the claims. */
record WhirProof(List<Group> groups) implements PcsOpeningProof {
    private static final int MAX_GROUPS = 1 << 16;
    private static final int MAX_ROUNDS = 32;
    private static final int MAX_OOD = 16;
    private static final int MAX_QUERIES = 4096;
    private static final int MAX_FIBRE = 2 << 6;
    private static final int MAX_FINAL = 1 << 10;

    /**
     * The opening of one commitment: the Merkle root and commit-time out-of-domain answers (hashed, they
     * must give the public root), one {@link Round} per iteration and the final polynomial's coefficients.
     */
    record Group(byte[] merkleRoot, Ext2[] commitOod, List<Round> rounds, Ext2[] finalCoefficients) {}

    /**
     * One iteration: the sumcheck messages (h(0), h(2)) and proof-of-work nonces (none without grinding) per bound variable, the next oracle's root (empty
     * in the last iteration) and out-of-domain answers, and the queried fibres of this iteration's oracle
     * (ascending index; base elements in iteration 0, (c0, c1) pairs after) with their Merkle multi-proof.
     */
    record Round(Ext2[] sumcheck, long[] powNonces, byte[] nextRoot, Ext2[] ood, long[][] fibres, MerkleMultiProof paths, long combineNonce) {}

    @Override
    public void write(ProofWriter w) {
        w.writeInt(groups.size());
        for (Group g : groups) {
            w.writeBytes(g.merkleRoot());
            w.writeExts(g.commitOod());
            w.writeInt(g.rounds().size());
            for (Round r : g.rounds()) {
                w.writeExts(r.sumcheck());
                w.writeInt(r.powNonces().length);
                for (long nonce : r.powNonces()) {
                    w.writeLong(nonce);
                }
                w.writeBytes(r.nextRoot());
                w.writeExts(r.ood());
                w.writeInt(r.fibres().length);
                for (long[] f : r.fibres()) {
                    w.writeFields(f);
                }
                r.paths().write(w);
                w.writeLong(r.combineNonce());
            }
            w.writeExts(g.finalCoefficients());
        }
    }

    static WhirProof read(ProofReader r) throws MalformedProofException {
        int groupCount = r.readLength(MAX_GROUPS, "WHIR commitment groups");
        List<Group> groups = new ArrayList<>();
        for (int g = 0; g < groupCount; g++) {
            byte[] merkleRoot = r.readBytes(MerkleHasher.DIGEST_BYTES, "WHIR Merkle root");
            Ext2[] commitOod = r.readExts(MAX_OOD, "WHIR commitment out-of-domain answers");
            int roundCount = r.readLength(MAX_ROUNDS, "WHIR iterations");
            List<Round> rounds = new ArrayList<>();
            for (int i = 0; i < roundCount; i++) {
                Ext2[] sumcheck = r.readExts(2 * MAX_ROUNDS, "WHIR sumcheck messages");
                long[] powNonces = new long[r.readLength(MAX_ROUNDS, "WHIR proof-of-work nonces")];
                for (int k = 0; k < powNonces.length; k++) {
                    powNonces[k] = r.readLong();
                }
                byte[] nextRoot = r.readBytes(MerkleHasher.DIGEST_BYTES, "WHIR oracle root");
                Ext2[] ood = r.readExts(MAX_OOD, "WHIR out-of-domain answers");
                long[][] fibres = new long[r.readLength(MAX_QUERIES, "WHIR queried fibres")][];
                for (int k = 0; k < fibres.length; k++) {
                    fibres[k] = r.readFields(MAX_FIBRE, "WHIR fibre");
                }
                MerkleMultiProof paths = MerkleMultiProof.read(r, MerkleMultiProof.maxSiblings(MerkleTree.MAX_LEAVES, MAX_QUERIES));
                rounds.add(new Round(sumcheck, powNonces, nextRoot, ood, fibres, paths, r.readLong()));
            }
            Ext2[] finalCoefficients = r.readExts(MAX_FINAL, "WHIR final polynomial");
            groups.add(new Group(merkleRoot, commitOod, List.copyOf(rounds), finalCoefficients));
        }
        return new WhirProof(List.copyOf(groups));
    }
}
