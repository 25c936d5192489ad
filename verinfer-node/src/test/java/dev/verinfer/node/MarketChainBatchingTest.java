package dev.verinfer.node;

import dev.verinfer.client.RemoteAgent;
import dev.verinfer.eth.AnvilNode;
import dev.verinfer.eth.Artifact;
import dev.verinfer.eth.ChainAccount;
import dev.verinfer.eth.Erc20;
import dev.verinfer.eth.EthKeys;
import dev.verinfer.eth.EthMarket;
import dev.verinfer.market.BatchingProver;
import dev.verinfer.market.ZkmlInference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batching provers on the market contract (anvil, a block a second once set up) with real alexa_v0.1 inference
 * and batch proofs: a cheating batching prover (in this JVM, through the chain backend) locks
 * concurrent ZK requests, posts one batch with a wrong output and is slashed on every request of
 * the batch by the verifier contract; then a 'verinfer market prover' process (the batching
 * prover, uploading its proofs in chunks with --chunk-proofs-above) serves them and more in batches
 * settled by one submitBatchResultBuffered each, and is paid for each request. Value is conserved,
 * from chain state, after each part. The verifier is the test-only verdict verifier with the
 * correct output marked (as in {@link MarketChainProcessesTest}).
 */
class MarketChainBatchingTest {
    private static final Artifact VERIFIER = Artifact.load(MarketChainBatchingTest.class, "TestOnlyVerdictVerifier");
    private static final BigInteger FUNDS = BigInteger.valueOf(1_000_000);
    private static final BigInteger MAX_FEE = BigInteger.valueOf(2_000);

    @TempDir
    Path dir;

    /** A JSON-RPC response whose result is kept as parsed JSON. */
    public static final class Raw extends Response<Object> {
    }

    @Test
    void aCheaterInABatchIsSlashedForTheBatchAndTheBatchingProcessIsPaidPerRequest() throws Exception {
        MarketFixture f = new MarketFixture(dir);
        // A block per transaction while the test sets the market up; a block a second once the provers run.
        try (AnvilNode anvil = AnvilNode.start(AnvilNode.binary(Path.of(System.getProperty("verinfer.repo.root", "../"))))) {
            HttpService s = new HttpService(anvil.url());
            Web3j web3j = Web3j.build(s);
            Map<String, Path> keys = new java.util.LinkedHashMap<>();
            for (String name : List.of("deployer", "client1", "client2", "client3", "client4", "honest", "cheater")) {
                Path file = dir.resolve(name + ".eth.key");
                assertEquals(0, Cli.run("market", "chain", "keygen", "-o", file).exitCode());
                Response<?> r = new Request<>("anvil_setBalance", List.of(EthKeys.read(file).getAddress(), "0x56bc75e2d63100000"), s, Raw.class).send();
                assertTrue(!r.hasError());
                keys.put(name, file);
            }
            Path deployment = dir.resolve("deployment.json");
            Cli deploy = Cli.run("market", "deploy", "--chain", anvil.url(), "--key", keys.get("deployer"), "-o", deployment);
            assertEquals(0, deploy.exitCode(), deploy::toString);
            ChainAccount deployer = new ChainAccount(web3j, EthKeys.read(keys.get("deployer")));
            EthMarket market = new EthMarket(deployer, Json.MAPPER.readTree(Files.readAllBytes(deployment)).path("market").asText());
            Erc20 token = new Erc20(deployer, market.token());
            BigInteger supply = token.balanceOf(deployer.address());
            List<String> everyone = new ArrayList<>();
            Map<String, EthMarket> as = new java.util.HashMap<>();
            for (Map.Entry<String, Path> k : keys.entrySet()) {
                ChainAccount a = new ChainAccount(web3j, EthKeys.read(k.getValue()));
                everyone.add(a.address());
                as.put(k.getKey(), market.as(a));
                if (!k.getKey().equals("deployer")) {
                    token.transfer(a.address(), FUNDS);
                    token.as(a).approve(market.address(), FUNDS);
                    as.get(k.getKey()).deposit(FUNDS);
                }
            }
            String verifier = deployer.deploy(VERIFIER.bytecode(), r -> VERIFIER.describeRevert(r, Map.of())).contractAddress();
            byte[] vkHash = f.alexa.verifyingKey().modelId();
            byte[] correct = new ZkmlInference(List.of(f.alexa)).output(f.model, f.input);
            deployer.send(verifier, FunctionEncoder.encode(new Function("markCorrect", List.of(new Bytes32(vkHash), new DynamicBytes(f.input), new DynamicBytes(correct)),
                    List.of())), r -> VERIFIER.describeRevert(r, Map.of()));
            market.registerModel(vkHash, verifier, BigInteger.valueOf(50));
            byte[] modelId = market.modelIdOf(deployer.address(), vkHash);
            as.get("honest").registerProver(BigInteger.valueOf(100_000));
            as.get("cheater").registerProver(BigInteger.valueOf(100_000));
            String honest = as.get("honest").account().address(), cheater = as.get("cheater").account().address();
            MarketChainProcessesTest.conserved(market, token, everyone, supply);

            Response<?> interval = new Request<>("evm_setIntervalMining", List.of(1), s, Raw.class).send();
            assertTrue(!interval.hasError(), () -> interval.getError().getMessage());
            // The cheater, a batching prover whose outputs are wrong, locks three concurrent ZK requests and posts one batch for them.
            ConcurrentLinkedQueue<String> cheats = new ConcurrentLinkedQueue<>();
            RemoteAgent cheat = RemoteAgent.batchingProver(new ChainAgentBackend(ChainMarket.connect(null, null, deployment, EthKeys.read(keys.get("cheater")), 1)),
                    f.cheat(), Set.of(f.model), 5_000, new BatchingProver.Policy(0, 5_000), null, RemoteAgent.Log.lines(cheats::add));
            Thread cheatThread = Thread.ofPlatform().start(cheat);
            List<Long> cheated = requests(List.of(as.get("client1"), as.get("client2"), as.get("client3")), modelId, f.input);
            MarketFixture.await("the cheater to be slashed on its batch", 180_000, () -> market.slashes().size() == 3);
            // The slash is on chain once the batch is mined; the agent logs the batch after its receipt's confirmations.
            MarketFixture.await("the cheater's process to log its batch", 60_000, () -> cheats.stream().anyMatch(l -> l.startsWith("SubmitBatchResult ")));
            cheat.stop();
            cheatThread.join();
            List<EthMarket.SlashView> slashes = market.slashes();
            assertEquals(cheated, slashes.stream().map(EthMarket.SlashView::requestId).sorted().toList(), slashes::toString);
            assertTrue(slashes.stream().allMatch(x -> x.prover().equals(cheater) && x.cause() == EthMarket.Cause.INVALID_PROOF), slashes::toString);
            assertTrue(cheats.stream().anyMatch(l -> l.startsWith("SubmitBatchResult of 3 ")), () -> "one batch for the three: " + cheats);
            assertEquals(3, market.prover(cheater).slashed());
            cheated.forEach(id -> assertEquals(EthMarket.Status.OPEN, market.request(id).status(), "re-opened"));
            MarketChainProcessesTest.conserved(market, token, everyone, supply);

            // The prover process batches: the three re-opened requests, then four posted at once; proofs uploaded in chunks.
            BigInteger earnedBefore = market.balanceOf(honest);
            try (NodeProcess prover = NodeProcess.start(dir.resolve("prover.err"), "prover", "--deployment", deployment, "--key", keys.get("honest"),
                    "--models", f.w.alexa, "--ask-bps", 5_000, "--max-wait-ms", 5_000, "--chunk-proofs-above", 50_000)) {
                MarketFixture.await("the re-opened requests to settle", 240_000, () -> cheated.stream().allMatch(id -> market.request(id).status() == EthMarket.Status.SETTLED));
                List<Long> more = requests(List.of(as.get("client1"), as.get("client2"), as.get("client3"), as.get("client4")), modelId, f.input);
                MarketFixture.await("the new requests to settle", 240_000, () -> more.stream().allMatch(id -> market.request(id).status() == EthMarket.Status.SETTLED));
                List<Long> all = new ArrayList<>(cheated);
                all.addAll(more);
                BigInteger pay = BigInteger.ZERO;
                for (long id : all) {
                    EthMarket.RequestView v = market.request(id);
                    assertEquals(honest, v.prover());
                    BigInteger net = v.price().subtract(BigInteger.valueOf(50));
                    pay = pay.add(net.subtract(net.multiply(BigInteger.valueOf(200)).divide(BigInteger.valueOf(10_000))));
                }
                assertEquals(earnedBefore.add(pay), market.balanceOf(honest), "paid each request's locked price less royalty and protocol fee");
                assertEquals(7, market.prover(honest).served());
                assertEquals(3, market.slashes().size(), "no slash of the honest batches");
                MarketChainProcessesTest.conserved(market, token, everyone, supply);
                assertEquals(143, prover.terminate(), prover::stderr);
                String err = prover.stderr();
                assertTrue(err.contains("prover: SubmitBatchResult of "), err);
                assertTrue(err.contains("uploaded in "), err);
            }
            web3j.shutdown();
        }
    }

    /** One ZK request by each client, sent at once (so they land in one block); their ids, increasing. */
    private static List<Long> requests(List<EthMarket> clients, byte[] modelId, byte[] input) throws Exception {
        ConcurrentLinkedQueue<Long> ids = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (EthMarket c : clients) {
            threads.add(Thread.ofPlatform().start(() -> ids.add(c.requestId(c.submitRequest(modelId, input, MAX_FEE,
                    System.currentTimeMillis() / 1000 + 3_600, new EthMarket.Terms.Zk())))));
        }
        for (Thread t : threads) t.join();
        assertEquals(clients.size(), ids.size());
        return ids.stream().sorted().toList();
    }
}
