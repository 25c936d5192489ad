package dev.verinfer.zkml;

/**
 * A zero-knowledge proof refused because the proving key's hiding weight commitment has spent its opening budget
 * (the key's {@link VerifyingKey#weightOpeningBudget}, or the more its layout covers), or the off-face claims its mask face
 * covers (2^(n−1) for 2^n packed weights): another opening could reveal the weights. Counted in this process, and across
 * processes when the key was loaded with its {@link WeightOpeningLedger}, which keeps a rotation's units: the owner rotates the
 * commitment ({@link WeightRotations}, {@code verinfer rotate -m DIR}; the model keeps its id), or registers a fresh one.
 */
public final class WeightBudgetSpentException extends IllegalStateException {
    WeightBudgetSpentException(int budget, Throwable cause) {
        super("the weight commitment's zero-knowledge opening budget of " + budget + " is spent in this process;"
                + " set the model up again for a fresh weight commitment (verinfer compile --zk) and register the new key", cause);
    }

    /**
     * Refused by the count kept beside the key: {@code units} more would take the units kept for a rotation (or the off-face
     * claims are spent). Names how to go on: rotate the commitment (the model directory is the count's), or, if the count has
     * no rotation's units left (a count spent before proofs kept them), set the model up again.
     */
    WeightBudgetSpentException(int budget, int units, WeightOpeningLedger.Count count, java.nio.file.Path file) {
        super("the weight commitment's zero-knowledge opening budget of " + budget + " is spent (" + count.units() + " units and "
                + count.offFace() + " of " + count.offFaceBudget() + " off-face claims used, counted in " + file + "; a proof needs " + units
                + " more and the last " + WeightRotations.UNITS + " are kept for a rotation); "
                + (count.units() + WeightRotations.UNITS <= budget
                        ? "rotate the weight commitment, which keeps the model id and verifying key: verinfer rotate -m " + file.toAbsolutePath().getParent()
                        + " (or prove with --rotate-when-spent)"
                        : "set the model up again for a fresh weight commitment (verinfer compile --zk) and register the new key"));
    }
}
