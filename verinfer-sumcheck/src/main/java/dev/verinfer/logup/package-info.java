/**
 * The LogUp look-up argument proven with GKR on fractional sums (Papini–Haböck, ePrint 2023/1284).
 *
 * <p>Statement, for challenges β, α drawn from the transcript after the caller has bound the witness
 * and the multiplicities, over groups g looking up tables k:
 * Σ_g Σ_i sel_g[i] / (α_k(g) − Σ_c β^c·w_g[c][i]) = Σ_k Σ_j m_k[j] / (α_k − Σ_c β^c·t_k[c][j]), with
 * α_k = α − k·β^C tagging table k. All fractions (table ones negated) are packed into one leaf vector
 * and summed by one binary tree; GKR reduces its root, layer by layer, to one evaluation claim on the
 * leaves, which the verifier splits into claims per group and table. The verifier checks that the
 * root is zero and every layer; {@link dev.verinfer.logup.LogUpVerifier} lists what the caller must check
 * on the returned {@link dev.verinfer.logup.LogUpClaims}.
 *
 * <p>Prover: {@link dev.verinfer.logup.Multiplicities#count} then {@link dev.verinfer.logup.LogUpProver#prove}.
 *
 * <p>Zero knowledge ({@link dev.verinfer.logup.LogUpMasking}): masked layer sumchecks and masked
 * internal layer values ({@link dev.verinfer.logup.GkrLayerMasks}); the roots, layer 0 and the
 * leaves are still revealed (docs/proof-system.md, "Zero-knowledge").
 */
package dev.verinfer.logup;
