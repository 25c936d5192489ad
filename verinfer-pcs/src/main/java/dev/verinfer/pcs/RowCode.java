package dev.verinfer.pcs;

import dev.verinfer.dft.Ntt;
import dev.verinfer.field.ExtVector;
import dev.verinfer.merkle.MerkleHasher;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Reed–Solomon code on rows and the hashing of codeword columns. A row of 2^b entries is read
 * as the coefficients of a polynomial of degree &lt; 2^b and encoded as its evaluations on the
 * 2^(b+k)-th roots of unity. The code is F_p-linear, so an extension row encodes coordinate-wise.
 */
final class RowCode {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private RowCode() {}

    /** Row r of the 2^a × 2^b matrix {@code table}, zero-padded to the codeword length (not yet encoded). */
    static long[] paddedRow(long[] table, TensorLayout layout, int r) {
        long[] row = new long[layout.codewordLength()];
        System.arraycopy(table, r * layout.cols(), row, 0, layout.cols());
        return row;
    }

    /** The codeword of an extension row of length 2^b. */
    static ExtVector encode(ExtVector row, TensorLayout layout) {
        long[] c0 = new long[layout.codewordLength()];
        long[] c1 = new long[layout.codewordLength()];
        System.arraycopy(row.c0(), 0, c0, 0, row.length());
        System.arraycopy(row.c1(), 0, c1, 0, row.length());
        Ntt.forwardBatch(new long[][] {c0, c1});
        return new ExtVector(c0, c1);
    }

    /** The Merkle leaf of a column: its entries as 8-byte big-endian words; {@code buf} is scratch of 8·length bytes. */
    static byte[] columnLeaf(MerkleHasher hasher, long[] column, byte[] buf) {
        for (int r = 0; r < column.length; r++) {
            LONGS.set(buf, 8 * r, column[r]);
        }
        return hasher.leaf(buf, 0, 8 * column.length);
    }
}
