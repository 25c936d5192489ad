package dev.verinfer.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a {@link MarketNode} runs.
 *
 * @param dataDir          the embedded ledger's directory (journal, snapshots, {@code market.json})
 * @param host             the address to listen on (loopback by default)
 * @param port             the port (0: any free one)
 * @param blockInterval    the pause between sealed blocks
 * @param httpThreads      threads serving requests (0: a virtual thread per request)
 * @param maxBlockTransactions  at most this many transactions per block
 * @param snapshotEvery    a state snapshot every this many blocks
 * @param commitTimeout    how long a submission waits for its block before the answer is 504
 */
public record NodeConfig(Path dataDir, String host, int port, Duration blockInterval, int httpThreads, int maxBlockTransactions,
                         int snapshotEvery, Duration commitTimeout) {
    public NodeConfig {
        if (port < 0 || port > 65_535 || httpThreads < 0 || maxBlockTransactions < 1 || snapshotEvery < 0 || blockInterval.isNegative()) {
            throw new IllegalArgumentException("port in 0..65535, threads >= 0, block transactions >= 1, snapshots >= 0 and a non-negative block interval required");
        }
    }

    /** Loopback, any free port, a block every 50 ms, virtual threads, 10,000 transactions per block, a snapshot every 100 blocks, 30 s to commit. */
    public static NodeConfig defaults(Path dataDir) {
        return new NodeConfig(dataDir, "127.0.0.1", 0, Duration.ofMillis(50), 0, 10_000, 100, Duration.ofSeconds(30));
    }

    public NodeConfig withBlockInterval(Duration d) {
        return new NodeConfig(dataDir, host, port, d, httpThreads, maxBlockTransactions, snapshotEvery, commitTimeout);
    }

}
