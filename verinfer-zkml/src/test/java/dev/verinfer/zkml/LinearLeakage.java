package dev.verinfer.zkml;

import dev.verinfer.field.Goldilocks;

import java.util.ArrayList;
import java.util.List;

/**
 * The harness of the leakage tests: how much a set of revealed linear relations tells about a private
 * vector x ∈ F_p^k. Each relation is Σ a_i·x_i + Σ b_j·m_j = v, where m ∈ F_p^l are nuisance unknowns
 * (a zero-knowledge prover's fresh masks; none for today's unmasked openings). The rank gained on x is
 * rank([B A]) − rank(B): the number of independent functionals of x alone that the relations imply.
 * It is k exactly when x is determined, and 0 when every relation is absorbed by the masks (what a
 * hiding opening must achieve for any number of proofs).
 *
 * <p>Incremental Gaussian elimination over Goldilocks with the nuisance columns first, so a basis row
 * whose pivot is private has an all-zero nuisance part: those rows are the functionals of x alone.
 */
final class LinearLeakage {
    private final int privateDim;
    private final int nuisanceDim;
    /** Echelon rows (nuisance coefficients, private coefficients, value), pivot entry 1; pivots[i] is row i's pivot. */
    private final List<long[]> rows = new ArrayList<>();
    private final List<Integer> pivots = new ArrayList<>();
    private int privateRank;

    LinearLeakage(int privateDim, int nuisanceDim) {
        this.privateDim = privateDim;
        this.nuisanceDim = nuisanceDim;
    }

    int privateDim() {
        return privateDim;
    }

    int privateRank() {
        return privateRank;
    }

    boolean determined() {
        return privateRank == privateDim;
    }

    /**
     * Adds one revealed relation; returns whether it raised the rank on the private vector.
     *
     * @throws IllegalStateException if the relation contradicts the earlier ones (the revealed values
     *     are not consistent with any private vector: a bug in the extractor, not a leak)
     */
    boolean reveal(long[] privateCoefficients, long[] nuisanceCoefficients, long value) {
        if (privateCoefficients.length != privateDim || nuisanceCoefficients.length != nuisanceDim) {
            throw new IllegalArgumentException("relation has " + privateCoefficients.length + "+" + nuisanceCoefficients.length
                    + " coefficients for " + privateDim + "+" + nuisanceDim + " unknowns");
        }
        int width = nuisanceDim + privateDim;
        long[] v = new long[width + 1];
        System.arraycopy(nuisanceCoefficients, 0, v, 0, nuisanceDim);
        System.arraycopy(privateCoefficients, 0, v, nuisanceDim, privateDim);
        v[width] = value;
        for (int i = 0; i < rows.size(); i++) {
            long f = v[pivots.get(i)];
            if (f != 0) {
                long[] row = rows.get(i);
                for (int c = pivots.get(i); c <= width; c++) {
                    v[c] = Goldilocks.sub(v[c], Goldilocks.mul(f, row[c]));
                }
            }
        }
        int pivot = 0;
        while (pivot < width && v[pivot] == 0) {
            pivot++;
        }
        if (pivot == width) {
            if (v[width] != 0) {
                throw new IllegalStateException("the revealed relations are inconsistent");
            }
            return false;
        }
        long inv = Goldilocks.inverse(v[pivot]);
        for (int c = pivot; c <= width; c++) {
            v[c] = Goldilocks.mul(v[c], inv);
        }
        rows.add(v);
        pivots.add(pivot);
        if (pivot >= nuisanceDim) {
            privateRank++;
            return true;
        }
        return false;
    }

    /** The private vector, once the relations determine it (back-substitution over the private-pivot rows). */
    long[] solve() {
        if (!determined()) {
            throw new IllegalStateException("rank " + privateRank + " of " + privateDim + ": the private vector is not determined");
        }
        long[] x = new long[privateDim];
        long[][] byPivot = new long[privateDim][];
        for (int i = 0; i < rows.size(); i++) {
            if (pivots.get(i) >= nuisanceDim) {
                byPivot[pivots.get(i) - nuisanceDim] = rows.get(i);
            }
        }
        int width = nuisanceDim + privateDim;
        for (int j = privateDim - 1; j >= 0; j--) {
            long[] row = byPivot[j];
            long s = row[width];
            for (int c = j + 1; c < privateDim; c++) {
                s = Goldilocks.sub(s, Goldilocks.mul(row[nuisanceDim + c], x[c]));
            }
            x[j] = s;
        }
        return x;
    }
}
