package dev.verinfer.node;

import dev.verinfer.market.BatchingProver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The market node under load over HTTP ({@link LoadRun}) with real alexa_v0.1 proofs: every request
 * served, the invariants holding; and with the node killed (SIGKILL) and restarted repeatedly
 * meanwhile, no transaction the API reported committed lost. Sizes are small; smaller still in CI
 * (the root pom's ci profile: every assertion holds at any size, the kills included);
 * {@code scripts/market-load} runs 1,000 requests (system properties verinfer.load.*), with
 * adversaries mixed in (verinfer.load.adversaries). ZK requests only, each client keeping
 * verinfer.load.window in flight, are served by provers proving each alone and by batching provers
 * side by side, and by batching provers with the node killed meanwhile.
 */
class MarketLoadTest {
    private static final int REQUESTS = Integer.getInteger("verinfer.load.requests", 100);
    private static final int CLIENTS = Integer.getInteger("verinfer.load.clients", 8);
    private static final int PROVERS = Integer.getInteger("verinfer.load.provers", 2);
    private static final int CRASH_REQUESTS = Integer.getInteger("verinfer.crash.requests", 60);
    private static final int KILLS = Integer.getInteger("verinfer.crash.kills", 3);
    /** Whether a cheating prover, a spammer and a griefing client run alongside (scripts/market-load: yes). */
    private static final boolean ADVERSARIES = Boolean.getBoolean("verinfer.load.adversaries");
    /** Requests each client keeps in flight in the ZK comparison. */
    private static final int WINDOW = Integer.getInteger("verinfer.load.window", 8);
    /** The batching provers' --max-batch in the comparison (0: the market's bound). */
    private static final int MAX_BATCH = Integer.getInteger("verinfer.load.maxBatch", 0);
    /** Requests of the comparison's run with provers that prove each request alone (fewer: it is the slow one). */
    private static final int SINGLE_REQUESTS = Integer.getInteger("verinfer.load.single", REQUESTS);

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
        assertEquals(List.of(), r.slashCauses(), "no honest prover is slashed for a clock that ran out while the node was down (excused downtime)");
    }

    @Test
    void zkRequestsAreServedByBatchingProversWithFewerProofsThanByProversThatProveEachAlone() throws Exception {
        LoadRun.Report single = new LoadRun(new MarketFixture(sub("single")), sub("single"), CLIENTS, PROVERS).zkOnly().window(WINDOW).run(SINGLE_REQUESTS, 0);
        LoadRun.Report batched = new LoadRun(new MarketFixture(sub("batched")), sub("batched"), CLIENTS, PROVERS).zkOnly().window(WINDOW)
                .batching(new BatchingProver.Policy(MAX_BATCH, -1)).run(REQUESTS, 0);
        LoadRun.Report crash = new LoadRun(new MarketFixture(sub("crash")), sub("crash"), CLIENTS / 2, PROVERS).zkOnly()
                .batching(BatchingProver.Policy.DERIVED).run(CRASH_REQUESTS, KILLS);
        System.out.println("market load ZK, " + CLIENTS + " clients x " + WINDOW + " in flight, " + PROVERS + " provers:\n"
                + "| provers                | requests | settled/s | p50 ms | p99 ms | proofs/settled | journal B/request |\n"
                + "|---|---|---|---|---|---|---|\n"
                + single.row("each request alone") + "\n" + batched.row("batching") + "\n" + crash.row("batching, " + KILLS + " kill -9") + "\n"
                + "market load ZK single: " + single.describe() + "\nmarket load ZK batching: " + batched.describe() + "\nmarket load ZK batching with kill -9: " + crash.describe());
        // Provers that prove each request alone may not keep up: a request they cannot serve by its deadline is refunded, never lost.
        assertEquals(single.requests(), single.settled() + single.refunded(), single.describe());
        assertEquals(REQUESTS, batched.settled(), batched.describe());
        for (LoadRun.Report r : List.of(single, batched)) {
            assertEquals(List.of(), r.lost());
            assertEquals(List.of(), r.violations());
        }
        assertTrue(batched.proofs() < batched.settled(), "batch proofs settle several requests each: " + batched.describe());
        assertEquals(KILLS, crash.restarts());
        assertEquals(List.of(), crash.lost(), "committed transactions lost");
        assertEquals(List.of(), crash.violations());
        assertTrue(crash.settled() + crash.refunded() >= CRASH_REQUESTS, crash.describe());
    }

    private Path sub(String name) throws java.io.IOException {
        return Files.createDirectories(dir.resolve(name));
    }
}
