package dev.verinfer.node;

import dev.verinfer.api.RequestView;
import dev.verinfer.client.MarketClient;
import dev.verinfer.client.RemoteAccount;
import dev.verinfer.client.RemoteAgent;
import dev.verinfer.market.BatchingProver;
import dev.verinfer.market.Mode;
import dev.verinfer.market.Request;
import dev.verinfer.market.Slash;
import dev.verinfer.market.Tx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.ArrayList;
import java.util.stream.LongStream;

import static dev.verinfer.node.MarketFixture.id;
import static dev.verinfer.node.MarketFixture.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batching prover over HTTP with real alexa_v0.1 proofs, the node and the prover each a
 * 'verinfer market' process: eight ZK requests submitted at once are locked together (LockRequests)
 * and settled by fewer proofs than requests (batch proofs, one SubmitBatchResult each) and each is paid; then a cheating batching
 * prover (in this JVM, over HTTP) with a lower ask locks six more first, is slashed on every request
 * of each batch it signed, and the prover process serves them.
 */
class MarketBatchingProcessesTest {
    private static final int HONEST = 8;
    private static final int CHEATED = 6;

    @TempDir
    Path dir;

    @Test
    void concurrentRequestsAreServedInBatchesAndACheaterIsSlashedForItsWholeBatch() throws Exception {
        MarketFixture f = new MarketFixture(dir);
        KeyPair operatorKeys = f.key("operator");
        KeyPair owner = f.key("owner"), client = f.key("client"), honest = f.key("honest"), cheater = f.key("cheater");
        try (NodeProcess node = NodeProcess.start(dir.resolve("node.err"), "node", "--data", dir.resolve("ledger"), "--port", 0, "--operator", id(operatorKeys),
                "--params", f.params("{\"rampMillis\": 8000}"), "--block-millis", 20)) {
            MarketClient api = new MarketClient(node.uri());
            String url = node.uri().toString();
            MarketFixture.fund(RemoteAccount.of(api, operatorKeys), 100_000, owner, client, honest, cheater);
            assertEquals(0, Cli.run("market", "register-model", "--node", url, "--key", f.keyFile("owner"), "--model", f.w.alexa, "--royalty", 50).exitCode());
            assertEquals(0, Cli.run("market", "register-prover", "--node", url, "--key", f.keyFile("honest"), "--stake", 50_000).exitCode());
            ok(RemoteAccount.of(api, cheater).submit(new Tx.RegisterProver(50_000)));
            RemoteAccount buyer = RemoteAccount.of(api, client);

            try (NodeProcess prover = NodeProcess.start(dir.resolve("prover.err"), "prover", "--node", url, "--key", f.keyFile("honest"), "--models", f.w.alexa,
                    "--ask-bps", 6_000)) {
                long before = api.account(id(honest)).orElseThrow().balance();
                List<Long> served = submitAtOnce(api, buyer, f, HONEST);
                MarketFixture.await("the concurrent requests to settle", 300_000, () -> MarketFixture.allFinal(api, "client=" + id(client)));
                for (long id : served) {
                    RequestView r = api.request(id);
                    assertEquals(Request.Status.SETTLED, r.status(), () -> r + "\nprover: " + prover.stderr());
                    assertEquals(id(honest), r.lock().prover());
                }
                List<String> proofs = prover.stderr().lines().filter(l -> l.contains("SubmitBatchResult") || l.contains("SubmitResult")).toList();
                assertTrue(proofs.stream().allMatch(l -> l.contains(" accepted ")), proofs::toString);
                assertTrue(proofs.stream().anyMatch(l -> l.contains("SubmitBatchResult of ")), proofs::toString);
                assertTrue(proofs.size() < HONEST, "fewer proofs than requests: " + proofs);
                assertTrue(prover.stderr().lines().anyMatch(l -> l.contains("LockRequests of ") && l.contains(" accepted ")), "several locked in one transaction");
                assertTrue(served.stream().map(id -> api.request(id).result().postedHeight()).distinct().count() < HONEST, "several settled in one block");
                assertTrue(api.account(id(honest)).orElseThrow().balance() > before, "the prover was paid");
                assertEquals(List.of(), api.slashes());

                List<Tx.SubmitBatchResult> signed = Collections.synchronizedList(new ArrayList<>());
                // a request it cannot batch (alone, or its lock too short for a batch) it proves singly, as the policy says
                List<Long> signedAlone = Collections.synchronizedList(new ArrayList<>());
                RemoteAgent cheat = RemoteAgent.batchingProver(api, RemoteAccount.of(api, cheater), f.cheat(), Set.of(f.model), 5_000,
                        BatchingProver.Policy.DERIVED, new RemoteAgent.Log() {
                            @Override public void sent(RemoteAccount.Sent sent) {
                                if (sent.body() instanceof Tx.SubmitBatchResult b) signed.add(b);
                                if (sent.body() instanceof Tx.SubmitResult r) signedAlone.add(r.requestId());
                            }

                            @Override public void note(String line) {
                            }
                        });
                Thread cheatThread = Thread.ofPlatform().start(cheat);
                List<Long> cheated = submitAtOnce(api, buyer, f, CHEATED);
                MarketFixture.await("the cheated requests to settle", 300_000, () -> MarketFixture.allFinal(api, "client=" + id(client)));
                cheat.stop();
                cheatThread.join();
                for (long id : cheated) {
                    RequestView r = api.request(id);
                    assertEquals(Request.Status.SETTLED, r.status(), r::toString);
                    assertEquals(id(honest), r.lock().prover(), "the prover process served #" + id + " after the cheat");
                }
                List<Slash> slashes = api.slashes();
                assertTrue(!signed.isEmpty(), "the cheater sent batches");
                List<Long> inBatches = signed.stream().flatMap(b -> b.requestIds().stream()).sorted().toList();
                List<Long> signedIds = java.util.stream.Stream.concat(inBatches.stream(), signedAlone.stream()).sorted().toList();
                assertEquals(signedIds, slashes.stream().map(Slash::requestId).sorted().toList(), "slashed on every request of every batch (and single result) it signed");
                assertTrue(inBatches.size() > signed.size(), "the cheater batched: " + inBatches + " in " + signed.size() + " batches");
                assertTrue(slashes.stream().allMatch(s -> s.prover().equals(id(cheater)) && s.cause().startsWith(
                        inBatches.contains(s.requestId()) ? "invalid batch proof" : "invalid proof with the result")), slashes::toString);
                assertEquals(List.of(), api.invariantViolations());
                assertEquals(143, prover.terminate(), prover::stderr);
            }
            assertEquals(143, node.terminate(), node::stderr);
        }
    }

    /** {@code n} ZK requests in one submission (one block); their ids. */
    private static List<Long> submitAtOnce(MarketClient api, RemoteAccount buyer, MarketFixture f, int n) {
        long deadline = api.head().timeMillis() + 300_000;
        for (int i = 0; i < n; i++) buyer.send(new Tx.SubmitRequest(f.model, f.input, 2_000, deadline, new Mode.Zk()));
        List<RemoteAccount.Sent> sent = buyer.flush();
        sent.forEach(s -> ok(s.result()));
        long last = api.requests("client=" + buyer.id()).getLast().id();
        return LongStream.rangeClosed(last - n + 1, last).boxed().toList();
    }
}
