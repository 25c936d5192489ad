package dev.verinfer.sumcheck;

import dev.verinfer.field.ExtVector;

/** A table of extension values (not copied; the prover never modifies it). */
public record ExtTable(ExtVector values) implements MleTable {
    @Override
    public int length() {
        return values.length();
    }
}
