package dev.verinfer.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The market node under load over HTTP ({@link LoadRun}) with real alexa_v0.1 proofs: every request
 * served, the invariants holding; and with the node killed (SIGKILL) and restarted repeatedly
 * meanwhile, no transaction the API reported committed lost. Sizes are small for CI;
 * {@code scripts/market-load} runs 1,000 requests (system properties verinfer.load.*), with
 * adversaries mixed in (verinfer.load.adversaries).
 */
class MarketLoadTest {
    private static final int REQUESTS = Integer.getInteger("verinfer.load.requests", 100);
    private static final int CLIENTS = Integer.getInteger("verinfer.load.clients", 8);
    private static final int PROVERS = Integer.getInteger("verinfer.load.provers", 2);
    private static final int CRASH_REQUESTS = Integer.getInteger("verinfer.crash.requests", 60);
    private static final int KILLS = Integer.getInteger("verinfer.crash.kills", 3);
    /** Whether a cheating prover, a spammer and a griefing client run alongside (scripts/market-load: yes). */
    private static final boolean ADVERSARIES = Boolean.getBoolean("verinfer.load.adversaries");

    @TempDir
    Path dir;

    @Test
    void requestsInEveryModeUnderLoadOverHttpAreAllServed() throws Exception {
        LoadRun.Report r = new LoadRun(new MarketFixture(dir), dir, CLIENTS, PROVERS, ADVERSARIES).run(REQUESTS, 0);
        System.out.println("market load over HTTP (" + CLIENTS + " clients x " + PROVERS + " provers): " + r.describe());
        assertEquals(REQUESTS, r.requests());
        assertEquals(REQUESTS, r.settled(), "every request served: " + r.describe());
        assertEquals(List.of(), r.lost());
        assertEquals(List.of(), r.violations());
    }

    @Test
    void theNodeKilledRepeatedlyUnderLoadLosesNoCommittedTransaction() throws Exception {
        LoadRun.Report r = new LoadRun(new MarketFixture(dir), dir, CLIENTS / 2, PROVERS).run(CRASH_REQUESTS, KILLS);
        System.out.println("market load over HTTP with kill -9 of the node: " + r.describe());
        assertEquals(KILLS, r.restarts(), "the node was killed and restarted while the clients ran");
        assertEquals(CRASH_REQUESTS, r.requests());
        assertTrue(r.acknowledged() > CRASH_REQUESTS, r.describe());
        assertEquals(List.of(), r.lost(), "committed transactions lost");
        assertEquals(List.of(), r.violations());
        assertTrue(r.settled() + r.refunded() >= CRASH_REQUESTS, r.describe());
    }
}
