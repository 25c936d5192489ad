package dev.verinfer.sumcheck;

/** A table of canonical base-field values (not copied; the prover never modifies it). */
public record BaseTable(long[] values) implements MleTable {
    @Override
    public int length() {
        return values.length;
    }
}
