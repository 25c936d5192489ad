package dev.verinfer.node;

import dev.verinfer.client.RemoteAgent;
import dev.verinfer.eth.AnvilNode;
import dev.verinfer.eth.Artifact;
import dev.verinfer.eth.ChainAccount;
import dev.verinfer.eth.Erc20;
import dev.verinfer.eth.EthKeys;
import dev.verinfer.eth.EthMarket;
import dev.verinfer.market.ZkmlInference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The market on anvil (a block a second once set up) with real alexa_v0.1 inference and proofs: the prover and
 * the watcher each their own 'verinfer market' process against the contract, the client through
 * the same commands as on a node. A cancelled request returns its escrow; one request per mode is
 * served honestly; a cheating prover (in this JVM, through the same chain backend) with a lower
 * ask takes three more and is slashed in each mode (ZK by the verifier contract, OPTIMISTIC after
 * the watcher's challenge, SAMPLED by the unrevealed draw), the honest process then serving them;
 * a prover that locks and goes silent is slashed once its lock expires (the prover process calls
 * advance, as a node's timer would). Value is conserved, from chain state, after each part.
 *
 * <p>The model's verifier is the test-only verdict verifier with the correct output marked (the test
 * ran the model): the verifier of verinfer proofs in Solidity is written elsewhere, and this test
 * is about the market's processes on a chain, not about verification.
 */
class MarketChainProcessesTest {
    private static final Artifact VERIFIER = Artifact.load(MarketChainProcessesTest.class, "TestOnlyVerdictVerifier");
    private static final BigInteger FUNDS = BigInteger.valueOf(1_000_000);

    @TempDir
    Path dir;

    @Test
    void cancelHonestFlowsACheaterAndASilentProverOnAnvil() throws Exception {
        MarketFixture f = new MarketFixture(dir);
        // A block per transaction while the test sets the market up; a block a second once the processes run.
        try (AnvilNode anvil = AnvilNode.start(AnvilNode.binary(Path.of(System.getProperty("verinfer.repo.root", "../"))))) {
            AnvilMarket a = AnvilMarket.deploy(anvil, dir, List.of("deployer", "client", "honest", "cheater", "silent", "watcher"));
            Map<String, Path> keys = a.keys();
            Path deployment = a.deployment();
            String d = a.d();
            ChainAccount deployer = a.market().account();
            EthMarket market = a.market();
            Erc20 token = a.token();
            BigInteger supply = a.supply();
            List<String> everyone = a.everyone();

            // The verifier: the test ran alexa on the input, so it knows the one correct output.
            String verifier = deployer.deploy(VERIFIER.bytecode(), r -> VERIFIER.describeRevert(r, Map.of())).contractAddress();
            byte[] vkHash = f.alexa.verifyingKey().modelId();
            byte[] correct = new ZkmlInference(List.of(f.alexa)).output(f.model, f.input);
            deployer.send(verifier, FunctionEncoder.encode(new Function("markCorrect", List.of(new Bytes32(vkHash), new DynamicBytes(f.input), new DynamicBytes(correct)),
                    List.of())), r -> VERIFIER.describeRevert(r, Map.of()));

            for (String name : List.of("client", "honest", "cheater", "silent", "watcher")) {
                token.transfer(EthKeys.read(keys.get(name)).getAddress(), FUNDS);
                Cli dep = Cli.run("market", "deposit", "--deployment", d, "--key", keys.get(name), "--amount", FUNDS);
                assertEquals(0, dep.exitCode(), dep::toString);
            }
            Cli noVerifier = Cli.run("market", "register-model", "--deployment", d, "--key", keys.get("deployer"), "--model", f.w.alexa);
            assertEquals("verinfer: error: on a chain, --verifier ADDRESS names the IProofVerifier contract that checks this model's proofs", noVerifier.errorLine());
            Cli registered = Cli.run("market", "register-model", "--deployment", d, "--key", keys.get("deployer"), "--model", f.w.alexa, "--verifier", verifier, "--royalty", 50);
            assertEquals(0, registered.exitCode(), registered::toString);
            for (String p : List.of("honest", "cheater", "silent")) {
                assertEquals(0, Cli.run("market", "register-prover", "--deployment", d, "--key", keys.get(p), "--stake", 100_000).exitCode());
            }
            conserved(market, token, everyone, supply);

            // The client cancels a request nobody has locked (no prover runs yet) and gets its escrow back.
            long cancelled = request(d, keys.get("client"), f, "zk");
            BigInteger before = market.balanceOf(everyone.get(1));
            Cli cancel = Cli.run("market", "cancel", cancelled, "--deployment", d, "--key", keys.get("client"));
            assertEquals(0, cancel.exitCode(), cancel::toString);
            assertEquals(EthMarket.Status.CANCELLED, market.request(cancelled).status());
            assertEquals(before.add(BigInteger.valueOf(2_000)), market.balanceOf(everyone.get(1)), "the escrow is back");
            conserved(market, token, everyone, supply);

            a.rpc("evm_setIntervalMining", List.of(1));
            try (NodeProcess prover = NodeProcess.start(dir.resolve("prover.err"), "prover", "--deployment", d, "--key", keys.get("honest"), "--models", f.w.alexa,
                    "--ask-bps", 6_000);
                 NodeProcess watcher = NodeProcess.start(dir.resolve("watcher.err"), "watcher", "--deployment", d, "--key", keys.get("watcher"), "--models", f.w.alexa)) {
                String honest = everyone.get(2), cheater = everyone.get(3), silent = everyone.get(4), watching = everyone.get(5);
                List<Long> served = new ArrayList<>();
                for (String mode : List.of("zk", "optimistic", "sampled")) served.add(request(d, keys.get("client"), f, mode));
                try {
                    MarketFixture.await("the honest requests to settle", 180_000, () -> served.stream().allMatch(id -> market.request(id).status() == EthMarket.Status.SETTLED));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n" + prover.stderr() + "\n" + watcher.stderr(), e);
                }
                for (long id : served) assertEquals(honest, market.request(id).prover(), () -> "#" + id + "\n" + prover.stderr());
                assertEquals(List.of(), market.slashes());
                Cli result = Cli.run("market", "result", served.getFirst(), "--deployment", d, "--model", f.w.alexa);
                assertTrue(result.out().contains("SETTLED (verified and paid)") && result.out().contains("output     '13' [1, 1]: "), result::toString);
                conserved(market, token, everyone, supply);

                RemoteAgent cheat = RemoteAgent.prover(new ChainAgentBackend(ChainMarket.connect(null, null, deployment, EthKeys.read(keys.get("cheater")), 1)),
                        f.cheat(), Set.of(f.model), 5_000, RemoteAgent.Log.lines(line -> { }));
                Thread cheatThread = Thread.ofPlatform().start(cheat);
                List<Long> cheated = new ArrayList<>();
                for (String mode : List.of("zk", "optimistic", "sampled")) cheated.add(request(d, keys.get("client"), f, mode));
                MarketFixture.await("the cheated requests to settle", 180_000, () -> cheated.stream().allMatch(id -> market.request(id).status() == EthMarket.Status.SETTLED));
                cheat.stop();
                cheatThread.join();
                for (long id : cheated) assertEquals(honest, market.request(id).prover(), () -> "the honest prover served #" + id + " after the cheat");
                List<EthMarket.SlashView> slashes = market.slashes();
                assertEquals(3, slashes.size(), slashes::toString);
                assertTrue(slashes.stream().allMatch(x -> x.prover().equals(cheater)), slashes::toString);
                assertEquals(List.of(EthMarket.Cause.INVALID_PROOF, EthMarket.Cause.INVALID_PROOF, EthMarket.Cause.INVALID_PROOF),
                        slashes.stream().map(EthMarket.SlashView::cause).toList(), "each cheat was refused by the verifier contract");
                assertEquals(watching, slashes.stream().filter(x -> x.requestId() == cheated.get(1)).findFirst().orElseThrow().challenger(),
                        "the watcher process caught the optimistic cheat");
                conserved(market, token, everyone, supply);

                // A prover locks and goes silent: the prover process advances the expired lock (slash) and serves the request.
                long abandoned = request(d, keys.get("client"), f, "zk");
                EthMarket quiet = market.as(new ChainAccount(a.web3j(), EthKeys.read(keys.get("silent"))));
                quiet.lock(abandoned);
                assertEquals(silent, market.request(abandoned).prover());
                a.rpc("evm_increaseTime", List.of(61));
                a.rpc("evm_mine", List.of());
                MarketFixture.await("the abandoned request to be served", 120_000, () -> market.request(abandoned).status() == EthMarket.Status.SETTLED);
                assertEquals(honest, market.request(abandoned).prover(), "re-assigned to the honest prover");
                EthMarket.SlashView last = market.slashes().getLast();
                assertEquals(List.of(abandoned, (Object) silent, EthMarket.Cause.SILENT), List.of(last.requestId(), last.prover(), last.cause()));
                conserved(market, token, everyone, supply);

                assertEquals(143, prover.terminate(), prover::stderr);
                assertTrue(prover.stderr().endsWith("verinfer agent: stopped"), prover::stderr);
                assertEquals(143, watcher.terminate(), watcher::stderr);
                assertTrue((prover.stderr() + watcher.stderr()).contains("advance #" + abandoned + " -> OPEN"), "a keeper process slashed the silent prover");
                assertEquals(List.of("watcher: Challenge #" + cheated.get(1)), watcher.stderr().lines().filter(l -> l.startsWith("watcher: Challenge"))
                        .map(l -> l.substring(0, l.indexOf(" accepted"))).toList(), "the watcher challenged the cheat and nothing else");
            }
            a.web3j().shutdown();
        }
        Cli down = Cli.run("market", "status", 1, "--chain", "http://127.0.0.1:9", "--contract", "0x" + "11".repeat(20));
        assertTrue(down.errorLine().startsWith("verinfer: error: the node did not answer eth_chainId: ") && down.errorLine().endsWith("(is the chain's node running at http://127.0.0.1:9?)"),
                down::toString);
    }

    private static long request(String deployment, Path key, MarketFixture f, String mode) {
        Cli r = Cli.run("market", "request", "--deployment", deployment, "--key", key, "--model", f.w.alexa, "--input", f.w.input, "--max-fee", 2_000,
                "--mode", mode, "--window-millis", mode.equals("sampled") ? 20_000 : 5_000, "--probability-bps", 10_000, "--json");
        assertEquals(0, r.exitCode(), r::toString);
        try {
            return Json.MAPPER.readTree(r.out()).path("requestId").asLong();
        } catch (java.io.IOException e) {
            throw new AssertionError(r.toString(), e);
        }
    }

    /**
     * Value conservation from chain state: the market holds exactly what was deposited and not
     * withdrawn, and that is every balance, free stake and collateral of the parties, the escrow of
     * live requests and the pending challenge bonds; and no token was created or lost.
     */
    static void conserved(EthMarket market, Erc20 token, List<String> parties, BigInteger supply) {
        BigInteger held = token.balanceOf(market.address());
        assertEquals(market.deposited().subtract(market.withdrawn()), held);
        BigInteger owed = BigInteger.ZERO;
        for (String a : parties) {
            EthMarket.ProverView p = market.prover(a);
            owed = owed.add(market.balanceOf(a)).add(p.stake()).add(p.collateral());
        }
        for (long id = 1; id < market.nextRequestId(); id++) {
            EthMarket.RequestView r = market.request(id);
            owed = owed.add(r.escrow()).add(r.bond());
        }
        assertEquals(held, owed, "balances + stakes + collateral + escrow + bonds = the market's tokens");
        BigInteger wallets = token.balanceOf(market.address());
        for (String a : parties) wallets = wallets.add(token.balanceOf(a));
        assertEquals(supply, wallets, "no token created or lost");
    }
}
