package dev.verinfer.api;

/**
 * What became of a submitted transaction once its block is durable: accepted, or rejected by the
 * market's rules with the reason (the transaction is in the block either way, and consumed its nonce).
 */
public record TxResult(String hash, long height, boolean accepted, String reason) {
}
