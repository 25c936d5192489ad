package dev.verinfer.api;

import java.util.List;

/** {@code POST /v1/transactions} as JSON: signed transactions (each its binary encoding, base64), applied in this order. */
public record TxBatch(List<byte[]> transactions) {
}
