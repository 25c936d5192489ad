package dev.verinfer.node;

import dev.verinfer.api.RequestView;
import dev.verinfer.client.MarketClient;
import dev.verinfer.client.RemoteAccount;
import dev.verinfer.client.RemoteAgent;
import dev.verinfer.market.Mode;
import dev.verinfer.market.Request;
import dev.verinfer.market.Slash;
import dev.verinfer.market.Tx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.verinfer.node.MarketFixture.id;
import static dev.verinfer.node.MarketFixture.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The market over HTTP with real alexa_v0.1 proofs, the node, an honest prover and a watcher each
 * its own 'verinfer market' process: one request per mode is served honestly; then a cheating
 * prover (in this JVM, over HTTP) with a lower ask takes three more first and is slashed in each
 * mode (ZK by the node's verifier, OPTIMISTIC by the watcher's challenge, SAMPLED by the draw),
 * and the honest prover serves them. SIGTERM then stops every process cleanly.
 */
class MarketProcessesTest {
    @TempDir
    Path dir;

    @Test
    void honestFlowsInEveryModeThenACheaterIsCaughtOverHttp() throws Exception {
        MarketFixture f = new MarketFixture(dir);
        KeyPair operatorKeys = f.key("operator");
        KeyPair owner = f.key("owner"), client = f.key("client"), honest = f.key("honest"), cheater = f.key("cheater"), watching = f.key("watcher");
        try (NodeProcess node = NodeProcess.start(dir.resolve("node.err"), "node", "--data", dir.resolve("ledger"), "--port", 0, "--operator", id(operatorKeys),
                "--params", f.params("{\"rampMillis\": 8000}"), "--block-millis", 20)) {
            MarketClient api = new MarketClient(node.uri());
            String url = node.uri().toString();
            MarketFixture.fund(RemoteAccount.of(api, operatorKeys), 100_000, owner, client, honest, cheater, watching);
            Cli registered = Cli.run("market", "register-model", "--node", url, "--key", f.keyFile("owner"), "--model", f.w.alexa, "--royalty", 50);
            assertEquals(0, registered.exitCode(), registered::toString);
            assertTrue(registered.out().contains("model id   " + f.model), registered::toString);
            Cli staked = Cli.run("market", "register-prover", "--node", url, "--key", f.keyFile("honest"), "--stake", 50_000);
            assertEquals(0, staked.exitCode(), staked::toString);
            ok(RemoteAccount.of(api, cheater).submit(new Tx.RegisterProver(50_000)));

            try (NodeProcess prover = NodeProcess.start(dir.resolve("prover.err"), "prover", "--node", url, "--key", f.keyFile("honest"), "--models", f.w.alexa, "--ask-bps", 6_000);
                 NodeProcess watcher = NodeProcess.start(dir.resolve("watcher.err"), "watcher", "--node", url, "--key", f.keyFile("watcher"), "--models", f.w.alexa)) {
                List<Long> honestOnly = new ArrayList<>();
                for (String mode : List.of("zk", "optimistic", "sampled")) {
                    Cli r = Cli.run("market", "request", "--node", url, "--key", f.keyFile("client"), "--model", f.w.alexa, "--input", f.w.input,
                            "--max-fee", 2_000, "--mode", mode, "--window-millis", mode.equals("sampled") ? 20_000 : 2_000, "--probability-bps", 10_000);
                    assertEquals(0, r.exitCode(), r::toString);
                    honestOnly.add(Long.parseLong(r.out().lines().filter(l -> l.startsWith("request ")).findFirst().orElseThrow().split(" +")[1]));
                }
                MarketFixture.await("the honest requests to settle", 300_000, () -> MarketFixture.allFinal(api, "client=" + id(client)));
                for (long id : honestOnly) {
                    RequestView r = api.request(id);
                    assertEquals(Request.Status.SETTLED, r.status(), () -> r + "\nprover: " + prover.stderr());
                    assertEquals(id(honest), r.lock().prover());
                }
                assertEquals(List.of(), api.slashes());
                Cli result = Cli.run("market", "result", honestOnly.getFirst(), "--node", url, "--model", f.w.alexa);
                assertTrue(result.out().contains("SETTLED (verified and paid)") && result.out().contains("output     '13' [1, 1]: "), result::toString);

                RemoteAccount cheating = RemoteAccount.of(api, cheater);
                RemoteAgent cheat = RemoteAgent.prover(api, cheating, f.cheat(), Set.of(f.model), 5_000, RemoteAgent.Log.lines(line -> { }));
                Thread cheatThread = Thread.ofPlatform().start(cheat);
                RemoteAccount buyer = RemoteAccount.of(api, client);
                long first = api.requests("client=" + id(client)).getLast().id() + 1;
                for (Mode mode : List.of(new Mode.Zk(), new Mode.Optimistic(2_000), new Mode.Sampled(10_000, 20_000))) {
                    ok(buyer.submit(new Tx.SubmitRequest(f.model, f.input, 2_000, api.head().timeMillis() + 300_000, mode)));
                }
                MarketFixture.await("the cheated requests to settle", 300_000, () -> MarketFixture.allFinal(api, "client=" + id(client)));
                cheat.stop();
                cheatThread.join();
                for (long id = first; id < first + 3; id++) {
                    RequestView r = api.request(id);
                    assertEquals(Request.Status.SETTLED, r.status(), r::toString);
                    assertEquals(id(honest), r.lock().prover(), "the honest prover served #" + id + " after the cheat");
                }
                List<Slash> slashes = api.slashes().stream().sorted(java.util.Comparator.comparingLong(Slash::requestId)).toList();
                assertEquals(3, slashes.size(), slashes::toString);
                assertTrue(slashes.stream().allMatch(s -> s.prover().equals(id(cheater))), slashes::toString);
                assertTrue(slashes.get(0).cause().startsWith("invalid proof with the result"), slashes::toString);
                assertEquals(id(watching), slashes.get(1).challenger(), "the watcher process caught the optimistic cheat");
                assertEquals(id(client), slashes.get(2).victim(), "the sampling draw caught the sampled cheat");
                assertEquals(List.of(), api.invariantViolations());

                assertEquals(143, prover.terminate(), prover::stderr);
                assertTrue(prover.stderr().endsWith("verinfer agent: stopped"), prover::stderr);
                assertEquals(143, watcher.terminate(), watcher::stderr);
            }
            long height = api.head().height();
            assertEquals(143, node.terminate(), node::stderr);
            assertTrue(node.stderr().endsWith("verinfer node: stopped"), node::stderr);
            try (NodeProcess again = NodeProcess.start(dir.resolve("node2.err"), "node", "--data", dir.resolve("ledger"), "--port", 0)) {
                MarketClient reopened = new MarketClient(again.uri());
                assertTrue(reopened.head().height() >= height, "restarted with every block");
                assertEquals(6, reopened.requests("status=SETTLED").size());
                assertEquals(List.of(), reopened.invariantViolations());
            }
        }
    }

    /**
     * Over HTTP, the node and the honest prover as processes: a prover (in this JVM) that locks a
     * request and goes silent is slashed when its lock expires, and the honest prover serves the
     * re-opened request; a frivolous challenge of an honest optimistic result is answered with a
     * proof by the prover process, and the challenger loses its bond.
     */
    @Test
    void aSilentProverIsSlashedAndAFrivolousChallengerLosesItsBondOverHttp() throws Exception {
        MarketFixture f = new MarketFixture(dir);
        KeyPair operatorKeys = f.key("operator");
        KeyPair owner = f.key("owner"), client = f.key("client"), honest = f.key("honest"), silent = f.key("silent"), challenger = f.key("challenger");
        try (NodeProcess node = NodeProcess.start(dir.resolve("node.err"), "node", "--data", dir.resolve("ledger"), "--port", 0, "--operator", id(operatorKeys),
                "--params", f.params("{\"rampMillis\": 500, \"lockMillis\": 15000}"), "--block-millis", 20)) {
            MarketClient api = new MarketClient(node.uri());
            String url = node.uri().toString();
            MarketFixture.fund(RemoteAccount.of(api, operatorKeys), 100_000, owner, client, honest, silent, challenger);
            assertEquals(0, Cli.run("market", "register-model", "--node", url, "--key", f.keyFile("owner"), "--model", f.w.alexa, "--royalty", 50).exitCode());
            assertEquals(0, Cli.run("market", "register-prover", "--node", url, "--key", f.keyFile("honest"), "--stake", 50_000).exitCode());
            RemoteAccount quiet = RemoteAccount.of(api, silent);
            ok(quiet.submit(new Tx.RegisterProver(50_000)));
            RemoteAccount buyer = RemoteAccount.of(api, client);
            long deadline = api.head().timeMillis() + 300_000;
            ok(buyer.submit(new Tx.SubmitRequest(f.model, f.input, 2_000, deadline, new Mode.Zk())));
            long abandoned = api.requests("client=" + id(client)).getLast().id();
            ok(quiet.submit(new Tx.LockRequest(abandoned)));
            assertEquals(id(silent), api.request(abandoned).lock().prover());

            try (NodeProcess prover = NodeProcess.start(dir.resolve("prover.err"), "prover", "--node", url, "--key", f.keyFile("honest"), "--models", f.w.alexa)) {
                MarketFixture.await("the abandoned request to be served", 300_000, () -> api.request(abandoned).status() == Request.Status.SETTLED);
                assertEquals(id(honest), api.request(abandoned).lock().prover(), "re-assigned to the honest prover");
                List<Slash> slashes = api.slashes();
                assertEquals(1, slashes.size(), slashes::toString);
                assertEquals(id(silent), slashes.getFirst().prover());
                assertTrue(slashes.getFirst().cause().startsWith("silent prover"), slashes::toString);

                ok(buyer.submit(new Tx.SubmitRequest(f.model, f.input, 2_000, api.head().timeMillis() + 300_000, new Mode.Optimistic(30_000))));
                long disputed = api.requests("client=" + id(client)).getLast().id();
                MarketFixture.await("the optimistic result to be posted", 120_000, () -> api.request(disputed).status() == Request.Status.POSTED);
                long before = api.account(id(challenger)).orElseThrow().balance();
                ok(RemoteAccount.of(api, challenger).submit(new Tx.Challenge(disputed)));
                MarketFixture.await("the challenge to be answered", 120_000, () -> api.request(disputed).status() == Request.Status.SETTLED);
                assertEquals(1, api.slashes().size(), "an answered challenge slashes nobody");
                assertTrue(api.account(id(challenger)).orElseThrow().balance() < before, "the frivolous challenger lost its bond");
                assertEquals(List.of(), api.invariantViolations());
                assertEquals(143, prover.terminate(), prover::stderr);
            }
            assertEquals(143, node.terminate(), node::stderr);
        }
    }
}
