package dev.verinfer.ledger;

import java.time.Duration;
import java.util.Optional;

/**
 * Seals blocks of an {@link EmbeddedLedger} on its own thread: the embedded ledger's block clock.
 * Every interval it seals a block if transactions wait, and otherwise only once {@code heartbeat}
 * has passed since the last block (time-driven transitions — deadlines, expiries, windows — then
 * run at least that often), so an idle ledger's journal grows by one small block per heartbeat.
 * It stops at the first failure (the ledger is then fail-stopped too) and reports it by
 * {@link #failure()}.
 */
public final class BlockProducer implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /** The default idle heartbeat. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private BlockProducer(EmbeddedLedger<?> ledger, Duration interval, Duration heartbeat) {
        thread = Thread.ofPlatform().name("block-producer").start(() -> {
            long last = Long.MIN_VALUE;
            while (running) {
                try {
                    long now = System.nanoTime();
                    if (ledger.hasPending() || last == Long.MIN_VALUE || now - last >= heartbeat.toNanos()) {
                        ledger.produceBlock();
                        last = now;
                    }
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

    /** A producer checking every {@code interval} for work, with the default {@link #HEARTBEAT}. */
    public static BlockProducer start(EmbeddedLedger<?> ledger, Duration interval) {
        return start(ledger, interval, HEARTBEAT.compareTo(interval) > 0 ? HEARTBEAT : interval);
    }

    public static BlockProducer start(EmbeddedLedger<?> ledger, Duration interval, Duration heartbeat) {
        return new BlockProducer(ledger, interval, heartbeat);
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
