package dev.verinfer.server;

import dev.verinfer.api.TxResult;
import dev.verinfer.ledger.Block;
import dev.verinfer.ledger.Hash;
import dev.verinfer.ledger.TxOutcome;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Submissions waiting for their block: each durable block completes, in order, the oldest waiter of
 * each of its transactions' hashes (identical bytes submitted twice wait for two occurrences).
 */
final class Commits {
    private final Map<Hash, Queue<CompletableFuture<TxResult>>> waiting = new ConcurrentHashMap<>();

    /** Registers a waiter; call before the transaction is queued, so that its block cannot be missed. */
    CompletableFuture<TxResult> expect(Hash tx) {
        CompletableFuture<TxResult> f = new CompletableFuture<>();
        waiting.compute(tx, (h, q) -> {
            Queue<CompletableFuture<TxResult>> queue = q == null ? new ArrayDeque<>() : q;
            queue.add(f);
            return queue;
        });
        return f;
    }

    /** Forgets a waiter that gave up. */
    void abandon(Hash tx, CompletableFuture<TxResult> f) {
        waiting.computeIfPresent(tx, (h, q) -> {
            q.remove(f);
            return q.isEmpty() ? null : q;
        });
    }

    /** Called with every durable block. */
    void onBlock(Block b) {
        for (TxOutcome o : b.outcomes()) {
            AtomicReference<CompletableFuture<TxResult>> taken = new AtomicReference<>();
            waiting.computeIfPresent(o.txHash(), (h, q) -> {
                taken.set(q.poll());
                return q.isEmpty() ? null : q;
            });
            if (taken.get() != null) {
                taken.get().complete(result(b.height(), o));
            }
        }
    }

    static TxResult result(long height, TxOutcome o) {
        return new TxResult(o.txHash().hex(), height, o.accepted(), o.reason());
    }
}
