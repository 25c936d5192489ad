package dev.verinfer.node;

import dev.verinfer.client.RemoteAgent;
import dev.verinfer.eth.AnvilNode;
import dev.verinfer.eth.Artifact;
import dev.verinfer.eth.ChainAccount;
import dev.verinfer.eth.Erc20;
import dev.verinfer.eth.EthKeys;
import dev.verinfer.eth.EthMarket;
import dev.verinfer.eth.Receipt;
import dev.verinfer.market.Watcher;
import dev.verinfer.market.ZkmlInference;
import dev.verinfer.model.RealModels;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.VerificationResult;
import dev.verinfer.zkml.Verifier;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo's settlement on Ethereum ({@code demo --chain}): on an anvil node it starts (and stops),
 * the deployer deploys a test ERC-20 token and the market contract, the owner lists the model, a
 * prover stakes, a client posts an OPTIMISTIC request with the fee in escrow, the prover locks it
 * and posts the model's output, proves it bound to the contract's proof context (checked here by
 * the Java verifier), a watcher re-runs the model and finds nothing to challenge, and after the
 * window the result settles and pays. Every transaction's gas is printed.
 *
 * <p>OPTIMISTIC because no verifier of verinfer proofs is deployed on chain yet: the model is
 * listed with {@code NoProofVerifier}, so a ZK result could not settle. Once a Solidity verifier
 * exists, the owner lists the model with it and the same flow runs in ZK mode.
 */
final class DemoChain {
    private static final Artifact NO_PROOF_VERIFIER = Artifact.load(DemoChain.class, "NoProofVerifier");
    private static final BigInteger MAX_FEE = BigInteger.valueOf(2_000);
    private static final long WINDOW_SECONDS = 30;

    /** One transaction of the demo and its gas. */
    record Gas(String step, long gas) {
    }

    /** What the chain paid, and the gas of every step. */
    record Result(long requestId, String market, BigInteger toProver, BigInteger royalty, List<Gas> gas, boolean proofValid) {
        String describe() {
            return String.format("request #%d settled on anvil by market %s: %s to the prover, royalty %s; %,d gas in %d transactions",
                    requestId, market, toProver, royalty, gas.stream().mapToLong(Gas::gas).sum(), gas.size());
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

    static Result settle(ProvingKey pk, byte[] input, Console console) {
        try (AnvilNode anvil = AnvilNode.start(AnvilNode.binary(RealModels.repoRoot()))) {
            return new DemoChain(console).run(anvil, pk, input);
        } catch (IOException e) {
            throw new CliException(ExitCodes.INTERNAL, "cannot start anvil: " + e.getMessage(), e);
        }
    }

    private Result run(AnvilNode anvil, ProvingKey pk, byte[] input) throws IOException {
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
            String verifier = step("deploy verifier", deployer.deploy(NO_PROOF_VERIFIER.bytecode(), d -> NO_PROOF_VERIFIER.describeRevert(d, Map.of())))
                    .contractAddress();
            for (ChainAccount a : List.of(client, prover, watcher)) {
                BigInteger amount = BigInteger.valueOf(1_000_000);
                token.transfer(a.address(), amount);
                step("approve", token.as(a).approve(market.address(), amount));
                step("deposit", market.as(a).deposit(amount));
            }
            byte[] vkHash = pk.verifyingKey().modelId();
            step("register model", market.as(owner).registerModel(vkHash, verifier, BigInteger.valueOf(50)));
            byte[] modelId = market.modelIdOf(owner.address(), vkHash);
            step("stake", market.as(prover).registerProver(BigInteger.valueOf(100_000)));
            long now = web3j.ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false).send().getBlock().getTimestamp().longValueExact();
            Receipt submitted = step("request", market.as(client).submitRequest(modelId, input, MAX_FEE, now + 600, new EthMarket.Terms.Optimistic(WINDOW_SECONDS)));
            long id = market.requestId(submitted);
            step("lock", market.as(prover).lock(id));
            ZkmlInference zkml = new ZkmlInference(List.of(pk));
            String model = pk.verifyingKey().modelIdHex();
            byte[] output = zkml.output(model, input);
            step("post result", market.as(prover).submitResult(id, output));

            long t0 = System.nanoTime();
            byte[] context = market.proofContext(id, prover.address());
            byte[] proof = zkml.prove(model, input, context);
            VerificationResult checked = Verifier.verify(pk.verifyingKey(), proof, context);
            console.line("%-16s %7.2f s  real proof of request #%d bound to the contract's context %s...: %s in Java (on chain once the model's verifier checks verinfer proofs)",
                    "prove", (System.nanoTime() - t0) / 1e9, id, Numeric.toHexString(context).substring(0, 18), checked.valid() ? "VALID" : "INVALID: " + checked.reason());

            ChainAgentBackend watching = new ChainAgentBackend(new ChainMarket(anvil.url(), market.as(watcher), token.as(watcher)));
            new Watcher(watching.account(), zkml, Set.of(model)).onRequests(watching.live(Set.of(model), r -> true));
            List<String> challenges = new ArrayList<>();
            watching.flush(RemoteAgent.Log.lines(challenges::add));
            console.line("%-16s watcher %s re-ran the model on the posted result: %s", "watch", watcher.address(),
                    challenges.isEmpty() ? "same output, no challenge" : String.join("; ", challenges));

            raw(rpc, "evm_increaseTime", List.of(WINDOW_SECONDS));
            raw(rpc, "evm_mine", List.of());
            BigInteger proverBefore = market.balanceOf(prover.address()), ownerBefore = market.balanceOf(owner.address());
            step("settle", market.as(watcher).advance(id));
            BigInteger toProver = market.balanceOf(prover.address()).subtract(proverBefore);
            BigInteger royalty = market.balanceOf(owner.address()).subtract(ownerBefore);
            console.line("%-16s request #%d %s: %s to the prover, %s royalty to the owner, the rest of %s back to the client", "paid", id,
                    market.request(id).status(), toProver, royalty, MAX_FEE);
            return new Result(id, market.address(), toProver, royalty, List.copyOf(gas), checked.valid());
        } finally {
            web3j.shutdown();
        }
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
