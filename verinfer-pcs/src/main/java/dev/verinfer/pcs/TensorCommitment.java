package dev.verinfer.pcs;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;
import dev.verinfer.merkle.MerkleHasher;
import dev.verinfer.merkle.MerkleTree;

/**
 * The prover's data for one committed table: the table itself (a private copy), the encoded rows
 * (as {@link RowCode} segments) and the Merkle tree whose leaf j is the hash of codeword column j.
 */
final class TensorCommitment implements PcsCommitment {
    private static final int PARALLEL_COLUMNS = 256;

    final TensorLayout layout;
    final long[] table;
    private final long[][] codeword;
    final MerkleTree tree;

    private TensorCommitment(TensorLayout layout, long[] table, long[][] codeword, MerkleTree tree) {
        this.layout = layout;
        this.table = table;
        this.codeword = codeword;
        this.tree = tree;
    }

    static TensorCommitment commit(long[] evaluations, TensorPcsParameters params) {
        int n = evaluations.length;
        if (n == 0 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("table length must be a power of two: " + n);
        }
        for (long v : evaluations) {
            Goldilocks.canonical(v);
        }
        long[] table = evaluations.clone();
        TensorLayout layout = TensorLayout.of(Integer.numberOfTrailingZeros(n), params);
        long[][] codeword = RowCode.encodeRows(table, layout);
        byte[][] leaves = new byte[layout.codewordLength()][];
        Parallelism.forEachChunk(leaves.length, PARALLEL_COLUMNS, (from, to) -> {
            MerkleHasher hasher = new MerkleHasher();
            long[] column = new long[layout.rows()];
            byte[] buf = new byte[8 * column.length];
            for (int j = from; j < to; j++) {
                for (int r = 0; r < column.length; r++) {
                    column[r] = RowCode.symbol(codeword, layout, r, j);
                }
                leaves[j] = RowCode.columnLeaf(hasher, column, buf);
            }
        });
        return new TensorCommitment(layout, table, codeword, MerkleTree.ofLeafHashes(leaves));
    }

    @Override
    public byte[] root() {
        return tree.root();
    }

    @Override
    public int numVars() {
        return layout.numVars();
    }

    /** The codeword columns at the given indices. */
    long[][] columns(int[] indices) {
        long[][] out = new long[indices.length][layout.rows()];
        for (int k = 0; k < indices.length; k++) {
            for (int r = 0; r < layout.rows(); r++) {
                out[k][r] = RowCode.symbol(codeword, layout, r, indices[k]);
            }
        }
        return out;
    }
}
