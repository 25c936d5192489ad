package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;

import java.util.Arrays;
import java.util.stream.IntStream;


/**
 * The weight-recovery attack on the tensor-code PCS, as a reusable measurement: feed it what each
 * proof's weight opening revealed ({@link TensorOpeningRecorder}) and it reports the rank gained on
 * the private weights, by two independent routes, and recovers them once a route has full rank.
 *
 * <p>The packed weight table is the 2^a × 2^b matrix M of the commitment. The unknowns are its
 * entries that hold a real weight; the rest (per-dimension and packing padding) are zero by the
 * public layout, which the attacker derives from the verifying key's architecture.
 * <ul>
 * <li><b>Combined rows</b>: every row the opening sends is aᵀM for a public a ∈ F_{p²}^{2^a} (the
 * combiner γ, or eq(r_high) of a claim), i.e. two base-field equations (the two coordinates of a)
 * on every column of M: so the system splits into one block per message column c, unknowns M[·][c].
 * <li><b>Opened columns</b>: codeword symbol j of row r is Σ_c M[r][c]·x_j^c, x_j the j-th point
 * of the Reed–Solomon domain (RowCode: symbol s·2^b + i is at ω_N^s·ω_H^i): one block per row r.
 * </ul>
 * A zero-knowledge opening adds fresh masks to what it reveals; then the same blocks carry nuisance
 * unknowns and {@link LinearLeakage} reports the rank gained net of them, which must stay 0.
 */
final class WeightLeakage {
    private final int rows;
    private final int cols;
    private final int[][] privateRowsOfColumn;
    private final int[][] privateColsOfRow;
    private final LinearLeakage[] byColumn;
    private final LinearLeakage[] byRow;
    private final int privateDim;
    private final boolean withColumns;

    /**
     * @param real the packed table's layout: true where a real weight sits (public, from the architecture)
     * @param withColumns whether to track the opened-columns route too (dense per row: too slow for
     *     rows of thousands of entries, so the real-model measurement tracks the combined rows only)
     */
    WeightLeakage(boolean[] real, int rows, int cols, boolean withColumns) {
        this.withColumns = withColumns;
        this.rows = rows;
        this.cols = cols;
        privateRowsOfColumn = new int[cols][];
        privateColsOfRow = new int[rows][];
        byColumn = new LinearLeakage[cols];
        byRow = new LinearLeakage[rows];
        int dim = 0;
        for (int c = 0; c < cols; c++) {
            int col = c;
            privateRowsOfColumn[c] = IntStream.range(0, rows).filter(r -> real[r * cols + col]).toArray();
            byColumn[c] = new LinearLeakage(privateRowsOfColumn[c].length, 0);
            dim += privateRowsOfColumn[c].length;
        }
        for (int r = 0; r < rows; r++) {
            int row = r;
            privateColsOfRow[r] = IntStream.range(0, cols).filter(c -> real[row * cols + c]).toArray();
            byRow[r] = new LinearLeakage(privateColsOfRow[r].length, 0);
        }
        this.privateDim = dim;
    }

    /** The real positions of a key's packed weight table, from its architecture alone. */
    static boolean[] realPositions(VerifyingKey key) {
        ProofPlan plan = key.plan();
        long[][] ones = new long[plan.weightTensors.size()][];
        for (int i = 0; i < ones.length; i++) {
            int t = plan.weightTensors.get(i);
            long[] one = new long[key.graph().tensor(t).size()];
            Arrays.fill(one, 1);
            ones[i] = plan.shapes[t].pad(one);
        }
        long[] packed = plan.weightLayout.pack(ones);
        boolean[] real = new boolean[packed.length];
        for (int i = 0; i < packed.length; i++) {
            real[i] = packed[i] != 0;
        }
        return real;
    }

    int privateDim() {
        return privateDim;
    }

    /** Adds one proof's revealed values to both routes. */
    void absorb(TensorOpeningRecorder.Revealed v) {
        if (v.rows() != rows || v.cols() != cols) {
            throw new IllegalArgumentException("opening of a " + v.rows() + "×" + v.cols() + " matrix, expected " + rows + "×" + cols);
        }
        for (int k = 0; k < v.coefficients().size(); k++) {
            Ext2[] a = v.coefficients().get(k);
            Ext2[] row = v.combinedRows().get(k);
            for (int c = 0; c < cols; c++) {
                int[] pr = privateRowsOfColumn[c];
                long[] re = new long[pr.length];
                long[] im = new long[pr.length];
                for (int i = 0; i < pr.length; i++) {
                    re[i] = a[pr[i]].c0();
                    im[i] = a[pr[i]].c1();
                }
                byColumn[c].reveal(re, new long[0], row[c].c0());
                byColumn[c].reveal(im, new long[0], row[c].c1());
            }
        }
        if (!withColumns) {
            return;
        }
        long omegaN = Goldilocks.rootOfUnity(Integer.numberOfTrailingZeros(cols) + v.logInverseRate());
        long omegaH = Goldilocks.rootOfUnity(Integer.numberOfTrailingZeros(cols));
        for (int q = 0; q < v.columns().length; q++) {
            int j = v.columns()[q];
            long x = Goldilocks.mul(Goldilocks.pow(omegaN, j / cols), Goldilocks.pow(omegaH, j % cols));
            long[] powers = new long[cols];
            long p = 1;
            for (int c = 0; c < cols; c++) {
                powers[c] = p;
                p = Goldilocks.mul(p, x);
            }
            checkDomainPoint(v, q, powers);
            for (int r = 0; r < rows; r++) {
                int[] pc = privateColsOfRow[r];
                long[] coeff = new long[pc.length];
                for (int i = 0; i < pc.length; i++) {
                    coeff[i] = powers[pc[i]];
                }
                byRow[r].reveal(coeff, new long[0], v.columnValues()[q][r]);
            }
        }
    }

    /** The attacker's model of the code must agree with the proof: Σ_r γ_r·C[r][j] = Enc(γᵀM)[j]. */
    private static void checkDomainPoint(TensorOpeningRecorder.Revealed v, int q, long[] powers) {
        Ext2[] gamma = v.coefficients().getFirst();
        Ext2 fromColumn = Ext2.ZERO;
        for (int r = 0; r < gamma.length; r++) {
            fromColumn = fromColumn.add(gamma[r].mul(Ext2.of(v.columnValues()[q][r])));
        }
        Ext2 fromRow = Ext2.ZERO;
        Ext2[] u = v.combinedRows().getFirst();
        for (int c = 0; c < u.length; c++) {
            fromRow = fromRow.add(u[c].mul(Ext2.of(powers[c])));
        }
        if (!fromColumn.equals(fromRow)) {
            throw new IllegalStateException("the attacker's Reed–Solomon domain disagrees with column " + v.columns()[q]);
        }
    }

    /** Rank gained on the private weights from the combined rows of every proof absorbed so far. */
    int combinedRowsRank() {
        return Arrays.stream(byColumn).mapToInt(LinearLeakage::privateRank).sum();
    }

    /** Rank gained on the private weights from the opened codeword columns alone. */
    int openedColumnsRank() {
        return Arrays.stream(byRow).mapToInt(LinearLeakage::privateRank).sum();
    }

    /** The packed weight table solved from the combined rows (requires full rank there). */
    long[] recoverFromCombinedRows() {
        long[] table = new long[rows * cols];
        for (int c = 0; c < cols; c++) {
            long[] x = byColumn[c].solve();
            for (int i = 0; i < x.length; i++) {
                table[privateRowsOfColumn[c][i] * cols + c] = x[i];
            }
        }
        return table;
    }

    /** The packed weight table solved from the opened columns (requires full rank there). */
    long[] recoverFromOpenedColumns() {
        long[] table = new long[rows * cols];
        for (int r = 0; r < rows; r++) {
            long[] x = byRow[r].solve();
            for (int i = 0; i < x.length; i++) {
                table[r * cols + privateColsOfRow[r][i]] = x[i];
            }
        }
        return table;
    }
}
