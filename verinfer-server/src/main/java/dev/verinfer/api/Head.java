package dev.verinfer.api;

/** {@code GET /v1/head}: the latest durable block (height 0 and an all-zero hash before the first). */
public record Head(long height, String hash, long timeMillis) {
}
