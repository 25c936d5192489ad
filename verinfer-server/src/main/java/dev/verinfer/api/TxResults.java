package dev.verinfer.api;

import java.util.List;

/** The answer to a {@link TxBatch}: one result per transaction, in order. */
public record TxResults(List<TxResult> results) {
}
