package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;

import java.util.List;

/**
 * One summand c · Π_{k ∈ factors} P_k of a sumcheck statement Σ_x Σ_j c_j · Π_{k ∈ S_j} P_k(x).
 * {@code factors} index the statement's list of tables; repeats (squares) are allowed.
 */
public record ProductTerm(Ext2 coefficient, int[] factors) {
    public ProductTerm {
        if (factors.length == 0) {
            throw new IllegalArgumentException("a product term needs at least one factor");
        }
        factors = factors.clone();
    }

    public static ProductTerm of(Ext2 coefficient, int... factors) {
        return new ProductTerm(coefficient, factors);
    }

    public int degree() {
        return factors.length;
    }

    @Override
    public int[] factors() {
        return factors.clone();
    }

    /** The degree of a statement: its largest term. */
    public static int degree(List<ProductTerm> terms) {
        return terms.stream().mapToInt(ProductTerm::degree).max().orElseThrow(() -> new IllegalArgumentException("no product terms"));
    }

    /** The tables a statement reads: one more than its largest factor index. */
    static int tableCount(List<ProductTerm> terms) {
        return terms.stream().flatMapToInt(t -> java.util.Arrays.stream(t.factors)).max().orElseThrow() + 1;
    }

    /** Σ_j c_j · Π_{k ∈ S_j} values[k]: the statement's integrand at one point, given each table's value there. */
    public static Ext2 evaluate(List<ProductTerm> terms, Ext2[] values) {
        Ext2 sum = Ext2.ZERO;
        for (ProductTerm t : terms) {
            Ext2 prod = t.coefficient;
            for (int k : t.factors) {
                prod = prod.mul(values[k]);
            }
            sum = sum.add(prod);
        }
        return sum;
    }
}
