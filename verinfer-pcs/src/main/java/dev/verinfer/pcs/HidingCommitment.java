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
}
