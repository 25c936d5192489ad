package dev.verinfer.pcs;

import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtMath;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;

/** Extension-weighted combinations of base-field rows and columns, on primitive arrays ({@link BranchFree} in the hot loops). */
final class RowAlgebra {
    private static final int PARALLEL_COLUMNS = 1 << 10;

    private RowAlgebra() {}

    /** weightsᵀ·M for the row-major matrix M = {@code table} of the layout: Σ_r weights[r]·row_r. Parallel over columns. */
    static ExtVector combineRows(long[] table, TensorLayout layout, ExtVector weights) {
        int cols = layout.cols();
        ExtVector out = ExtVector.zeros(cols);
        long[] o0 = out.c0();
        long[] o1 = out.c1();
        long[] w0 = weights.c0();
        long[] w1 = weights.c1();
        Parallelism.forEachChunk(cols, PARALLEL_COLUMNS, (from, to) -> {
            for (int r = 0; r < w0.length; r++) {
                long g0 = w0[r];
                long g1 = w1[r];
                int base = r * cols;
                for (int c = from; c < to; c++) {
                    long m = table[base + c];
                    o0[c] = BranchFree.add(o0[c], BranchFree.mul(g0, m));
                    o1[c] = BranchFree.add(o1[c], BranchFree.mul(g1, m));
                }
            }
        });
        return out;
    }

    /** Σ_r weights[r]·column[r] for a base-field column. */
    static Ext2 combineColumn(ExtVector weights, long[] column) {
        long a0 = 0;
        long a1 = 0;
        for (int r = 0; r < column.length; r++) {
            a0 = BranchFree.add(a0, BranchFree.mul(weights.c0()[r], column[r]));
            a1 = BranchFree.add(a1, BranchFree.mul(weights.c1()[r], column[r]));
        }
        return new Ext2(a0, a1);
    }

    /** Σ_i a[i]·b[i] over the extension. */
    static Ext2 innerProduct(ExtVector a, ExtVector b) {
        long s0 = 0;
        long s1 = 0;
        for (int i = 0; i < a.length(); i++) {
            long x0 = a.c0()[i];
            long x1 = a.c1()[i];
            long y0 = b.c0()[i];
            long y1 = b.c1()[i];
            s0 = Goldilocks.add(s0, ExtMath.mulC0(x0, x1, y0, y1));
            s1 = Goldilocks.add(s1, ExtMath.mulC1(x0, x1, y0, y1));
        }
        return new Ext2(s0, s1);
    }
}
