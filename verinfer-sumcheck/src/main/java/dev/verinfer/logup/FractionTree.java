package dev.verinfer.logup;

import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtMath;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Parallelism;
import dev.verinfer.sumcheck.BaseTable;
import dev.verinfer.sumcheck.ExtTable;
import dev.verinfer.sumcheck.MleTable;

import java.util.List;

/**
 * The binary tree of fractions Σ_i p_i / q_i built bottom-up by (p, q) ⊕ (p', q') = (p·q' + p'·q, q·q'),
 * pairing entries (2y, 2y + 1) (see {@link GkrLayers}). Layer j holds 2^j fractions; layer depth is
 * the leaves, whose numerators stay in the base field (selectors, ones, negated multiplicities).
 */
final class FractionTree {
    private static final int PARALLEL_CHUNK = 1 << 11;

    final int depth;
    private long[] leafP; // released with the leaf layer
    private final ExtVector[] p; // p[j] for j < depth; null once read (see halves)
    private final ExtVector[] q; // q[j] for j ≤ depth; likewise

    private FractionTree(long[] leafP, ExtVector leafQ) {
        this.depth = Integer.numberOfTrailingZeros(leafQ.length());
        this.leafP = leafP;
        this.p = new ExtVector[depth + 1];
        this.q = new ExtVector[depth + 1];
        q[depth] = leafQ;
        for (int j = depth - 1; j >= 0; j--) {
            combine(j);
        }
    }

    /** The tree over leaves leafP[i] / leafQ[i]. */
    static FractionTree build(long[] leafP, ExtVector leafQ) {
        return new FractionTree(leafP, leafQ);
    }

    /** Writes the leaf denominators α − Σ_c β^c·columns[c][i] to out[offset + i]. */
    static void leafDenominators(long[][] columns, Ext2 alpha, Ext2 beta, ExtVector out, int offset) {
        int n = columns[0].length;
        int cols = columns.length;
        long[] b0 = new long[cols];
        long[] b1 = new long[cols];
        Ext2 power = Ext2.ONE;
        for (int c = 0; c < cols; c++) {
            b0[c] = power.c0();
            b1[c] = power.c1();
            power = power.mul(beta);
        }
        long[] o0 = out.c0();
        long[] o1 = out.c1();
        long a0 = alpha.c0();
        long a1 = alpha.c1();
        Parallelism.forEachChunk(n, PARALLEL_CHUNK, (from, to) -> {
            for (int i = from; i < to; i++) {
                long s0 = columns[0][i];
                long s1 = 0;
                for (int c = 1; c < cols; c++) {
                    long v = columns[c][i];
                    s0 = BranchFree.add(s0, BranchFree.mul(b0[c], v));
                    s1 = BranchFree.add(s1, BranchFree.mul(b1[c], v));
                }
                o0[offset + i] = BranchFree.sub(a0, s0);
                o1[offset + i] = BranchFree.sub(a1, s1);
            }
        });
    }

    LogUpProof.Fraction root() {
        Ext2 numerator = depth == 0 ? Ext2.of(leafP[0]) : p[0].get(0);
        return new LogUpProof.Fraction(numerator, q[0].get(0));
    }

    /**
     * The even and odd halves p0, p1, q0, q1 of layer j ≥ 1, as sumcheck tables over 2^(j−1) entries.
     * GKR reads each layer once, from the root down, so the tree releases layer j here: the prover
     * then holds the layers still to come and the halves being summed, never the whole tree.
     */
    List<MleTable> halves(int layer) {
        MleTable p0;
        MleTable p1;
        if (layer < depth) {
            p0 = new ExtTable(split(p[layer], 0));
            p1 = new ExtTable(split(p[layer], 1));
        } else {
            p0 = new BaseTable(split(leafP, 0));
            p1 = new BaseTable(split(leafP, 1));
        }
        List<MleTable> out = List.of(p0, p1, new ExtTable(split(q[layer], 0)), new ExtTable(split(q[layer], 1)));
        release(layer);
        return out;
    }

    /** Layer j ≥ 1 whole, as the tables (P_j, Q_j) over 2^j entries; released from the tree as {@link #halves} does. */
    List<MleTable> layer(int j) {
        List<MleTable> out = List.of(j < depth ? new ExtTable(p[j]) : new BaseTable(leafP), new ExtTable(q[j]));
        release(j);
        return out;
    }

    private void release(int layer) {
        if (p[layer] == null && q[layer] == null) {
            throw new IllegalStateException("layer " + layer + " of the fraction tree was already read");
        }
        p[layer] = null;
        q[layer] = null;
        if (layer == depth) {
            leafP = null;
        }
    }

    /** Layer 1's two fractions as (p_0, p_1, q_0, q_1); the tree's depth must be at least 1. */
    Ext2[] layerOne() {
        Ext2 p0 = depth == 1 ? Ext2.of(leafP[0]) : p[1].get(0);
        Ext2 p1 = depth == 1 ? Ext2.of(leafP[1]) : p[1].get(1);
        return new Ext2[] {p0, p1, q[1].get(0), q[1].get(1)};
    }

    private void combine(int j) {
        int n = 1 << j;
        ExtVector pOut = ExtVector.zeros(n);
        ExtVector qOut = ExtVector.zeros(n);
        long[] po0 = pOut.c0();
        long[] po1 = pOut.c1();
        long[] qo0 = qOut.c0();
        long[] qo1 = qOut.c1();
        long[] q0 = q[j + 1].c0();
        long[] q1 = q[j + 1].c1();
        boolean leaf = j + 1 == depth;
        long[] pBase = leaf ? leafP : null;
        long[] p0 = leaf ? null : p[j + 1].c0();
        long[] p1 = leaf ? null : p[j + 1].c1();
        Parallelism.forEachChunk(n, PARALLEL_CHUNK, (from, to) -> {
            for (int i = from; i < to; i++) {
                int l = 2 * i;
                int r = l + 1;
                long ql0 = q0[l];
                long ql1 = q1[l];
                long qr0 = q0[r];
                long qr1 = q1[r];
                ExtMath.mul(ql0, ql1, qr0, qr1, qo0, qo1, i);
                if (leaf) {
                    long pl = pBase[l];
                    long pr = pBase[r];
                    po0[i] = BranchFree.mulMulAdd(pl, qr0, pr, ql0, 0);
                    po1[i] = BranchFree.mulMulAdd(pl, qr1, pr, ql1, 0);
                } else {
                    long pl0 = p0[l];
                    long pl1 = p1[l];
                    long pr0 = p0[r];
                    long pr1 = p1[r];
                    // p_l·q_r + p_r·q_l: c0 = pl0·qr0 + pr0·ql0 + 7·(pl1·qr1 + pr1·ql1), c1 = pl0·qr1 + pl1·qr0 + pr0·ql1 + pr1·ql0
                    long cross = BranchFree.mulMulAdd(pl1, qr1, pr1, ql1, 0);
                    po0[i] = BranchFree.mulMulAdd(pl0, qr0, pr0, ql0, BranchFree.mulBy7(cross));
                    po1[i] = BranchFree.mulMulAdd(pl0, qr1, pl1, qr0, BranchFree.mulMulAdd(pr0, ql1, pr1, ql0, 0));
                }
            }
        });
        p[j] = pOut;
        q[j] = qOut;
    }

    private static ExtVector split(ExtVector v, int parity) {
        return new ExtVector(split(v.c0(), parity), split(v.c1(), parity));
    }

    private static long[] split(long[] v, int parity) {
        long[] out = new long[v.length / 2];
        Parallelism.forEachChunk(out.length, PARALLEL_CHUNK, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = v[2 * i + parity];
            }
        });
        return out;
    }
}
