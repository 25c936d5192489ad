package dev.verinfer.pcs;

/**
 * A commitment made by {@link MultilinearPcs#commitHiding}: its openings are zero-knowledge while at most
 * {@link #openingBudget()} of them are made; the prover refuses more (the masks would then be exhausted).
 */
public interface HidingCommitment extends PcsCommitment {
    /** How many openings (calls to {@link MultilinearPcs#open} naming this commitment) the mask covers. */
    int openingBudget();

    /** Openings still allowed. */
    int openingsLeft();

    /** Off-face claims ({@link #maskFace}) still allowed: each reveals a value of h, which has f's 2^n coefficients. */
    int offFaceClaimsLeft();

    /**
     * This commitment (same root, its budget counted together with this one's) with every opening's fresh randomness
     * drawn from {@code openingRandom}: for an opening that must come out the same whenever it is made again (a weight
     * bounds proof, regenerated from the key's seed, reveals nothing new), while the openings of proofs draw fresh
     * randomness — two openings under one mask g are outside the zero-knowledge argument.
     */
    HidingCommitment withOpeningRandomness(java.util.random.RandomGenerator openingRandom);

    /** Off-face claims the mask face covers over the commitment's life ({@link #offFaceClaimsLeft} before any opening). */
    int offFaceClaimBudget();

    /** The budget units one opening naming this commitment spends when it carries {@code offFaceClaims} off-face claims. */
    int openingUnits(int offFaceClaims);

    /**
     * Charges, before an opening that carries one off-face claim merged from {@code merged} others whose values the proof
     * reveals besides it, those values: {@code merged} off-face claims of the budget and the units an opening carrying all
     * {@code merged} + 1 would spend beyond one carrying one ({@link #openingUnits}); the opening charges its own claim.
     */
    void chargeMerged(int merged);

    /** The most claims one opening may carry and stay zero-knowledge (its fresh mask's capacity). */
    int maxClaims();

    /**
     * The table h of the committed f′ on its first mask face: f′(x, β, 0, …) = f(x) + β·h(x) (h has f's
     * arity and is uniformly random). A claim whose point has one coordinate more than the table
     * ({@link MultilinearPcs#open}) is a claim on f′(r, β, 0, …) — the "off-face" claim through which a
     * caller reveals f(r) + β·h(r) instead of f(r); each such claim spends part of the budget.
     */
    long[] maskFace();

    /** d when the mask fills the table's last 2^d slots ({@link MultilinearPcs#commitHidingOnceInTail}), else −1. */
    default int tailVars() {
        return -1;
    }

    /** The table as committed: the caller's, with its last 2^{@link #tailVars} slots replaced by the mask when it is there. */
    long[] committedTable();
}
