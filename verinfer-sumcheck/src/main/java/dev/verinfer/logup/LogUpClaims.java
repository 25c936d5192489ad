package dev.verinfer.logup;

import java.util.List;

/** The evaluation claims a LogUp argument leaves for the caller to check (see {@link LogUpVerifier}). */
public record LogUpClaims(List<GroupClaim> groups, TableClaim table) {
    public LogUpClaims {
        groups = List.copyOf(groups);
    }
}
