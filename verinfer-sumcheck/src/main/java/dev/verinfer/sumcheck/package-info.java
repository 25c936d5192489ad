/**
 * The sumcheck protocol for Σ_{x ∈ {0,1}^n} Σ_j c_j · Π_{k ∈ S_j} P_k(x) over multilinear tables.
 *
 * <p>Use: the prover calls {@link dev.verinfer.sumcheck.SumcheckProver#prove} (or
 * {@link dev.verinfer.sumcheck.SumcheckProver#proveWithEq} when the integrand carries a factor
 * eq(z, x)); the verifier calls {@link dev.verinfer.sumcheck.SumcheckVerifier#verify} with the claimed
 * sum, the variable count and the degree (d, or d + 1 with eq), which returns a
 * {@link dev.verinfer.sumcheck.SubClaim}. The caller then obtains every table's evaluation at the
 * sub-claim's point (commitment openings, closed forms, or claims passed to further protocols),
 * absorbs them, and finishes with {@link dev.verinfer.sumcheck.SubClaim#check} or
 * {@link dev.verinfer.sumcheck.SubClaim#checkWithEq}.
 *
 * <p>Transcript: both sides absorb the shape (n, degree) and the claimed sum, then per round the
 * round polynomial's values at 0, 2, …, degree, and draw one extension challenge per round.
 * Conventions: bit j of a table index is variable j; variables are bound lowest first.
 *
 * <p>Zero knowledge (Libra, Xie et al. CRYPTO 2019, §4): {@link dev.verinfer.sumcheck.ZkSumcheckProver}
 * masks the rounds with a fresh {@link dev.verinfer.sumcheck.SumcheckMask} committed through the
 * caller's {@link dev.verinfer.sumcheck.MaskCommitter}; {@link dev.verinfer.sumcheck.VanishingMask}s
 * hide the tables' final evaluations; {@code proveWithHiddenOffset} reduces such a masked claim in
 * the next protocol without revealing it. docs/proof-system.md, "Zero-knowledge", says what callers
 * must add.
 */
package dev.verinfer.sumcheck;
