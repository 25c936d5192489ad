package dev.verinfer.pcs;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.field.ExtVector;
import dev.verinfer.merkle.MerkleMultiProof;
import dev.verinfer.merkle.MerkleTree;

import java.util.ArrayList;
import java.util.List;

/** A tensor-PCS opening: one {@link Group} per distinct commitment, in order of first appearance among the claims. */
record TensorOpeningProof(List<Group> groups) implements PcsOpeningProof {
    private static final int MAX_GROUPS = 1 << 16;
    private static final int MAX_ROWS_PER_GROUP = 1 << 16;
    private static final int MAX_VECTOR = 1 << 24;

    /**
     * The opening of one commitment: the proximity row γᵀM, one evaluation row eq(r_high)ᵀM per claim,
     * the queried codeword columns (ascending column index) and their Merkle multi-proof.
     */
    record Group(ExtVector proximityRow, List<ExtVector> evaluationRows, long[][] columns, MerkleMultiProof paths) {}

    @Override
    public void write(ProofWriter w) {
        w.writeInt(groups.size());
        for (Group g : groups) {
            w.writeExts(g.proximityRow());
            w.writeInt(g.evaluationRows().size());
            for (ExtVector row : g.evaluationRows()) {
                w.writeExts(row);
            }
            w.writeInt(g.columns().length);
            for (long[] column : g.columns()) {
                w.writeFields(column);
            }
            g.paths().write(w);
        }
    }

    static TensorOpeningProof read(ProofReader r, TensorPcsParameters params) throws MalformedProofException {
        int groupCount = r.readLength(MAX_GROUPS, "PCS commitment groups");
        List<Group> groups = new ArrayList<>();
        for (int g = 0; g < groupCount; g++) {
            ExtVector proximity = ExtVector.of(r.readExts(MAX_VECTOR, "PCS proximity row"));
            int rowCount = r.readLength(MAX_ROWS_PER_GROUP, "PCS evaluation rows");
            List<ExtVector> rows = new ArrayList<>();
            for (int i = 0; i < rowCount; i++) {
                rows.add(ExtVector.of(r.readExts(MAX_VECTOR, "PCS evaluation row")));
            }
            long[][] columns = new long[r.readLength(params.queries(), "PCS opened columns")][];
            for (int k = 0; k < columns.length; k++) {
                columns[k] = r.readFields(MAX_VECTOR, "PCS column");
            }
            MerkleMultiProof paths = MerkleMultiProof.read(r, MerkleMultiProof.maxSiblings(MerkleTree.MAX_LEAVES, params.queries()));
            groups.add(new Group(proximity, rows, columns, paths));
        }
        return new TensorOpeningProof(groups);
    }
}
