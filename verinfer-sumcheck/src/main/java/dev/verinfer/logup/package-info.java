/**
 * The LogUp look-up argument proven with GKR on fractional sums (Papini–Haböck, ePrint 2023/1284).
 *
 * <p>Statement, for challenges β, α drawn from the transcript after the caller has bound the witness
 * and the multiplicities: Σ_g Σ_i sel_g[i] / (α − Σ_c β^c·w_g[c][i]) = Σ_j m[j] / (α − Σ_c β^c·t[c][j]).
 * Each side of the sum is a binary tree of fractions; one batched GKR reduces all trees, layer by layer
 * from the roots, to one evaluation claim per tree on its leaves. The verifier checks that the roots
 * balance and every layer; {@link dev.verinfer.logup.LogUpVerifier} lists what the caller must check
 * on the returned {@link dev.verinfer.logup.LogUpClaims}.
 *
 * <p>Prover: {@link dev.verinfer.logup.Multiplicities#count} then {@link dev.verinfer.logup.LogUpProver#prove}.
 */
package dev.verinfer.logup;
