package dev.verinfer.node;

import dev.verinfer.api.TxResult;
import dev.verinfer.client.MarketClient;
import dev.verinfer.client.NodeException;
import dev.verinfer.client.RemoteAccount;
import dev.verinfer.market.MarketParams;
import dev.verinfer.market.Mode;
import dev.verinfer.market.Request;
import dev.verinfer.market.SignedTx;
import dev.verinfer.market.Signer;
import dev.verinfer.market.StatementCodec;
import dev.verinfer.market.Tx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.verinfer.node.MarketFixture.id;
import static dev.verinfer.node.MarketFixture.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attacks of issue 14 on the node and the prover worker, played over HTTP against 'verinfer
 * market' processes: in each the attacker pays and gains nothing, and the honest parties lose nothing.
 */
class MarketAttacksProcessesTest {
    @TempDir
    Path dir;

    /**
     * Issue 14 §4 and §7 on the node: future-nonce transactions were journaled in full and could be
     * resent forever (1.28 GB in 23 s), 198 of 200 concurrent consecutive nonces were refused, idle
     * blocks were sealed ~19 times a second, and readers slowed block production. Now a later nonce
     * waits in memory and is journaled once, in nonce order, paying for its bytes.
     */
    @Test
    void theNodeAdmitsInNonceOrderAndJournalsNothingUnpaidOverHttp() throws Exception {
        MarketFixture f = new MarketFixture(dir);
        KeyPair operatorKeys = f.key("operator");
        KeyPair spammer = f.key("spammer");
        Path journal = dir.resolve("ledger").resolve("journal.log");
        try (NodeProcess node = NodeProcess.start(dir.resolve("node.err"), "node", "--data", dir.resolve("ledger"), "--port", 0, "--operator", id(operatorKeys),
                "--block-millis", 20)) {
            MarketClient api = new MarketClient(node.uri());
            MarketParams params = api.market();
            MarketFixture.fund(RemoteAccount.of(api, operatorKeys), 1_000_000, spammer);
            Signer s = new Signer(spammer, params.chainId());
            long nonce = api.account(s.accountId()).orElseThrow().nonce();

            // A 15 MB result five nonces ahead, sent 20 times at once: held once, never journaled while it waits.
            SignedTx ahead = s.sign(nonce + 5, new Tx.SubmitResult(1, new byte[] {1}, new byte[15 << 20]));
            long before = Files.size(journal);
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<TxResult>> sends = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    sends.add(pool.submit(() -> api.submit(ahead)));
                }
                Thread.sleep(1_500);
                assertTrue(Files.size(journal) - before < 1 << 20, "a waiting transaction is not journaled: " + (Files.size(journal) - before) + " bytes");
                for (long n = nonce; n < nonce + 5; n++) {
                    ok(api.submit(s.sign(n, new Tx.Withdraw(1))));
                }
                int applied = 0;
                int refused = 0;
                for (Future<TxResult> send : sends) {
                    try {
                        TxResult r = send.get();
                        applied++;
                        assertTrue(r.reason().equals("no request 1"), r.toString());
                    } catch (java.util.concurrent.ExecutionException e) {
                        NodeException ne = (NodeException) e.getCause();
                        assertEquals(409, ne.status(), ne.getMessage());
                        refused++;
                    }
                }
                assertEquals(1, applied, "the same signed bytes reached the ledger once");
                assertEquals(19, refused);
            }
            long grown = Files.size(journal) - before;
            assertTrue(grown < (16L << 20), "the journal grew by " + grown + " bytes for one 15 MB transaction");
            long fee = params.txFeeFor(ahead.toBytes().length);
            assertTrue(fee >= 15 * 1024, "the sender paid for its journal space: " + fee);

            // 200 consecutive nonces sent concurrently: all applied, in nonce order.
            long start = api.account(s.accountId()).orElseThrow().nonce();
            long balance = api.account(s.accountId()).orElseThrow().balance();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<TxResult>> sends = new ArrayList<>();
                for (int i = 199; i >= 0; i--) {
                    SignedTx tx = s.sign(start + i, new Tx.Withdraw(1));
                    sends.add(pool.submit(() -> api.submit(tx)));
                }
                for (Future<TxResult> send : sends) {
                    assertTrue(send.get().accepted(), send.get()::toString);
                }
            }
            assertEquals(start + 200, api.account(s.accountId()).orElseThrow().nonce());
            long withdrawFee = params.txFeeFor(s.sign(0, new Tx.Withdraw(1)).toBytes().length);
            assertEquals(balance - 200 * (1 + withdrawFee), api.account(s.accountId()).orElseThrow().balance());

            long next = start + 200;
            NodeException far = assertThrows(NodeException.class, () -> api.submit(s.sign(next + 5_000, new Tx.Withdraw(1))));
            assertEquals(429, far.status(), far.getMessage());
            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                keys.add(new byte[1_024]);
            }
            NodeException big = assertThrows(NodeException.class, () -> api.submit(s.sign(next, new Tx.RegisterOracleSet(1, keys))));
            assertEquals(413, big.status(), big.getMessage());

            // Idle, the node seals at most one block per heartbeat (an upper bound: a slow machine seals fewer).
            long h0 = api.head().height();
            long t0 = System.currentTimeMillis();
            Thread.sleep(3_000);
            long idleBlocks = api.head().height() - h0;
            long seconds = (System.currentTimeMillis() - t0 + 999) / 1_000;
            assertTrue(idleBlocks <= seconds + 1, idleBlocks + " idle blocks in " + seconds + " s");

            // 40 readers polling all the while do not stop blocks: 20 transactions sent one after another all commit.
            AtomicBoolean reading = new AtomicBoolean(true);
            AtomicLong reads = new AtomicLong();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 40; i++) {
                    pool.submit(() -> {
                        while (reading.get()) {
                            api.requests("limit=1000");
                            reads.incrementAndGet();
                        }
                        return null;
                    });
                }
                RemoteAccount account = RemoteAccount.of(api, spammer);
                for (int i = 0; i < 20; i++) {
                    ok(account.submit(new Tx.Withdraw(1)));
                }
                reading.set(false);
            }
            assertTrue(reads.get() > 0);
            assertEquals(List.of(), api.invariantViolations());
        }
    }

    /**
     * Issue 14 §1 and §2 against the prover process: unprovable inputs (random bytes, a wrong
     * length, a value beyond the calibrated bound) and a 300 ms deadline used to be locked by the
     * worker and cost it a slash; now they are refused where they enter, and a request whose lock
     * would be shorter than the worker can prove in is left alone. The client only pays its fees.
     */
    @Test
    void griefingInputsAndDeadlinesCostTheClientAndNeverTheProverOverHttp() throws Exception {
        MarketFixture f = new MarketFixture(dir);
        KeyPair operatorKeys = f.key("operator");
        KeyPair owner = f.key("owner"), griefer = f.key("griefer"), honest = f.key("honest");
        try (NodeProcess node = NodeProcess.start(dir.resolve("node.err"), "node", "--data", dir.resolve("ledger"), "--port", 0, "--operator", id(operatorKeys),
                "--params", f.params("{\"rampMillis\": 200}"), "--block-millis", 20)) {
            MarketClient api = new MarketClient(node.uri());
            String url = node.uri().toString();
            MarketFixture.fund(RemoteAccount.of(api, operatorKeys), 100_000, owner, griefer, honest);
            assertEquals(0, Cli.run("market", "register-model", "--node", url, "--key", f.keyFile("owner"), "--model", f.w.alexa, "--royalty", 50).exitCode());
            assertEquals(0, Cli.run("market", "register-prover", "--node", url, "--key", f.keyFile("honest"), "--stake", 50_000).exitCode());
            try (NodeProcess prover = NodeProcess.start(dir.resolve("prover.err"), "prover", "--node", url, "--key", f.keyFile("honest"), "--models", f.w.alexa)) {
                RemoteAccount client = RemoteAccount.of(api, griefer);
                long before = api.account(id(griefer)).orElseThrow().balance();
                long now = api.head().timeMillis();
                byte[] random = new byte[64];
                new Random(14).nextBytes(random);
                long[] values = StatementCodec.decode(f.input).getFirst().clone();
                long[] outOfRange = values.clone();
                outOfRange[0] = Long.MAX_VALUE / 2;
                List<byte[]> inputs = List.of(random, StatementCodec.encode(List.of(new long[values.length + 1])), StatementCodec.encode(List.of(outOfRange)));
                for (byte[] input : inputs) {
                    TxResult r = client.submit(new Tx.SubmitRequest(f.model, input, 2_000, now + 600_000, new Mode.Sampled(1_000, 60_000)));
                    assertTrue(!r.accepted() && r.reason().startsWith("input refused for model"), r.toString());
                }
                TxResult shortDeadline = client.submit(new Tx.SubmitRequest(f.model, f.input, 2_000, api.head().timeMillis() + 300, new Mode.Zk()));
                assertTrue(!shortDeadline.accepted() && shortDeadline.reason().contains("a prover needs at least"), shortDeadline.toString());

                // Above the market's minimum but shorter than a full lock: a worker that has not yet measured its proving time leaves it.
                long tight = api.requests("").stream().mapToLong(r -> r.id()).max().orElse(0) + 1;
                ok(client.submit(new Tx.SubmitRequest(f.model, f.input, 2_000, api.head().timeMillis() + 3_000, new Mode.Zk())));
                MarketFixture.await("the tight request to end", 60_000, () -> api.request(tight).status().isFinal());
                assertEquals(Request.Status.REFUNDED, api.request(tight).status());
                assertNull(api.request(tight).lock(), "the worker did not lock what it could not serve in time");

                long fine = tight + 1;
                ok(client.submit(new Tx.SubmitRequest(f.model, f.input, 2_000, api.head().timeMillis() + 300_000, new Mode.Zk())));
                MarketFixture.await("the honest request to settle", 120_000, () -> api.request(fine).status().isFinal());
                assertEquals(Request.Status.SETTLED, api.request(fine).status(), prover::stderr);
                assertEquals(List.of(), api.slashes(), "the honest prover was never slashed");
                long paid = api.request(fine).lock().price();
                long after = api.account(id(griefer)).orElseThrow().balance();
                assertTrue(after < before - paid, "the griefing client paid its fees: " + before + " -> " + after);
                assertTrue(before - paid - after < 1_000, "and no more than its fees: " + (before - paid - after));
                assertEquals(List.of(), api.invariantViolations());
                assertEquals(143, prover.terminate(), prover::stderr);
            }
        }
    }
}
