package dev.verinfer.api;

/** {@code GET /v1/health}: "ok", or "failed" with the block producer's failure (the node then takes no transactions). */
public record Health(String status, long height, String failure) {
}
