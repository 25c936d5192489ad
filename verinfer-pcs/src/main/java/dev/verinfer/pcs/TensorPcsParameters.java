package dev.verinfer.pcs;

/**
 * Parameters of the tensor-code PCS: the Reed–Solomon rate ρ = 2^−logInverseRate and the number t
 * of column queries (drawn independently and uniformly, repeats allowed).
 *
 * <p><b>Soundness ({@link #STANDARD}: ρ = 1/4, t = 150, ≈ 101 bits, proven).</b> Rows are encoded
 * with RS[K, ⟨ω⟩, 2^b], relative distance d = 1 − ρ = 3/4; take δ just below the unique-decoding
 * radius d/2 = 3/8. Following the Ligero testing/consistency analysis (Ames et al. CCS 2017 §4;
 * Brakedown, ePrint 2021/1043 §4, Thm 2):
 * <ol>
 *   <li>Proximity: the verifier combines the 2^a committed rows with independent uniform
 *       coefficients from K = F_p[X]/(X² − 7). If the interleaved codeword U is δ-far from the
 *       interleaved code, then γᵀU is δ-far from RS except with probability ≤ N/|K| ≤ 2^−104 for
 *       N ≤ 2^24 columns (correlated agreement in the unique-decoding regime, Ben-Sasson et al.
 *       "Proximity Gaps for Reed–Solomon Codes", FOCS 2020, Thm 1.4/1.6; a random linear combination
 *       is a non-zero multiple of a random point of an affine space). The codeword Enc(u) the prover
 *       sends then differs from γᵀU on more than δN columns, and each query misses them with
 *       probability &lt; 1 − δ.</li>
 *   <li>Evaluation: if U is δ-close to Enc(M′) (unique by δ &lt; d/2) and the evaluation row w differs
 *       from eq(r_high)ᵀM′, then Enc(w) and eq(r_high)ᵀU differ on ≥ (d − δ)N ≥ δN columns; every
 *       false claim must dodge its own set, so no union bound over claims is needed.</li>
 * </ol>
 * So a cheating prover passes with probability ≤ N/|K| + (1 − δ)^t ≤ 2^−104 + (5/8)^150 ≈ 2^−101.5
 * per Fiat–Shamir attempt; {@link #provenSecurityBits()} computes the second term for any choice.
 * Only proven statements are used: no proximity-gap or list-decoding conjecture. Under the
 * up-to-capacity conjecture (δ → 1 − ρ) t ≈ 50 would give 100 bits at rate 1/4 and shrink the
 * column part of the proof threefold: {@link #CONJECTURED} is that choice, for users who accept the
 * conjecture (as STARK deployments commonly do); {@link #conjecturedSecurityBits()} computes its bits.
 */
public record TensorPcsParameters(int logInverseRate, int queries) {
    /** ρ = 1/4, t = 150: ≈ 101 bits from proven bounds only. */
    public static final TensorPcsParameters STANDARD = new TensorPcsParameters(2, 150);
    /** ρ = 1/4, t = 50: 100 bits under the up-to-capacity proximity conjecture, ≈ 34 proven. */
    public static final TensorPcsParameters CONJECTURED = new TensorPcsParameters(2, 50);

    public TensorPcsParameters {
        if (logInverseRate < 1 || logInverseRate > 4) {
            throw new IllegalArgumentException("log2(1/rate) must be in [1, 4]: " + logInverseRate);
        }
        if (queries < 1 || queries > 4096) {
            throw new IllegalArgumentException("query count must be in [1, 4096]: " + queries);
        }
    }

    /** −log2((1 − δ)^t) with δ = (1 − ρ)/2, the unique-decoding radius: the query-phase soundness in bits. */
    public double provenSecurityBits() {
        double rate = Math.scalb(1.0, -logInverseRate);
        return queries * -Math.log((1 + rate) / 2) / Math.log(2);
    }

    /**
     * t·log2(1/ρ): the query-phase soundness in bits if a codeword may be δ-far for any δ up to the
     * capacity 1 − ρ (the "up-to-capacity" conjecture of ethSTARK, ePrint 2021/582 §5.10.1; not proven).
     */
    public double conjecturedSecurityBits() {
        return (double) queries * logInverseRate;
    }
}
