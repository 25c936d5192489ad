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
import dev.verinfer.market.Watcher;
import dev.verinfer.market.ZkmlInference;
import dev.verinfer.model.RealModels;
import dev.verinfer.zkml.ProvingKey;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The demo's settlement on Ethereum ({@code demo --chain}): on an anvil node it starts (and stops),
 * the deployer deploys a test ERC-20 token, the market contract and the verifier session (its four
 * stage contracts and ZkmlVerifierSession), the owner registers the model's key with the session and
 * lists the model with the session as its verifier, a prover stakes, and two requests settle:
 * <ol>
 *   <li>a ZK request: the prover locks it, proves the inference bound to the contract's proof context
 *       and posts output and proof in one transaction, in which the market's call has the session verify
 *       the proof on chain before it pays;</li>
 *   <li>an OPTIMISTIC request: the prover posts the output alone, a watcher re-runs the model and finds
 *       nothing to challenge, and after the window the result settles and pays.</li>
 * </ol>
 * Every transaction's gas is printed.
 */
final class DemoChain {
    private static final BigInteger MAX_FEE = BigInteger.valueOf(2_000);
    private static final long WINDOW_SECONDS = 30;

    /** One transaction of the demo and its gas. */
    record Gas(String step, long gas) {
    }

    /** What the chain paid, and the gas of every step. */
    record Result(String market, List<Paid> paid, List<Gas> gas) {
        String describe() {
            return String.format("%s settled on anvil by market %s; %,d gas in %d transactions",
                    String.join(", ", paid.stream().map(Paid::describe).toList()), market, gas.stream().mapToLong(Gas::gas).sum(), gas.size());
        }
    }

    /** A settled request: what its prover and the model's owner were paid. */
    record Paid(long requestId, String mode, BigInteger toProver, BigInteger royalty) {
        String describe() {
            return String.format("%s request #%d (%s to the prover, royalty %s)", mode, requestId, toProver, royalty);
        }
    }

    /** A JSON-RPC response whose result is kept as parsed JSON. */
    public static final class Raw extends Response<Object> {
    }

    private final Console console;
    private final List<Gas> gas = new ArrayList<>();

    private DemoChain(Console console) {
        this.console = console;
    }

    static Result settle(ProvingKey pk, Path modelDir, byte[] input, Console console) {
        try (AnvilNode anvil = AnvilNode.start(AnvilNode.binary(RealModels.repoRoot()))) {
            return new DemoChain(console).run(anvil, pk, modelDir, input);
        } catch (IOException e) {
            throw new CliException(ExitCodes.INTERNAL, "cannot start anvil: " + e.getMessage(), e);
        }
    }

    private Result run(AnvilNode anvil, ProvingKey pk, Path modelDir, byte[] input) throws IOException {
        HttpService rpc = new HttpService(anvil.url());
        Web3j web3j = Web3j.build(rpc);
        try {
            console.line("%20sanvil on %s (chain id 31337), a block per transaction", "", anvil.url());
            ChainAccount deployer = funded(web3j, rpc), owner = funded(web3j, rpc), client = funded(web3j, rpc), prover = funded(web3j, rpc),
                    watcher = funded(web3j, rpc);
            Erc20 token = new Erc20(deployer, step("deploy token", Erc20.deploySimpleToken(deployer, "verinfer demo token", "VDT",
                    BigInteger.TEN.pow(24), deployer.address())).contractAddress());
            EthMarket market = new EthMarket(deployer, step("deploy market", EthMarket.deploy(deployer, token.address(), deployer.address(),
                    EthMarket.Params.defaults())).contractAddress());
            List<String> stages = new ArrayList<>();
            for (String stage : VerifierSession.STAGES) {
                stages.add(step("deploy stage " + (stages.size() + 1), deployer.deploy(Artifact.load(VerifierSession.class, stage).bytecode(), VerifierSession::describe))
                        .contractAddress());
            }
            console.line("%-16s the verifier's stage contracts: %s", "", String.join(", ", VerifierSession.STAGES));
            VerifierSession session = new VerifierSession(deployer, step("deploy session", VerifierSession.deploy(deployer, stages)).contractAddress());
            for (ChainAccount a : List.of(client, prover, watcher)) {
                BigInteger amount = BigInteger.valueOf(1_000_000);
                token.transfer(a.address(), amount);
                step("approve", token.as(a).approve(market.address(), amount));
                step("deposit", market.as(a).deposit(amount));
            }
            // Anyone may register a key (its vkHash is the hash of its parts); the owner lists the model under it.
            VerifierSession.KeyParts key = SessionKeys.compile(pk.verifyingKey(), modelDir);
            step("register key", session.as(owner).registerKey(key).receipt());
            step("register model", market.as(owner).registerModel(key.vkHash(), session.address(), BigInteger.valueOf(50)));
            byte[] modelId = market.modelIdOf(owner.address(), key.vkHash());
            step("stake", market.as(prover).registerProver(BigInteger.valueOf(100_000)));
            ZkmlInference zkml = new ZkmlInference(List.of(pk));
            String model = pk.verifyingKey().modelIdHex();
            byte[] output = zkml.output(model, input);
            List<Paid> paid = new ArrayList<>();

            long zk = market.requestId(step("request", market.as(client).submitRequest(modelId, input, MAX_FEE, deadline(web3j), new EthMarket.Terms.Zk())));
            step("lock", market.as(prover).lock(zk));
            long t0 = System.nanoTime();
            byte[] proof = zkml.prove(model, input, market.proofContext(zk, prover.address()));
            console.line("%-16s %7.2f s  real proof of ZK request #%d (%,d bytes) bound to the contract's proof context", "prove", (System.nanoTime() - t0) / 1e9, zk,
                    proof.length);
            byte[] parts = VerifierSession.inlineProof(session.split(key.vkHash(), proof));
            paid.add(paid(market, zk, "ZK", owner, prover, () -> {
                step("post + verify", market.as(prover).submitZkResult(zk, output, input, parts));
                console.line("%-16s in that transaction the market's call had the session verify the proof on chain, then paid", "");
            }));

            long optimistic = market.requestId(step("request", market.as(client).submitRequest(modelId, input, MAX_FEE, deadline(web3j),
                    new EthMarket.Terms.Optimistic(WINDOW_SECONDS))));
            step("lock", market.as(prover).lock(optimistic));
            step("post result", market.as(prover).submitResult(optimistic, output));
            ChainAgentBackend watching = new ChainAgentBackend(new ChainMarket(anvil.url(), market.as(watcher), token.as(watcher)));
            new Watcher(watching.account(), zkml, Set.of(model)).onRequests(watching.live(Set.of(model), r -> true));
            List<String> challenges = new ArrayList<>();
            watching.flush(RemoteAgent.Log.lines(challenges::add));
            console.line("%-16s watcher %s re-ran the model on OPTIMISTIC request #%d's result: %s", "watch", watcher.address(), optimistic,
                    challenges.isEmpty() ? "same output, no challenge" : String.join("; ", challenges));
            raw(rpc, "evm_increaseTime", List.of(WINDOW_SECONDS));
            raw(rpc, "evm_mine", List.of());
            paid.add(paid(market, optimistic, "OPTIMISTIC", owner, prover, () -> step("settle", market.as(watcher).advance(optimistic))));
            return new Result(market.address(), List.copyOf(paid), List.copyOf(gas));
        } finally {
            web3j.shutdown();
        }
    }

    /** Runs {@code settling} and prints what request {@code id} paid its prover and the model's owner. */
    private Paid paid(EthMarket market, long id, String mode, ChainAccount owner, ChainAccount prover, Runnable settling) {
        BigInteger proverBefore = market.balanceOf(prover.address()), ownerBefore = market.balanceOf(owner.address());
        settling.run();
        Paid p = new Paid(id, mode, market.balanceOf(prover.address()).subtract(proverBefore), market.balanceOf(owner.address()).subtract(ownerBefore));
        console.line("%-16s %s request #%d %s: %s to the prover, %s royalty to the owner, the rest of %s back to the client", "paid", mode, id,
                market.request(id).status(), p.toProver(), p.royalty(), MAX_FEE);
        return p;
    }

    /** Ten minutes after the latest block. */
    private static long deadline(Web3j web3j) throws IOException {
        return web3j.ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false).send().getBlock().getTimestamp().longValueExact() + 600;
    }

    private Receipt step(String name, Receipt r) {
        gas.add(new Gas(name, r.gasUsed()));
        console.line("%-16s %,10d gas  block %d", name, r.gasUsed(), r.block());
        return r;
    }

    /** A fresh account with 100 ETH for gas. */
    private static ChainAccount funded(Web3j web3j, HttpService rpc) throws IOException {
        Credentials c = EthKeys.generate(new SecureRandom());
        raw(rpc, "anvil_setBalance", List.of(c.getAddress(), Numeric.toHexStringWithPrefix(BigInteger.TEN.pow(20))));
        return new ChainAccount(web3j, c);
    }

    private static void raw(HttpService rpc, String method, List<?> params) throws IOException {
        Response<?> r = new Request<>(method, params, rpc, Raw.class).send();
        if (r.hasError()) {
            throw new CliException(ExitCodes.INTERNAL, "anvil refused " + method + ": " + r.getError().getMessage());
        }
    }
}
