package dev.verinfer.api;

/**
 * A registered model; {@code verifyingKey} and {@code weightRotations} (a private model's weight commitment rotation chain,
 * verinfer-zkml's {@code WeightRotations} file bytes, empty until its owner's first rotation) only in
 * {@code GET /v1/models/{id}} (null in lists).
 */
public record ModelView(String id, String owner, long royalty, boolean deprecated, byte[] verifyingKey, byte[] weightRotations) {
}
