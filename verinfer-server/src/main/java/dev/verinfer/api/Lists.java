package dev.verinfer.api;

import dev.verinfer.market.Slash;

import java.util.List;

/** The list documents: {@code GET /v1/models}, {@code /v1/requests}, {@code /v1/slashes}, {@code /v1/invariants}. */
public final class Lists {
    private Lists() {
    }

    public record Models(List<ModelView> models) {
    }

    public record Requests(List<RequestView> requests) {
    }

    public record Slashes(List<Slash> slashes) {
    }

    /** The market's invariants that do not hold (empty when all do). */
    public record Violations(List<String> violations) {
    }
}
