package dev.verinfer.logup;

import dev.verinfer.field.Ext2;
import dev.verinfer.sumcheck.ProductTerm;

import java.util.ArrayList;
import java.util.List;

/**
 * The layer relation of GKR for fractional sums (Papini–Haböck, ePrint 2023/1284, §3). A tree layer
 * of 2^(i+1) fractions (p, q) halves into p'(y) = p(0,y)·q(1,y) + p(1,y)·q(0,y), q'(y) = q(0,y)·q(1,y),
 * where (b, y) is the index 2y + b (b the lowest variable). So for a point x on layer i,
 * p'(x) + λ·q'(x) = Σ_y eq(x, y)·[p0·q1 + p1·q0 + λ·q0·q1](y), a degree-3 sumcheck over y.
 * All trees active at a layer share one sumcheck, tree a weighted by λ^(2a) (p) and λ^(2a+1) (q).
 * It runs as an eq-weighted sumcheck ({@link dev.verinfer.sumcheck.SumcheckProver#proveWithEq}) over
 * the degree-2 terms below; tree a owns tables 4a … 4a + 3 = p0, p1, q0, q1.
 */
final class GkrLayers {
    /** The layer sumcheck's degree: eq times a product of two tables. */
    static final int DEGREE = 3;

    private GkrLayers() {}

    static List<ProductTerm> terms(int activeTrees, Ext2 lambda) {
        List<ProductTerm> terms = new ArrayList<>(3 * activeTrees);
        Ext2 weight = Ext2.ONE;
        for (int a = 0; a < activeTrees; a++) {
            int p0 = 4 * a;
            int p1 = p0 + 1;
            int q0 = p0 + 2;
            int q1 = p0 + 3;
            Ext2 next = weight.mul(lambda);
            terms.add(ProductTerm.of(weight, p0, q1));
            terms.add(ProductTerm.of(weight, p1, q0));
            terms.add(ProductTerm.of(next, q0, q1));
            weight = next.mul(lambda);
        }
        return terms;
    }

    /** Σ_a λ^(2a)·p_a + λ^(2a+1)·q_a: the claimed sum of the layer's sumcheck. */
    static Ext2 combine(Ext2[] p, Ext2[] q, Ext2 lambda) {
        Ext2 sum = Ext2.ZERO;
        Ext2 weight = Ext2.ONE;
        for (int a = 0; a < p.length; a++) {
            Ext2 next = weight.mul(lambda);
            sum = sum.add(weight.mul(p[a])).add(next.mul(q[a]));
            weight = next.mul(lambda);
        }
        return sum;
    }

    /** α − Σ_c β^c·v_c: the look-up denominator of a tuple (or of its columns' evaluations, by linearity). */
    static Ext2 denominator(Ext2 alpha, Ext2 beta, Ext2[] columns) {
        Ext2 combined = Ext2.ZERO;
        Ext2 power = Ext2.ONE;
        for (Ext2 c : columns) {
            combined = combined.add(power.mul(c));
            power = power.mul(beta);
        }
        return alpha.sub(combined);
    }
}
