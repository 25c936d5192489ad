package dev.verinfer.api;

import java.util.List;

/** {@code GET /v1/blocks/{height}}: a durable block and the outcome of each of its transactions, in order. */
public record BlockView(long height, String hash, String parentHash, long timeMillis, List<TxResult> transactions) {
}
