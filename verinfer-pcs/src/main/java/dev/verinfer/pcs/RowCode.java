package dev.verinfer.pcs;

import dev.verinfer.dft.Ntt;
import dev.verinfer.field.BranchFree;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;
import dev.verinfer.merkle.MerkleHasher;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Reed–Solomon code on rows and the hashing of codeword columns. A row of 2^b entries is read as
 * the coefficients of a polynomial f of degree &lt; 2^b; its codeword lists f on the 2^(b+k)-th roots
 * of unity ⟨ω_N⟩, coset by coset: symbol s·2^b + i is f(ω_N^s·ω_H^i) with H = ⟨ω_H⟩ the 2^b-th roots
 * and s &lt; 2^k. The cosets ω_N^s·H partition ⟨ω_N⟩, so this is RS on ⟨ω_N⟩ up to a fixed order of
 * symbols (same distance), and each coset costs one size-2^b NTT of the row scaled by powers of ω_N^s
 * instead of a size-2^(b+k) NTT of a zero-padded row. The code is F_p-linear, so an extension row
 * encodes coordinate-wise.
 *
 * <p>Encoded rows are kept as segments: segment r·2^k + s holds coset s of row r.
 */
final class RowCode {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private RowCode() {}

    /** The segments of every row of the 2^a × 2^b matrix {@code table}. Parallel over segments. */
    static long[][] encodeRows(long[] table, TensorLayout layout) {
        int k = layout.logInverseRate();
        int cols = layout.cols();
        long[][] powers = cosetPowers(layout);
        long[][] segments = new long[layout.rows() << k][];
        Parallelism.forEachChunk(segments.length, 1, (from, to) -> {
            for (int seg = from; seg < to; seg++) {
                segments[seg] = scaled(table, (seg >>> k) * cols, powers[seg & ((1 << k) - 1)]);
            }
        });
        Ntt.forwardBatch(segments);
        return segments;
    }

    /** The codeword of an extension row of length 2^b, in symbol order. */
    static ExtVector encode(ExtVector row, TensorLayout layout) {
        int blowup = 1 << layout.logInverseRate();
        int cols = layout.cols();
        long[][] powers = cosetPowers(layout);
        long[][] segments = new long[2 * blowup][];
        for (int s = 0; s < blowup; s++) {
            segments[s] = scaled(row.c0(), 0, powers[s]);
            segments[blowup + s] = scaled(row.c1(), 0, powers[s]);
        }
        Ntt.forwardBatch(segments);
        ExtVector out = ExtVector.zeros(layout.codewordLength());
        for (int s = 0; s < blowup; s++) {
            System.arraycopy(segments[s], 0, out.c0(), s * cols, cols);
            System.arraycopy(segments[blowup + s], 0, out.c1(), s * cols, cols);
        }
        return out;
    }

    /** Symbol j of row r, from the segments of {@link #encodeRows}. */
    static long symbol(long[][] segments, TensorLayout layout, int r, int j) {
        return segments[(r << layout.logInverseRate()) + (j >>> layout.logCols())][j & (layout.cols() - 1)];
    }

    /** The Merkle leaf of a column: its entries as 8-byte big-endian words; {@code buf} is scratch of 8·length bytes. */
    static byte[] columnLeaf(MerkleHasher hasher, long[] column, byte[] buf) {
        for (int r = 0; r < column.length; r++) {
            LONGS.set(buf, 8 * r, column[r]);
        }
        return hasher.leaf(buf, 0, 8 * column.length);
    }

    /** powers[s][i] = (ω_N^s)^i: scaling coefficient i by it shifts the evaluation domain H to ω_N^s·H. */
    private static long[][] cosetPowers(TensorLayout layout) {
        int blowup = 1 << layout.logInverseRate();
        long omega = Goldilocks.rootOfUnity(layout.logCols() + layout.logInverseRate());
        long[][] powers = new long[blowup][layout.cols()];
        long shift = 1;
        for (int s = 0; s < blowup; s++) {
            long p = 1;
            for (int i = 0; i < powers[s].length; i++) {
                powers[s][i] = p;
                p = Goldilocks.mul(p, shift);
            }
            shift = Goldilocks.mul(shift, omega);
        }
        return powers;
    }

    private static long[] scaled(long[] src, int from, long[] powers) {
        long[] out = new long[powers.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = BranchFree.mul(src[from + i], powers[i]);
        }
        return out;
    }
}
