package dev.verinfer.api;

/** A registered model; {@code verifyingKey} only in {@code GET /v1/models/{id}} (null in lists). */
public record ModelView(String id, String owner, long royalty, boolean deprecated, byte[] verifyingKey) {
}
