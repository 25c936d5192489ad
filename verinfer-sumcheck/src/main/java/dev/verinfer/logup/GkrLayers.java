package dev.verinfer.logup;

import dev.verinfer.field.Ext2;
import dev.verinfer.sumcheck.ProductTerm;

import java.util.List;

/**
 * The layer relation of GKR for fractional sums (Papini–Haböck, ePrint 2023/1284, §3). A tree layer
 * of 2^(i+1) fractions (p, q) halves into p'(y) = p(0,y)·q(1,y) + p(1,y)·q(0,y), q'(y) = q(0,y)·q(1,y),
 * where (b, y) is the index 2y + b (b the lowest variable). So for a point x on layer i,
 * p'(x) + λ·q'(x) = Σ_y eq(x, y)·[p0·q1 + p1·q0 + λ·q0·q1](y), a degree-3 sumcheck over y.
 * It runs as an eq-weighted sumcheck ({@link dev.verinfer.sumcheck.SumcheckProver#proveWithEq}) over
 * the degree-2 terms below, on tables 0 … 3 = p0, p1, q0, q1.
 */
final class GkrLayers {
    /** The layer sumcheck's degree: eq times a product of two tables. */
    static final int DEGREE = 3;

    private GkrLayers() {}

    static List<ProductTerm> terms(Ext2 lambda) {
        return List.of(ProductTerm.of(Ext2.ONE, 0, 3), ProductTerm.of(Ext2.ONE, 1, 2), ProductTerm.of(lambda, 2, 3));
    }

    /** p + λ·q: the claimed sum of the layer's sumcheck. */
    static Ext2 combine(Ext2 p, Ext2 q, Ext2 lambda) {
        return p.add(lambda.mul(q));
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
