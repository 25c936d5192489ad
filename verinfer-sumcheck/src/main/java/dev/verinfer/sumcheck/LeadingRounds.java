package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;

import java.util.List;

/**
 * The first rounds of a sumcheck Σ_x Σ_j c_j Π P_k(x) computed from another form of its tables that gives the same round
 * polynomials more cheaply (a caller's structure the product terms do not show), then the statement's tables with those rounds'
 * variables bound, for the rest ({@link ZkSumcheckProver#proveLeading}). The proof is the statement's own: every message is the
 * round polynomial of its tables at the challenges so far.
 */
public interface LeadingRounds {
    /** n, the statement's variables. */
    int numVars();

    /** L, the rounds computed here: 1 ≤ L < n. */
    int rounds();

    /** The current round's polynomial Σ_{x″} Σ_j c_j Π P_k(r, t, x″) at t = 0, 2, …, d (d the terms' degree). */
    Ext2[] values();

    /** Binds the current round's variable to {@code r}. */
    void bind(Ext2 r);

    /** After L binds: the statement's tables P_k(r_0, …, r_{L−1}, ·), 2^(n−L) entries each, in the terms' numbering. */
    List<MleTable> tables();
}
