package dev.verinfer.zkml.layout;

import dev.verinfer.field.Ext2;
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

    /** The verifier's evaluation of that table's MLE at an input point ρ. */
    public Ext2 selectionAt(Ext2[] outPoint, Ext2[] tapPoint, Ext2[] inPoint) {
        ExtVector ep = Mle.eqTable(outPoint);
        ExtVector eu = Mle.eqTable(tapPoint);
        ExtVector ej = Mle.eqTable(inPoint);
        Ext2 sum = Ext2.ZERO;
        for (int p = 0; p < out; p++) {
            Ext2 ap = new Ext2(ep.c0()[p], ep.c1()[p]);
            for (int u = 0; u < kernel; u++) {
                if (valid(p, u)) {
                    int j = position(p, u);
                    sum = sum.add(ap.mul(new Ext2(eu.c0()[u], eu.c1()[u])).mul(new Ext2(ej.c0()[j], ej.c1()[j])));
                }
            }
        }
        return sum;
    }
}
