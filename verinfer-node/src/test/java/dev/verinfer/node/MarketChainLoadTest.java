package dev.verinfer.node;

import dev.verinfer.client.RemoteAgent;
import dev.verinfer.eth.AnvilNode;
import dev.verinfer.eth.Artifact;
import dev.verinfer.eth.ChainAccount;
import dev.verinfer.eth.Erc20;
import dev.verinfer.eth.EthKeys;
import dev.verinfer.eth.EthMarket;
import dev.verinfer.eth.Receipt;
import dev.verinfer.eth.VerifierSession;
import dev.verinfer.market.BatchingProver;
import dev.verinfer.market.ZkmlInference;
import dev.verinfer.zkml.EvmKeyCompiler;
import dev.verinfer.zkml.ProvingKey;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Load on anvil (a block per transaction, and one a second besides so that the clock moves):
 * CLIENTS client threads post REQUESTS requests between them (alternately ZK and OPTIMISTIC with a
 * 1 s window; each client keeps WINDOW requests unsettled at most, 1 by default), PROVERS prover agents and a
 * watcher (each through its own {@link ChainAgentBackend}, the automata of the prover and watcher
 * processes: batching provers unless {@code -Dverinfer.chainload.batching=false}) serve them with
 * real alexa_v0.1 inference and proofs; every request must settle and
 * value be conserved. Prints the throughput (requests settled per second) and the gas per settled
 * request (all gas of the run's blocks over the settled requests). Runs only with
 * {@code -Dverinfer.chainload.requests=N} ({@code scripts/market-load --chain}).
 *
 * <p>The model's verifier: with {@code -Dverinfer.chainload.verifier=session} (the default) the verinfer verifier
 * session, every ZK proof verified on chain inside the market's call — alexa_v0.1 compiled plain in the conjectured-evm
 * setting, its key registered with a session and listed under the session's vkHash, each request proven alone (the session
 * verifies no batch proofs); with {@code verdict} a test-only contract that returns verdicts recorded beforehand for the
 * workspace's alexa key (no verification cost on chain: what the market's own rules cost, and room for batch proofs).
 */
class MarketChainLoadTest {
    private static final Artifact VERIFIER = Artifact.load(MarketChainLoadTest.class, "TestOnlyVerdictVerifier");

    @TempDir
    Path dir;

    /** A JSON-RPC response whose result is kept as parsed JSON. */
    public static final class Raw extends Response<Object> {
    }

    private static void rpc(HttpService s, String method, List<?> params) {
        try {
            Response<?> r = new Request<>(method, params, s, Raw.class).send();
            if (r.hasError()) throw new IllegalStateException(method + ": " + r.getError().getMessage());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(method + ": " + e.getMessage(), e);
        }
    }

    @Test
    void requestsByManyClientsAndProversAllSettleOnAnvil() throws Exception {
        int requests = Integer.getInteger("verinfer.chainload.requests", 0);
        Assumptions.assumeTrue(requests > 0, "the chain load test runs with -Dverinfer.chainload.requests=N (scripts/market-load --chain)");
        int clients = Integer.getInteger("verinfer.chainload.clients", 4), provers = Integer.getInteger("verinfer.chainload.provers", 3);
        int window = Integer.getInteger("verinfer.chainload.window", 1);
        boolean batching = Boolean.parseBoolean(System.getProperty("verinfer.chainload.batching", "true"));
        boolean onChain = switch (System.getProperty("verinfer.chainload.verifier", "session")) {
            case "session" -> true;
            case "verdict" -> false;
            default -> throw new IllegalArgumentException("verinfer.chainload.verifier is session or verdict");
        };
        MarketFixture f = new MarketFixture(dir);
        ProvingKey key = onChain ? sessionKey(f) : f.alexa;
        byte[] input = f.inputFor(key);
        try (AnvilNode anvil = AnvilNode.start(AnvilNode.binary(Path.of(System.getProperty("verinfer.repo.root", "../"))))) {
            HttpService s = new HttpService(anvil.url());
            Web3j web3j = Web3j.build(s);
            SecureRandom random = new SecureRandom();
            List<Credentials> buyers = new ArrayList<>(), servers = new ArrayList<>();
            Credentials deployerKey = EthKeys.generate(random);
            for (int i = 0; i < clients; i++) buyers.add(EthKeys.generate(random));
            for (int i = 0; i <= provers; i++) servers.add(EthKeys.generate(random));
            List<Credentials> all = new ArrayList<>(List.of(deployerKey));
            all.addAll(buyers);
            all.addAll(servers);
            for (Credentials c : all) rpc(s, "anvil_setBalance", List.of(c.getAddress(), "0x56bc75e2d63100000"));
            ChainAccount deployer = new ChainAccount(web3j, deployerKey);
            Erc20 token = new Erc20(deployer, Erc20.deploySimpleToken(deployer, "load", "LD", BigInteger.TEN.pow(24), deployer.address()).contractAddress());
            EthMarket market = new EthMarket(deployer, EthMarket.deploy(deployer, token.address(), deployer.address(), EthMarket.Params.defaults()).contractAddress());
            byte[] vkHash;
            String verifier;
            if (onChain) {
                VerifierSession session = new VerifierSession(deployer, VerifierSession.deploy(deployer, VerifierSession.deployStages(deployer)).contractAddress());
                VerifierSession.KeyParts parts = EvmKeyCompiler.compile(key.verifyingKey());
                session.registerKey(parts);
                vkHash = parts.vkHash();
                verifier = session.address();
            } else {
                vkHash = key.verifyingKey().modelId();
                verifier = deployer.deploy(VERIFIER.bytecode(), r -> VERIFIER.describeRevert(r, Map.of())).contractAddress();
                deployer.send(verifier, FunctionEncoder.encode(new Function("markCorrect", List.of(new Bytes32(vkHash), new DynamicBytes(input),
                        new DynamicBytes(new ZkmlInference(List.of(key)).output(key.verifyingKey().modelIdHex(), input))), List.of())), r -> r);
            }
            market.registerModel(vkHash, verifier, BigInteger.valueOf(5));
            byte[] modelId = market.modelIdOf(deployer.address(), vkHash);
            BigInteger funds = BigInteger.valueOf(100_000_000);
            for (Credentials c : all.subList(1, all.size())) {
                ChainAccount a = new ChainAccount(web3j, c);
                token.transfer(a.address(), funds);
                token.as(a).approve(market.address(), funds);
                market.as(a).deposit(funds);
            }
            for (int i = 0; i < provers; i++) market.as(new ChainAccount(web3j, servers.get(i))).registerProver(BigInteger.valueOf(50_000_000));
            BigInteger supply = token.balanceOf(deployer.address()).add(funds.multiply(BigInteger.valueOf(all.size() - 1)));

            SessionInference zkml = new SessionInference(List.of(key), onChain);
            Set<String> served = zkml.served();
            ConcurrentLinkedQueue<String> notes = new ConcurrentLinkedQueue<>();
            RemoteAgent.Log log = RemoteAgent.Log.lines(line -> {
                if (!line.contains(" accepted at block") && !line.startsWith("advance #")) notes.add(line);
            });
            List<RemoteAgent> agents = new ArrayList<>();
            for (int i = 0; i < provers; i++) {
                agents.add(batching ? RemoteAgent.batchingProver(backend(anvil, market, servers.get(i)), zkml, served, 5_000, BatchingProver.Policy.DERIVED, null, log)
                        : RemoteAgent.prover(backend(anvil, market, servers.get(i)), zkml, served, 5_000, log));
            }
            agents.add(RemoteAgent.watcher(backend(anvil, market, servers.get(provers)), zkml, served, log));
            long firstBlock = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>(agents.stream().map(a -> Thread.ofPlatform().start(a)).toList());
            Thread ticker = Thread.ofPlatform().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    rpc(s, "evm_mine", List.of());
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            ConcurrentLinkedQueue<Long> ids = new ConcurrentLinkedQueue<>();
            List<Thread> posting = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                EthMarket as = market.as(new ChainAccount(web3j, buyers.get(c)));
                posting.add(Thread.ofPlatform().start(() -> {
                    List<Long> unsettled = new ArrayList<>();
                    for (int i = client; i < requests; i += clients) {
                        long now = System.currentTimeMillis() / 1000;
                        EthMarket.Terms terms = i % 2 == 0 ? new EthMarket.Terms.Zk() : new EthMarket.Terms.Optimistic(1);
                        Receipt r = as.submitRequest(modelId, input, BigInteger.valueOf(2_000), now + 3_600, terms);
                        long id = as.requestId(r);
                        ids.add(id);
                        unsettled.add(id);
                        try {
                            MarketFixture.await("one of " + unsettled + " to settle", 600_000, () -> {
                                unsettled.removeIf(u -> as.request(u).status() == EthMarket.Status.SETTLED);
                                return unsettled.size() < window;
                            });
                        } catch (InterruptedException | AssertionError e) {
                            ids.removeAll(unsettled);
                            return;
                        }
                    }
                }));
            }
            for (Thread t : posting) t.join();
            assertEquals(requests, ids.size(), () -> "a client gave up waiting; slashes " + market.slashes() + "; notes " + notes);
            MarketFixture.await("every request to settle", 1_800_000, () -> ids.stream().allMatch(id -> market.request(id).status() == EthMarket.Status.SETTLED));
            double seconds = (System.nanoTime() - start) / 1e9;
            agents.forEach(RemoteAgent::stop);
            for (Thread t : threads) t.join();
            ticker.interrupt();
            ticker.join();
            long lastBlock = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
            long gas = 0, proofGas = 0, proofBytes = 0;
            int transactions = 0, proofs = 0;
            for (long b = firstBlock + 1; b <= lastBlock; b++) {
                var block = web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(b)), true).send().getBlock();
                gas += block.getGasUsed().longValueExact();
                for (var t : block.getTransactions()) {
                    transactions++;
                    var tx = (org.web3j.protocol.core.methods.response.Transaction) t.get();
                    long bytes = (tx.getInput().length() - 2) / 2;
                    if (bytes > 16_384) { // a result or an answer carrying a proof
                        proofs++;
                        proofBytes += bytes;
                        proofGas += web3j.ethGetTransactionReceipt(tx.getHash()).send().getTransactionReceipt().orElseThrow().getGasUsed().longValueExact();
                    }
                }
            }
            assertEquals(requests, ids.size());
            MarketChainProcessesTest.conserved(market, token, all.stream().map(Credentials::getAddress).toList(), supply);
            System.out.printf("market load on chain: %d requests (half ZK with real alexa_v0.1 proofs %s, half OPTIMISTIC) by %d clients (window %d), %d %s provers and a watcher:"
                            + " all settled in %.1f s (%.1f requests/s); %d transactions in %d blocks, %,d gas per settled request; %d transactions carried a proof"
                            + " (%,d bytes of calldata, %,d gas each), the rest %,d gas per request; %d slashes; notes %s%n",
                    requests, onChain ? "verified on chain by the verifier session (conjectured-evm)" : "judged by a test-only verdict contract", clients, window, provers, batching ? "batching" : "single-proof", seconds, requests / seconds, transactions, lastBlock - firstBlock, gas / requests, proofs,
                    proofs == 0 ? 0 : proofBytes / proofs, proofs == 0 ? 0 : proofGas / proofs, (gas - proofGas) / requests, market.slashes().size(),
                    notes.stream().map(n -> n.replaceAll("#\\d+", "#N").replaceAll("block \\d+", "block N")).distinct().limit(5).toList());
            // A slash names its request: what the agents noted about it (their failed sends, refusals) says why it was late.
            assertEquals(List.of(), market.slashes(), () -> "notes on the slashed requests: " + market.slashes().stream()
                    .flatMap(x -> notes.stream().filter(n -> n.contains("#" + x.requestId() + " ") || n.contains("#" + x.requestId() + ")"))).toList());
            web3j.shutdown();
        }
    }

    /** alexa_v0.1 compiled by the CLI as the verifier session takes it: plain, conjectured-evm (the least gas to verify). */
    private ProvingKey sessionKey(MarketFixture f) throws Exception {
        Path model = dir.resolve("alexa-conjectured-evm");
        Cli compiled = Cli.run("compile", f.w.alexaOnnx, "--calibration", f.w.calibration, "-o", model, "--pcs-security", "conjectured-evm", "--no-zk");
        assertEquals(0, compiled.exitCode(), compiled::toString);
        return ProvingKey.fromBytes(Files.readAllBytes(model.resolve(ModelDir.PROVING_KEY)));
    }

    private static ChainAgentBackend backend(AnvilNode anvil, EthMarket market, Credentials key) {
        ChainAccount a = new ChainAccount(Web3j.build(new HttpService(anvil.url())), key);
        EthMarket m = market.as(a);
        return new ChainAgentBackend(new ChainMarket(anvil.url(), m, new Erc20(a, m.token())));
    }
}
