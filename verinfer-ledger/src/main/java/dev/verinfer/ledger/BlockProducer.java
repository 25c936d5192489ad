package dev.verinfer.ledger;

import java.time.Duration;
import java.util.Optional;

/**
 * Seals a block of an {@link EmbeddedLedger} at a fixed interval on its own thread: the embedded
 * ledger's block clock. It stops at the first failure (the ledger is then fail-stopped too) and
 * reports it by {@link #failure()}.
 */
public final class BlockProducer implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private BlockProducer(EmbeddedLedger<?> ledger, Duration interval) {
        thread = Thread.ofPlatform().name("block-producer").start(() -> {
            while (running) {
                try {
                    ledger.produceBlock();
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception | Error e) {
                    failure = e;
                    return;
                }
            }
        });
    }

    public static BlockProducer start(EmbeddedLedger<?> ledger, Duration interval) {
        return new BlockProducer(ledger, interval);
    }

    /** The failure that stopped production, if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Stops after the block being sealed, if any, is durable. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
