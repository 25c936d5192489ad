package dev.verinfer.zkml.layout;

import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtMath;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.poly.Mle;

/**
 * One spatial axis of a sliding window (convolution or pooling): output position p and kernel tap u
 * read input position p·stride + u·dilation − padBegin, when that lies in [0, in).
 *
 * <p>The selection "output p with tap u reads input j" factorises over axes, which is what makes
 * convolutions and pools cheap to verify: along one axis the verifier evaluates
 * T(ρ) = Σ_{p,u valid} eq(r_p, p)·eq(r_u, u)·eq(ρ, pos(p, u)) in O(out·kernel) — never the full im2col.
 */
public record Window(int in, int out, int kernel, int stride, int dilation, int padBegin) {
    public int position(int p, int u) {
        return p * stride + u * dilation - padBegin;
    }

    public boolean valid(int p, int u) {
        int j = position(p, u);
        return j >= 0 && j < in;
    }

    public int inBits() {
        return PaddedShape.ceilLog2(in);
    }

    public int outBits() {
        return PaddedShape.ceilLog2(out);
    }

    public int kernelBits() {
        return PaddedShape.ceilLog2(kernel);
    }

    /** The prover's table over input positions: T(j) = Σ_{p,u: pos = j} eq(r_p, p)·eq(r_u, u). */
    public ExtVector selectionTable(Ext2[] outPoint, Ext2[] tapPoint) {
        ExtVector ep = Mle.eqTable(outPoint);
        ExtVector eu = Mle.eqTable(tapPoint);
        ExtVector t = ExtVector.zeros(1 << inBits());
        for (int p = 0; p < out; p++) {
            for (int u = 0; u < kernel; u++) {
                if (!valid(p, u)) {
                    continue;
                }
                int j = position(p, u);
                Ext2 term = new Ext2(ep.c0()[p], ep.c1()[p]).mul(new Ext2(eu.c0()[u], eu.c1()[u]));
                t.c0()[j] = Goldilocks.add(t.c0()[j], term.c0());
                t.c1()[j] = Goldilocks.add(t.c1()[j], term.c1());
            }
        }
        return t;
    }

    /**
     * The verifier's evaluation of that table's MLE at an input point ρ: Σ_p eq(r_p, p)·Σ_u eq(r_u, u)·eq(ρ, pos(p, u)), the
     * inner sum over p's valid taps — for dilation 1 a run of consecutive input positions, so four base-field dot products
     * reduced once each ((a₀ + a₁X)(b₀ + b₁X) = a₀b₀ + W·a₁b₁ + (a₀b₁ + a₁b₀)X).
     */
    public Ext2 selectionAt(Ext2[] outPoint, Ext2[] tapPoint, Ext2[] inPoint) {
        ExtVector ep = Mle.eqTable(outPoint);
        ExtVector eu = Mle.eqTable(tapPoint);
        ExtVector ej = Mle.eqTable(inPoint);
        Ext2 sum = Ext2.ZERO;
        for (int p = 0; p < out; p++) {
            Ext2 taps = dilation == 1 ? consecutiveTaps(eu, ej, p) : taps(eu, ej, p);
            sum = sum.add(new Ext2(ep.c0()[p], ep.c1()[p]).mul(taps));
        }
        return sum;
    }

    /** Σ_{u valid} eu[u]·ej[pos(p, u)], dilation 1: u from max(0, padBegin − p·stride) below min(kernel, in + padBegin − p·stride). */
    private Ext2 consecutiveTaps(ExtVector eu, ExtVector ej, int p) {
        int shift = p * stride - padBegin;
        int lo = Math.max(0, -shift);
        int hi = Math.min(kernel, in - shift);
        if (lo >= hi) {
            return Ext2.ZERO;
        }
        int len = hi - lo;
        long d00 = BranchFree.dot(eu.c0(), lo, ej.c0(), shift + lo, len);
        long d11 = BranchFree.dot(eu.c1(), lo, ej.c1(), shift + lo, len);
        long d01 = BranchFree.dot(eu.c0(), lo, ej.c1(), shift + lo, len);
        long d10 = BranchFree.dot(eu.c1(), lo, ej.c0(), shift + lo, len);
        return new Ext2(Goldilocks.add(d00, ExtMath.mulByW(d11)), Goldilocks.add(d01, d10));
    }

    /** Σ_{u valid} eu[u]·ej[pos(p, u)], any dilation. */
    private Ext2 taps(ExtVector eu, ExtVector ej, int p) {
        Ext2 sum = Ext2.ZERO;
        for (int u = 0; u < kernel; u++) {
            if (valid(p, u)) {
                int j = position(p, u);
                sum = sum.add(new Ext2(eu.c0()[u], eu.c1()[u]).mul(new Ext2(ej.c0()[j], ej.c1()[j])));
            }
        }
        return sum;
    }
}
