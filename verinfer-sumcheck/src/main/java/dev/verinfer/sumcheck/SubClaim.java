package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.poly.Mle;

import java.util.List;

/**
 * What a sumcheck reduces to: the integrand Σ_j c_j Π_{k ∈ S_j} P_k must equal
 * {@code expectedEvaluation} at {@code point} (point[j] binds variable j).
 */
public record SubClaim(Ext2[] point, Ext2 expectedEvaluation) {
    public SubClaim {
        point = point.clone();
    }

    @Override
    public Ext2[] point() {
        return point.clone();
    }

    /**
     * The caller's final check: given P_k(point) for every table (each of which the caller must
     * itself establish — by a commitment opening, a closed form or a further protocol — and absorb),
     * verifies Σ_j c_j Π_{k ∈ S_j} P_k(point) = expectedEvaluation.
     */
    public void check(List<ProductTerm> terms, Ext2[] tableEvaluations) throws SumcheckRejectedException {
        Ext2 actual = ProductTerm.evaluate(terms, tableEvaluations);
        if (!actual.equals(expectedEvaluation)) {
            throw new SumcheckRejectedException("final evaluation: the terms evaluate to " + actual + " at the sumcheck point, the rounds require " + expectedEvaluation);
        }
    }

    /**
     * The final check of a {@link SumcheckProver#proveWithEq} statement:
     * eq(eqPoint, point) · Σ_j c_j Π_{k ∈ S_j} P_k(point) = expectedEvaluation.
     */
    public void checkWithEq(Ext2[] eqPoint, List<ProductTerm> terms, Ext2[] tableEvaluations) throws SumcheckRejectedException {
        Ext2 actual = Mle.eq(eqPoint, point).mul(ProductTerm.evaluate(terms, tableEvaluations));
        if (!actual.equals(expectedEvaluation)) {
            throw new SumcheckRejectedException("final evaluation: eq·terms evaluate to " + actual + " at the sumcheck point, the rounds require " + expectedEvaluation);
        }
    }
}
