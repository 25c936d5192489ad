package dev.verinfer.whir;

import dev.verinfer.merkle.MerkleHash;
import dev.verinfer.merkle.MerkleHasher;

import java.util.ArrayList;
import java.util.List;

/**
 * Parameters of the WHIR commitment (Arnon, Chiesa, Fenzi, Yogev, "WHIR: Reed–Solomon Proximity
 * Testing with Super-Fast Verification", ePrint 2024/1586, Construction 5.1): the starting rate
 * ρ₀ = 2^−logInverseRate, the folding factor k (variables bound per iteration), the largest arity of
 * the folded polynomial sent in the clear, and the soundness regime the query counts are sized for.
 *
 * <p><b>Shape.</b> An n-variable polynomial f is encoded as RS[K, L₀, 2^n], |L₀| = 2^(n + logInverseRate).
 * Iteration i binds k_i = min(k, n_i) variables by sumcheck, commits the folded f_{i+1} on L_{i+1} = L_i⁴
 * (a quarter of the size, {@link #DOMAIN_REDUCTION}, so the rate falls: ρ_{i+1} = ρ_i·2^(2−k_i); after a hiding schedule's narrow
 * first fold L₀^(2^(k₀−1)), so ρ₁ = ρ₀/2: {@link #nextLogDomain}), asks ood out-of-domain values of it, and
 * checks t_i "shift" queries of f_i's 2^k_i-element fibres, each folded by the verifier and tied to
 * f_{i+1} through the next sumcheck. The last f_M (at most {@code finalVars} variables) is sent in
 * the clear (its arity chosen per n to minimise the proof) and checked at the last queries directly.
 *
 * <p><b>Soundness, per iteration (WHIR Thm 5.2, round-by-round; K = F_p[X]/(X² − 7), |K| ≈ 2^128).</b>
 * Each error is computed by {@link WhirSchedule#securityBits()}; the proof's soundness is the minimum.
 * <ul>
 *   <li>{@link Soundness#JOHNSON_BOUND} (<b>proven</b>, the default {@link #PROVEN}, ρ₀ = 1/8): list decoding up
 *       to the Johnson bound, δ_i = 1 − √ρ_i − η_i with η_i = √ρ_i/2m_i for a multiplicity m_i ≥ 3. The
 *       Johnson bound gives list size ℓ_i ≤ 1/(2η_i√ρ_i) = m_i/ρ_i (≤ 2^10.6 here). Query error
 *       (√ρ_i(1 + 1/2m_i))^t_i: 1.28–1.41 bits a query at ρ = 1/8 (0.68 at the unique-decoding radius of
 *       ρ = 1/4), 2.28–2.41 at 1/32, 3.28–3.41 at 1/128. Fold error per sumcheck round ≤ (3ℓ_i + a_i)/|K| with a_i the
 *       exceptional challenges of a 2-element line from BCHKS25 (Ben-Sasson, Carmon, Haböck, Kopparty,
 *       Saraf, "On Proximity Gaps for Reed–Solomon Codes", ePrint 2025/2055) Thm 4.2:
 *       a = (2(m + ½)^5 + 3(m + ½)·δρ)/(3ρ^{3/2})·|L| + (m + ½)/√ρ, with m = max(⌈√ρ/2η⌉, 3) (the 2 is
 *       missing from the paper's statement, a typo its authors confirmed; Ethereum's soundcalc uses the
 *       corrected form). It is <i>linear</i> in |L|: ≈ 2^8.5·ρ^{−3/2}·|L| at m = 3, so 2^−92 at ρ = 1/8 and
 *       |L| = 2^23 — where BCIKS20 Thm 1.5, (m + ½)^7·|L|²/(3ρ^{3/2}), is quadratic and would have needed a
 *       cubic extension. WHIR's fold needs the mutual form of correlated agreement, proven up to the Johnson
 *       bound for polynomial generators with the same count by Bordage, Chiesa, Guan, Manzur (ePrint
 *       2025/2051; Plonky3's and soundcalc's WHIR sizing take the Johnson regime as proven on these
 *       grounds). m_i is the largest in [3, {@value #JOHNSON_MAX_MULTIPLICITY}] whose fold needs at most
 *       {@value #JOHNSON_FOLD_POW} bits of grinding per folding challenge, else 3 ({@link #johnsonMultiplicity}):
 *       larger m means more bits a query (the iteration-0 queries are the dear ones) for an error growing as
 *       (m + ½)^5. Grinding of ⌈λ − bits⌉ bits before each folding challenge lifts the fold error to λ
 *       (≤ 14 bits up to n = 23, ≤ 16 at n = 25). The fold uses the iteration's whole domain L_i though the
 *       fold's codes live on L_i^(2^s), half of it or less (1 bit of slack). Two out-of-domain samples per
 *       oracle: ℓ²·(2^n_i / 2|K|)² ≥ 198 bits (one sample would give ≈ 83). Combination error
 *       ℓ_{i+1}(t + ood + 1)/|K| ≥ 112 bits (f_{i+1}'s list: its rate is 4× lower). Queries at n = 20:
 *       62, 37, 26 (unique decoding: 127, 95, 88); at n = 23: 65, 37, 27, 21. Only proven statements.</li>
 *   <li>{@link Soundness#UNIQUE_DECODING} (<b>proven-unique</b>, {@link #PROVEN_UNIQUE}, the proven default
 *       before the Johnson regime, kept for keys made with it): δ_i = (1 − ρ_i)/2, the unique
 *       decoding radius, list size ℓ = 1, so no out-of-domain samples are needed. Query error
 *       (1 − δ_i)^t_i ≤ 2^−λ sets t_i = ⌈λ / −log2((1 + ρ_i)/2)⌉: 148 at ρ = 1/4, then ≈ 101–110 as the rate
 *       falls. Fold error per sumcheck round ≤ (3 + |L_i|)/|K| (sumcheck of degree 2 plus the proximity
 *       gap of a 2-element line in the unique-decoding regime, Ben-Sasson et al. FOCS 2020 Thm 1.4):
 *       ≥ 101 bits for |L₀| ≤ 2^26, i.e. n ≤ 24 at rate 1/4. Combination error (t + ood + 1)/|K|.
 *       Only proven statements are used.</li>
 *   <li>{@link Soundness#CAPACITY_CONJECTURE} (<b>conjectured</b>): δ_i up to capacity, 1 − ρ_i − η_i with
 *       η_i = max(ρ_i/16, 2^−10); query error (ρ_i + η_i)^t_i, so t_i = ⌈λ / log2(1/(ρ_i + η_i))⌉: 53 at
 *       ρ = 1/4, 25 at ρ = 1/16, 17 at ρ = 1/64, 13 at ρ = 1/256, 11 below. It assumes the list-decoding and proximity-gap conjectures for RS codes up
 *       to capacity (ethSTARK ePrint 2021/582 §5.10.1, WHIR §4 Conj. with c = 1): list size ℓ_i ≤ |L_i|/η_i
 *       and fold error ≤ (3ℓ_i + |L_i|/η_i)/|K| (as the WHIR reference implementation sizes it). Two
 *       out-of-domain samples per oracle (including the committed one, at commit time) make the OOD
 *       error ℓ²·(2^n_i / 2|K|)² negligible. The fold error and the combination error ℓ(t + ood + 1)/|K|
 *       alone would give only 90–100 bits (ℓ ≤ |L|·2^10 reaches 2^36 on the largest domains), so each
 *       folding challenge and each combiner γ is preceded by proof-of-work grinding of ⌈λ − bits⌉ bits
 *       (≤ 12 up to n = 24: at most 2^12 SHA-256 per challenge, a few ms), which multiplies a cheating prover's cost per
 *       retry by 2^bits (ethSTARK ePrint 2021/582 §5.4).</li>
 * </ul>
 * The unique-decoding parameters need no grinding of folds (fold error ≥ 101 bits up to |L₀| = 2^26).
 *
 * <p><b>Why the Johnson regime, and ρ₀ = 1/8 (measured 2026-12-04).</b> At the unique-decoding radius a
 * query carries −log2((1 + ρ)/2) &lt; 1 bit whatever the rate (0.68 at ρ = 1/4), so every iteration needs
 * ≥ 86 queries behind the query grinding, and each costs a fibre plus about (log2 fibres − log2 t) Merkle
 * siblings: alexa_v0.1's proven proof was 161.7 KB, its OCR classifier's 368 KB. At the Johnson radius a
 * query carries −log2(√ρ(1 + 1/2m)): 0.8–0.9 bits at ρ = 1/4 (little gain in iteration 0, whose queries open
 * every committed tree), 1.3–1.4 at 1/8, 1.8–1.9 at 1/16. The opening model ({@link WhirSchedule#estimatedBytes})
 * at n = 20: 162 KB unique decoding; Johnson (m = 3) 104 KB at ρ = 1/4, 81 KB at 1/8, 69 KB at 1/16. ρ = 1/16 would
 * quadruple the first codeword (embedding_model's witness: an NTT to 2^26, ≈ 3.3 s, beyond its 3 s prove
 * target) and cap commitments at 2^24 entries (PaddleOCR v4 recognition packs to 2^25), so ρ = 1/8:
 * alexa_v0.1 98.9 KB, embedding_model 176.8 KB (291.6), the OCR classifier 257.3 KB (docs/proof-system.md). On chain
 * each query costs gas on every verification while prove time is paid once: {@link #PROVEN_EVM} is this regime at ρ₀ = 1/32.
 *
 * <p><b>Merkle digests ({@code digestBytes}, {@code merkleHash}).</b> Every hash of an oracle's Merkle tree (leaves, salted leaves,
 * inner nodes) is {@code merkleHash} — SHA-256, or Keccak-256 for {@link #CONJECTURED_EVM} — truncated to {@code digestBytes}
 * ({@link dev.verinfer.merkle.MerkleHasher#MerkleHasher(MerkleHash, int)}),
 * and a proof carries exactly that many bytes per sibling; roots stay 32-byte words whose last 32 − d bytes are zero
 * (keys, commitments and the transcript's root records keep their format; a root with other padding never
 * matches a recomputed one). 32 for {@link #PROVEN_UNIQUE} and {@link #CONJECTURED} (their proofs unchanged),
 * {@value #TRUNCATED_DIGEST_BYTES} (200 bits) for {@link #PROVEN}, {@link #PROVEN_EVM} and {@link #CONJECTURED_EVM}. Why 200 bits suffice for λ = 100: the
 * BCS compilation (Ben-Sasson, Chiesa, Spooner, TCC 2016-B; Chiesa–Yogev, "Building Cryptographic Proofs from
 * Hash Functions", Ch. 9) bounds a q-query prover's success by q·ε_rbr plus the chance it finds a collision
 * (≈ q²/2^(8d), the birthday bound) — the only way to open one root to two different leaves. At d = 25 a
 * collision costs 2^100 hashes, the target (as Winterfell sizes Blake3-192 for 96 bits), and opening an honest
 * prover's tree to a leaf it did not commit (a second preimage) costs 2^200. The Fiat–Shamir transcript, the
 * public commitment SHA-256(root ‖ answers) and the proof-of-work hashes stay untruncated. Hiding is unaffected:
 * a salted leaf H(0x00 ‖ fibre ‖ 16-byte salt) hides the fibre by the salt's 128 bits of entropy, whatever
 * part of the output is kept. Only digests of ≥ λ/4 bytes are accepted (a collision at least 2^λ). The length
 * is absorbed into the transcript ({@link WhirTranscript#absorbParameters}) when it is not 32, so the
 * untruncated presets' transcripts are unchanged; the hash likewise only when it is not SHA-256. Keccak-256 (the EVM's
 * KECCAK256, {@link MerkleHash#KECCAK256}) serves for the chain: a node costs the contract ≈ 42 gas against ≈ 196 for a call
 * of the SHA-256 precompile, and the argument above holds for any hash modelled as a random oracle, so truncated to 25
 * bytes it gives the same 2^100 collision and 2^200 second-preimage bounds (Keccak-256's generic security is 2^128 and
 * 2^256 for collisions and preimages; truncation keeps the generic bounds of the kept bits, as SHA-224 and SHA-512/t
 * do). The leaf and node prefixes 0x00 and 0x01 keep the domains apart whatever the hash. An inner node hashes its
 * children's 32-byte padded digests, or, in the trees a zero-knowledge proof makes for itself, their d kept bytes alone
 * ({@link WhirPcs#withCompactProofTrees}, {@link dev.verinfer.merkle.MerkleNode#COMPACT}: one SHA-256 block where the padded node
 * takes two; the same bounds, as the node's input is the padded one's without its zeros). The Fiat–Shamir transcript,
 * the proof-of-work hashes and the public commitment stay SHA-256 in every preset. Alexa_v0.1's proven opening: 49.2 KB of its 98.9 KB were
 * 32-byte siblings, so 25 bytes save ≈ 22 % of them; whole proofs (measured 2026-12-04, exact): alexa_v0.1
 * 98.9 → 88.5 KB, embedding_model 176.8 → 158.5 KB, the OCR classifier 257.3 → 240.4 KB (issue 12's 250 KB met).
 *
 * <p><b>Query grinding ({@code queryPowBits}, both regimes).</b> Before each iteration's shift queries are
 * drawn the prover finds a nonce whose SHA-256 with a transcript-derived seed starts with queryPowBits
 * zero bits (the nonce is absorbed, then the queries squeezed): a prover that cannot pass the queries
 * must redo the iteration's work 2^queryPowBits times per retry, so the queries need only carry
 * λ − queryPowBits bits (ethSTARK ePrint 2021/582 §5.4, the "grinding" term; WHIR's reference
 * implementation does the same): t_i = ⌈(λ − queryPowBits) / bitsPerQuery(ρ_i)⌉. With the presets'
 * 14 bits: 127, 95, 88, 87 proven-unique queries (148, 110, 102, 101 without), 45, 22, 15, 12 conjectured
 * (53, 25, 17, 13). The bits are a parameter, so they are hashed into every transcript and a commitment's
 * out-of-domain points ({@link WhirTranscript#absorbParameters}) and fixed at setup with the rest.
 *
 * <p><b>Batching (one run for every plain commitment of an opening).</b> m commitments f_j of n_j
 * variables are opened in one run over n = max n_j variables ({@link WhirProver}, {@link Batching}):
 * f_j is lifted to f̃_j(x) = f_j(x_{n−n_j}, …, x_{n−1}), whose univariate is f̂_j(X^(2^d_j)), so the
 * lifted codeword on L₀ is f_j's own codeword read at x^(2^d_j) and iteration 0 answers each query from
 * every component's own tree. After the constraints of every component (claims and commit-time
 * out-of-domain answers, at their lifted points) and the cross values (each component's value at every
 * other component's points) are absorbed, the verifier draws μ and WHIR runs on F = Σ_j μ^j·f̃_j with the
 * constraint values Σ_j μ^j·f̃_j(p). Soundness, beyond the single run's:
 * <ul>
 *   <li><i>The lift preserves distance</i> within unique decoding: if the lifted word W(x) = G(x^(2^d)) is
 *       δ-close to some P ∈ RS[L, 2^n], δ < (1 − ρ)/2, then so is P(ζx) for each 2^d-th root of unity ζ
 *       (W is invariant under x ↦ ζx), so P(ζX) = P(X) by uniqueness, i.e. P = Q(X^(2^d)) with
 *       deg Q < 2^n_j, and the agreement set is a union of cosets of the 2^d-th roots: G is δ-close to Q
 *       on f_j's own domain. In the list regimes the lifted lists for all d ≤ 28 number ≤ 29ℓ (ℓ of rate ρ₀:
 *       a lift keeps the rate), and a commitment's two out-of-domain answers (fixed before any d) separate
 *       them except with (29ℓ)²·(2^n/|K|)² (≥ 118 bits conjectured, ≥ 180 at the Johnson radius, whose ℓ
 *       is ≤ 8/ρ₀; {@link WhirSchedule#securityBits(int)}), so a root still names one polynomial whatever it
 *       is batched with.</li>
 *   <li><i>Combination</i>: F is a point of the degree-(m − 1) curve Σ μ^j·f̃_j, so F close to the code
 *       implies correlated agreement of all f̃_j except with (m − 1)× a line's proximity-gap error
 *       (BCIKS20 Thm 1.5 for curves; at the Johnson radius BCHKS25's count for curves with BCGM25's mutual
 *       form, as soundcalc sizes power batching; up to capacity the conjectured mutual correlated agreement
 *       with the interleaved list bounded by ℓ, as WHIR's own batched opening assumes). A false claim or cross
 *       value makes Σ_j μ^j·(P_j(p) − v_j) a nonzero polynomial of degree m − 1 in μ for each of the ≤ ℓ
 *       candidate tuples: ℓ·(m − 1)/|K|. So the batch costs log2(m − 1) + 1 bits against the first fold's
 *       error, and {@link WhirSchedule#batchPowBits} grinds them back before μ (for m ≤ 4 up to n = 24: 0–1 bits
 *       proven-unique, ≤ 9 conjectured, ≤ 17 Johnson). Cross values are prover claims like any other: false ones are caught
 *       exactly as false claims are.</li>
 * </ul>
 * Hiding commitments keep a run of their own ({@link HidingOpening}); the plain run sits at the first
 * plain commitment's place among the claims.
 */
public record WhirParameters(Soundness soundness, int logInverseRate, int foldingFactor, int finalVars, int securityBits, int queryPowBits,
                             int digestBytes, MerkleHash merkleHash) {
    /** log2 |K| for K = F_p[X]/(X² − 7): p² ≈ 2^128. */
    static final double LOG_FIELD = 127.99999999953;
    /**
     * log2 of how much smaller each oracle's domain is than the last. WHIR's construction halves it
     * (the rate then falls 2^(k−1)× per iteration); a quarter makes each re-encoding 2× cheaper (the
     * prover's main cost after the commitment) for slightly more queries (rate falls 2^(k−2)×: 25
     * instead of 21 conjectured queries in iteration 1, 110 instead of 105 proven) and shorter Merkle
     * paths. Any domain works: the shift queries tie f_{i+1} to f_i through the sumcheck, not by
     * position. Never below twice the polynomial's size (rate ≤ 1/2).
     */
    static final int DOMAIN_REDUCTION = 2;
    /** Variables folded by the first iteration of a hiding opening whose budget sizes its mask ({@link #hidingSchedule}). */
    static final int HIDING_FIRST_FOLD = 1;
    /** Largest log2 of an evaluation domain (memory: a 2^28 base codeword is 2 GiB). */
    static final int MAX_LOG_DOMAIN = 28;

    /** The regime the query counts are sized for. */
    public enum Soundness {
        /** Unique-decoding radius, proven bounds only. */
        UNIQUE_DECODING,
        /** List decoding up to capacity, under the conjectures deployed STARKs rely on. */
        CAPACITY_CONJECTURE,
        /** List decoding up to the Johnson bound 1 − √ρ, proven bounds only (BCHKS25, BCGM25). */
        JOHNSON_BOUND
    }

    /**
     * ρ = 1/8, k = 4, final polynomial of ≤ 2^10 coefficients, ≈ 100 bits from proven bounds with list
     * decoding up to the Johnson bound, {@value #QUERY_POW_BITS} bits of proof of work before each
     * iteration's queries.
     */
    public static final WhirParameters PROVEN = new WhirParameters(Soundness.JOHNSON_BOUND, 3, 4, 10, 100, WhirParameters.QUERY_POW_BITS,
            WhirParameters.TRUNCATED_DIGEST_BYTES);
    /**
     * {@link #PROVEN} at ρ = 1/32 (<b>proven-evm</b>): the same regime, bounds, target, folding, final arity, query
     * grinding and digests, for keys whose proofs are verified on chain, where every query costs gas (its Merkle
     * nodes, its fibre's fold, its term in the final check, its calldata) and prove time is paid once. A query
     * carries 2.3–2.4 bits at ρ = 1/32 against 1.3–1.4 at 1/8, so alexa_v0.1's opening (18 + 15 variables) draws
     * 37, 26, 21 queries instead of 61, 36, 26; the committed codewords are 4× longer (at most 23 variables).
     * Measured 2026-12-05 (docs/ethereum.md, "Proof-format levers"): alexa_v0.1 verified inside the market's
     * {@code submitResult} 10,582,256 → 9,105,108 gas, its proof 91,128 → 74,067 bytes, its prove time 2.1×
     * (ρ = 1/16 would save 0.88 M for 1.4×, 1/64 1.78 M for 3.7×).
     */
    public static final WhirParameters PROVEN_EVM = new WhirParameters(Soundness.JOHNSON_BOUND, 5, 4, 10, 100, WhirParameters.QUERY_POW_BITS,
            WhirParameters.TRUNCATED_DIGEST_BYTES);
    /**
     * {@link #CONJECTURED}'s regime tuned for gas (<b>conjectured-evm</b>): for keys whose proofs are verified on chain and
     * that accept the up-to-capacity conjectures deployed STARKs rely on. ρ = 1/128, {@value #EVM_QUERY_POW_BITS} bits of
     * query grinding, {@link #PROVEN}'s 25-byte digests of Keccak-256 (the EVM's KECCAK256: ≈ 42 gas a Merkle node on
     * chain against ≈ 196 for the SHA-256 precompile). A query carries −log2(ρ + η) = 6.8 bits at ρ = 1/128 (4.9 at 1/32),
     * and 75 bits are left to the queries, so alexa_v0.1's opening (18 + 15 variables) draws 11, 9, 8 queries where 20 bits
     * drew 12, 10, 9, rate 1/32 at 14 bits 18, 13, 11 and {@link #PROVEN_EVM} draws 37, 26, 21; the codewords are 4× rate
     * 1/32's (at most 21 variables). Measured 2026-12-06 (docs/ethereum.md, "conjectured-evm retuned" and "25 bits of query
     * grinding"): alexa_v0.1 verified inside the market's {@code submitResult} 5,593,762 → 5,140,871 gas (20 bits), at most
     * 4,940,039 over 12 inputs (25 bits; 20 bits' worst 5,059,126).
     */
    public static final WhirParameters CONJECTURED_EVM = new WhirParameters(Soundness.CAPACITY_CONJECTURE, 7, 4, 10, 100, WhirParameters.EVM_QUERY_POW_BITS,
            WhirParameters.TRUNCATED_DIGEST_BYTES, MerkleHash.KECCAK256);
    /**
     * ρ = 1/4, k = 4, final polynomial of ≤ 2^10 coefficients, ≈ 100 bits from proven unique-decoding bounds,
     * {@value #QUERY_POW_BITS} bits of proof of work before each iteration's queries: the proven preset
     * before {@link #PROVEN}, kept for the keys made with it.
     */
    public static final WhirParameters PROVEN_UNIQUE = new WhirParameters(Soundness.UNIQUE_DECODING, 2, 4, 10, 100, WhirParameters.QUERY_POW_BITS);
    /**
     * ρ = 1/4, k = 4, final polynomial of ≤ 2^10 coefficients, 100 bits under the up-to-capacity conjectures,
     * {@value #QUERY_POW_BITS} bits of proof of work before each iteration's queries.
     */
    public static final WhirParameters CONJECTURED = new WhirParameters(Soundness.CAPACITY_CONJECTURE, 2, 4, 10, 100, WhirParameters.QUERY_POW_BITS);
    /**
     * The query grinding of the presets: 2^14 SHA-256 evaluations expected per iteration (2–7 ms on the
     * 2-core bench machine with SHA-NI, spread over the cores), one for the verifier; it buys 14 of the 100
     * bits the queries would otherwise carry (ethSTARK ePrint 2021/582 §5.4; deployed STARKs grind 16–30
     * bits, but here each bit costs prove time on every iteration, and 14 is where a further bit saves less
     * than about 1 KB per run for 2^14 more hashes).
     */
    static final int QUERY_POW_BITS = 14;
    /**
     * {@link #CONJECTURED_EVM}'s query grinding: 2^25 SHA-256 expected before each iteration's queries, one for the verifier,
     * against a query's ≈ 40 k gas on every verification. The least that removes a query at ρ = 1/128: a query carries
     * 6.83, 8.42 and 9.42 bits in alexa_v0.1's three iterations, so 21–24 bits draw 20 bits' 12, 10, 9 queries and 25 bits
     * 11, 9, 8 (−119 k gas at the median of 12 inputs); the next query fewer in any iteration would need 32 bits.
     */
    static final int EVM_QUERY_POW_BITS = 25;

    /** {@link #PROVEN}'s Merkle digests: SHA-256 truncated to 25 bytes, 200 bits (see the class comment). */
    static final int TRUNCATED_DIGEST_BYTES = 25;

    /** Parameters without query grinding, with untruncated 32-byte Merkle digests. */
    public WhirParameters(Soundness soundness, int logInverseRate, int foldingFactor, int finalVars, int securityBits) {
        this(soundness, logInverseRate, foldingFactor, finalVars, securityBits, 0);
    }

    /** Parameters with untruncated 32-byte Merkle digests. */
    public WhirParameters(Soundness soundness, int logInverseRate, int foldingFactor, int finalVars, int securityBits, int queryPowBits) {
        this(soundness, logInverseRate, foldingFactor, finalVars, securityBits, queryPowBits, MerkleHasher.DIGEST_BYTES);
    }

    /** Parameters with SHA-256 Merkle trees. */
    public WhirParameters(Soundness soundness, int logInverseRate, int foldingFactor, int finalVars, int securityBits, int queryPowBits, int digestBytes) {
        this(soundness, logInverseRate, foldingFactor, finalVars, securityBits, queryPowBits, digestBytes, MerkleHash.SHA256);
    }

    public WhirParameters {
        if (soundness == null) {
            throw new IllegalArgumentException("soundness regime missing");
        }
        if (logInverseRate < 1 || logInverseRate > 7) {
            throw new IllegalArgumentException("log2(1/rate) must be in [1, 7]: " + logInverseRate);
        }
        if (foldingFactor < 1 || foldingFactor > 6) {
            throw new IllegalArgumentException("folding factor must be in [1, 6]: " + foldingFactor);
        }
        if (finalVars < 0 || finalVars > 10) {
            throw new IllegalArgumentException("final arity must be in [0, 10]: " + finalVars);
        }
        if (securityBits < 1 || securityBits > 128) {
            throw new IllegalArgumentException("security target must be in [1, 128] bits: " + securityBits);
        }
        if (queryPowBits < 0 || queryPowBits > 30 || queryPowBits >= securityBits) {
            throw new IllegalArgumentException("query grinding must be in [0, min(30, security bits)) bits: " + queryPowBits);
        }
        // A collision of the truncated hash costs 2^(4·digestBytes): at least 2^securityBits.
        if (digestBytes < MerkleHasher.MIN_DIGEST_BYTES || digestBytes > MerkleHasher.DIGEST_BYTES || 4 * digestBytes < securityBits) {
            throw new IllegalArgumentException("Merkle digest bytes must be in [max(16, security bits / 4), 32]: " + digestBytes);
        }
        if (merkleHash == null) {
            throw new IllegalArgumentException("Merkle hash missing");
        }
    }

    /** A hasher of this commitment's Merkle trees: {@link #merkleHash} truncated to {@link #digestBytes}. */
    MerkleHasher hasher() {
        return new MerkleHasher(merkleHash, digestBytes);
    }

    /** The largest arity these parameters commit to. */
    public int maxNumVars() {
        return MAX_LOG_DOMAIN - logInverseRate;
    }

    /** Out-of-domain samples per committed oracle: none in the unique-decoding regime (ℓ = 1), two in the list regimes. */
    int oodSamples() {
        return soundness == Soundness.UNIQUE_DECODING ? 0 : 2;
    }

    /**
     * The iterations for an n-variable polynomial; a function of (n, parameters) only. The arity of the
     * polynomial sent in the clear is the one up to {@code finalVars} whose schedule has the smallest
     * {@linkplain WhirSchedule#estimatedBytes estimated proof}: stopping a round early costs 16·2^F bytes
     * of coefficients but saves a round of about t·(16·2^k + 32·depth) bytes of fibres and paths.
     */
    public WhirSchedule schedule(int numVars) {
        return schedule(numVars, foldingFactor, false);
    }

    /**
     * The iterations of a hiding opening of f′ (v variables, {@link HidingLayout}): iteration 0 folds
     * {@code firstFold} variables, every later one {@code foldingFactor}. An opening reveals f′'s
     * queried iteration-0 fibres, 2^k₀ values each, which the commitment's mask ĥ must cover for every
     * opening of its budget: with k₀ = {@link #HIDING_FIRST_FOLD} instead of 4 the mask, and with it f′ and the per-opening work,
     * is 8× smaller for the same budget. After iteration 0 the next oracle's rate is half the first's, whatever k₀
     * ({@link #nextLogDomain}), so iteration 1 draws a plain iteration's queries at that rate.
     */
    public WhirSchedule hidingSchedule(int numVars, int firstFold) {
        if (firstFold < 1 || firstFold > foldingFactor) {
            throw new IllegalArgumentException("first fold " + firstFold + " outside [1, " + foldingFactor + "]");
        }
        return schedule(numVars, firstFold, true);
    }

    private WhirSchedule schedule(int numVars, int firstFold, boolean hiding) {
        if (numVars < 0 || numVars > maxNumVars()) {
            throw new IllegalArgumentException("number of variables " + numVars + " outside [0, " + maxNumVars() + "]");
        }
        return SCHEDULES.computeIfAbsent(new ScheduleKey(this, numVars, firstFold, hiding), k -> smallestSchedule(numVars, firstFold, hiding));
    }

    /** A schedule's arguments: a proof asks for the same few many times over (its layouts' counts, its members' runs). */
    private record ScheduleKey(WhirParameters parameters, int numVars, int firstFold, boolean hiding) {}

    /** Schedules made so far (values: immutable records). */
    private static final java.util.concurrent.ConcurrentHashMap<ScheduleKey, WhirSchedule> SCHEDULES = new java.util.concurrent.ConcurrentHashMap<>();

    /** Over the final arities, the schedule of fewest estimated bytes. */
    private WhirSchedule smallestSchedule(int numVars, int firstFold, boolean hiding) {
        WhirSchedule best = null;
        for (int f = 0; f <= finalVars; f++) {
            WhirSchedule s = schedule(numVars, f, firstFold, hiding);
            if (best == null || s.estimatedBytes() < best.estimatedBytes()) {
                best = s;
            }
        }
        return best;
    }

    private WhirSchedule schedule(int numVars, int finalArity, int firstFold, boolean hiding) {
        List<WhirSchedule.Round> rounds = new ArrayList<>();
        int vars = numVars;
        int logDomain = numVars + logInverseRate;
        while (true) {
            int fold = Math.min(rounds.isEmpty() ? firstFold : foldingFactor, vars);
            boolean last = vars - fold <= finalArity;
            double logRate = vars - logDomain;
            WhirSchedule.Round r = new WhirSchedule.Round(vars, logDomain, fold, queries(logDomain, logRate), last ? 0 : oodSamples(), 0, 0);
            int next = nextLogDomain(vars, logDomain, fold, hiding ? rounds.size() : -1, firstFold < foldingFactor);
            int pow = grinding(WhirSchedule.Round.foldBits(this, logDomain, logRate, r.logList(this)));
            int combinePow = last ? 0 : grinding(WhirSchedule.Round.combineBits(r.queries(), r.ood(), r.combineLogList(this, next)));
            rounds.add(new WhirSchedule.Round(vars, logDomain, fold, r.queries(), r.ood(), pow, combinePow));
            logDomain = next;
            vars -= fold;
            if (last) {
                break;
            }
        }
        return new WhirSchedule(this, numVars, List.copyOf(rounds), vars);
    }

    /** Per-query error in bits of an iteration on 2^logDomain points at rate 2^logRate: −log2(1 − δ) for this regime's δ. */
    double bitsPerQuery(int logDomain, double logRate) {
        double rate = Math.pow(2, logRate);
        return switch (soundness) {
            case UNIQUE_DECODING -> -log2((1 + rate) / 2);
            case CAPACITY_CONJECTURE -> -log2(rate + eta(rate));
            case JOHNSON_BOUND -> -log2(Math.sqrt(rate) + johnsonEta(rate, johnsonMultiplicity(logDomain, logRate)));
        };
    }

    /**
     * log2 of the list size ℓ at rate 2^logRate and this regime's δ, over a domain of 2^logDomain: 0 when
     * unique; |L|/η under the capacity conjecture; 1/(2η√ρ) = m/ρ at the Johnson radius (the Johnson bound:
     * RS codes are (1 − √ρ − η, 1/(2η√ρ))-list decodable).
     */
    double logList(int logDomain, double logRate) {
        double rate = Math.pow(2, logRate);
        return switch (soundness) {
            case UNIQUE_DECODING -> 0;
            case CAPACITY_CONJECTURE -> logDomain - log2(eta(rate));
            case JOHNSON_BOUND -> log2(johnsonMultiplicity(logDomain, logRate) / rate);
        };
    }

    /**
     * log2 of the exceptional challenges of a 2-element line u₀ + z·u₁ over a domain of 2^logDomain at rate
     * 2^logRate: if more than this many z make u₀ + z·u₁ δ-close to the code, u₀ and u₁ have correlated
     * agreement (mutual, for WHIR's fold). Unique decoding |L| (BCIKS20 Thm 1.4); conjecturally |L|/η up
     * to capacity; at the Johnson radius {@link #johnsonExceptions}.
     */
    double logLineExceptions(int logDomain, double logRate) {
        return switch (soundness) {
            case UNIQUE_DECODING -> logDomain;
            case CAPACITY_CONJECTURE -> logList(logDomain, logRate);
            case JOHNSON_BOUND -> log2(johnsonExceptions(logDomain, logRate, johnsonMultiplicity(logDomain, logRate)));
        };
    }

    /**
     * BCHKS25 (Ben-Sasson, Carmon, Haböck, Kopparty, Saraf, "On Proximity Gaps for Reed–Solomon Codes",
     * ePrint 2025/2055) Thm 4.2: for δ = 1 − √ρ − η and m = max(⌈√ρ/2η⌉, 3) (the 2 in m's denominator as
     * corrected by the authors), if more than a = (2(m + ½)^5 + 3(m + ½)·δρ)/(3ρ^{3/2})·|L| + (m + ½)/√ρ
     * points of a line are δ-close to RS[L, ρ|L|], the line has correlated agreement; linear in |L|, where
     * BCIKS20 Thm 1.5 was quadratic. Its mutual form for polynomial generators, which WHIR's fold needs:
     * Bordage, Chiesa, Guan, Manzur, ePrint 2025/2051. Here η = √ρ/2m, so BCHKS25's m is this m.
     */
    static double johnsonExceptions(int logDomain, double logRate, int m) {
        double rate = Math.pow(2, logRate);
        double mh = m + 0.5;
        double delta = 1 - Math.sqrt(rate) - johnsonEta(rate, m);
        return (2 * Math.pow(mh, 5) + 3 * mh * delta * rate) / (3 * Math.pow(rate, 1.5)) * Math.pow(2, logDomain) + mh / Math.sqrt(rate);
    }

    /**
     * The Guruswami–Sudan multiplicity m ≥ 3 of a Johnson-regime iteration on 2^logDomain points at rate
     * 2^logRate: δ = 1 − √ρ − √ρ/2m, so a query carries −log2(√ρ(1 + 1/2m)) bits (up to −½·log2 ρ as m
     * grows) while the line's exceptional count grows as (m + ½)^5. The largest m ≤ {@value #JOHNSON_MAX_MULTIPLICITY}
     * whose fold needs at most {@value #JOHNSON_FOLD_POW} bits of grinding; 3 when none does.
     */
    static int johnsonMultiplicity(int logDomain, double logRate) {
        for (int m = JOHNSON_MAX_MULTIPLICITY; m > 3; m--) {
            double a = johnsonExceptions(logDomain, logRate, m);
            double list = m / Math.pow(2, logRate);
            if (-log2((3 * list + a) * Math.pow(2, -LOG_FIELD)) >= 100 - JOHNSON_FOLD_POW) {
                return m;
            }
        }
        return 3;
    }

    /** The largest Johnson multiplicity used ({@link #johnsonMultiplicity}). */
    static final int JOHNSON_MAX_MULTIPLICITY = 8;
    /** The fold grinding (bits per folding challenge) a larger Johnson multiplicity may cost ({@link #johnsonMultiplicity}). */
    static final int JOHNSON_FOLD_POW = 14;

    /** η = √ρ/2m: the Johnson regime's distance below 1 − √ρ at multiplicity m. */
    static double johnsonEta(double rate, int m) {
        return Math.sqrt(rate) / (2 * m);
    }

    /** η = max(ρ/16, 2^−10): the distance from capacity the conjectured regime works at (bounded below so ℓ stays ≤ |L|·2^10). */
    static double eta(double rate) {
        return Math.max(rate / 16, 0x1p-10);
    }

    /** Bits of proof of work that lift an error of {@code bits} to the target. */
    private int grinding(double bits) {
        return (int) Math.max(0, Math.ceil(securityBits - bits));
    }

    /** t_i: the queries that, with the query grinding, bring (1 − δ)^t_i·2^−queryPowBits to 2^−λ. */
    private int queries(int logDomain, double logRate) {
        return (int) Math.ceil((securityBits - queryPowBits) / bitsPerQuery(logDomain, logRate));
    }

    /**
     * log2 |L_{i+1}| after iteration i on 2^logDomain points folding {@code fold} of {@code vars} variables:
     * {@link #DOMAIN_REDUCTION} less (the rate falls 2^(k−2)-fold), never below twice the folded polynomial's size.
     * In a hiding schedule ({@code hidingIteration} = i, −1 for a plain one) iteration 0 shrinks it by k₀ − 1 only, so
     * the rate halves there — after a narrow first fold (zkbytes26: where it used to stay, k₀ = 2, or double, k₀ = 1)
     * and after the plain one (rate35: iteration 1 of a hiding run a variable above the plain run's table then re-encodes
     * on the plain run's domain, for 45 queries where 36) — and after a {@code narrow} first fold the iteration after it
     * (i = 1) keeps its domain, so the rate falls by the whole 2^k there (bytes28). Each iteration's queries follow its
     * rate; WHIR's round-by-round errors hold for any sequence of smooth domains (docs/proof-system.md, "The narrow first
     * fold halves the rate", "The second oracle of a narrow run keeps its domain", 2026-12-06, and "A hiding run's
     * second oracle at half the rate", 2026-12-07).
     */
    static int nextLogDomain(int vars, int logDomain, int fold, int hidingIteration, boolean narrow) {
        int reduction = hidingIteration == 0 ? fold - 1
                : hidingIteration == 1 && narrow ? 0
                : Math.min(DOMAIN_REDUCTION, fold);
        return Math.max(vars - fold + 1, logDomain - reduction);
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
