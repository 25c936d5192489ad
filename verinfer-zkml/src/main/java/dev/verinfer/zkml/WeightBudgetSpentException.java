package dev.verinfer.zkml;

/**
 * A zero-knowledge proof refused because the proving key's hiding weight commitment has spent its opening budget
 * (the key's {@link VerifyingKey#weightOpeningBudget}, or the more its layout covers), or the off-face claims its mask face
 * covers (2^(n−1) for 2^n packed weights): another opening could reveal the weights. Counted in this process, and across
 * processes when the key was loaded with its {@link WeightOpeningLedger}. The owner must register a fresh commitment (set
 * the model up again: a new key and model id); nothing rotates it automatically.
 */
public final class WeightBudgetSpentException extends IllegalStateException {
    WeightBudgetSpentException(int budget, Throwable cause) {
        super("the weight commitment's zero-knowledge opening budget of " + budget + " is spent in this process;"
                + " set the model up again for a fresh weight commitment (verinfer compile --zk) and register the new key", cause);
    }

    /** Refused by the count kept beside the key: {@code units} more would exceed it. */
    WeightBudgetSpentException(int budget, int units, WeightOpeningLedger.Count count, java.nio.file.Path file) {
        super("the weight commitment's zero-knowledge opening budget of " + budget + " is spent (" + count.units() + " units and "
                + count.offFace() + " of " + count.offFaceBudget() + " off-face claims used, counted in " + file + "; a proof needs " + units
                + " more); set the model up again for a fresh weight commitment (verinfer compile --zk) and register the new key (or, experimental"
                + " and not yet zero-knowledge, rotate it while " + WeightRotations.UNITS + " units are left: verinfer rotate --experimental)");
    }
}
