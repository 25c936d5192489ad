package dev.verinfer.logup;

import java.util.List;

/** The evaluation claims a LogUp argument leaves for the caller to check (see {@link LogUpVerifier}): one per group, one per table. */
public record LogUpClaims(List<GroupClaim> groups, List<TableClaim> tables) {
    public LogUpClaims {
        groups = List.copyOf(groups);
        tables = List.copyOf(tables);
    }

    /** The claim of the first (or only) table. */
    public TableClaim table() {
        return tables.getFirst();
    }
}
