package dev.verinfer.ledger;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A ledger of signed transactions over a deterministic state machine. Backends: the embedded
 * durable journal ({@link EmbeddedLedger}); an Ethereum-compatible chain later.
 *
 * @param <S> the state machine, readable through {@link #read}
 */
public interface Ledger<S extends StateMachine> extends AutoCloseable {
    /** Queues a transaction for a coming block; returns its hash (the key of its {@link TxOutcome}). */
    Hash submit(byte[] transaction);

    /** Runs a query on the state as of the latest block, with no block being applied meanwhile. */
    <R> R read(Function<? super S, R> query);

    /** Height of the latest block; 0 before the first. */
    long height();

    /** Up to {@code max} blocks from {@code fromHeight} (inclusive), in order: the polling interface. */
    List<Block> blocks(long fromHeight, int max);

    /** Calls the listener with every block sealed from now on, after it is durable. Returns the handle that stops it. */
    AutoCloseable subscribe(Consumer<Block> listener);

    @Override
    void close();
}
