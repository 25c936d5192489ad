package dev.verinfer.eth;

import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.crypto.Hash;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test fixture: one deployment of the market on a {@link Chain} with its parties — the deployer (who
 * also runs the test verifier), the treasury, a model owner, a client, two provers and a watcher —
 * each holding tokens deposited in the market, and one model whose proofs the
 * {@code TestOnlyVerdictVerifier} judges as the test says.
 */
final class World {
    static final Artifact TEST_VERIFIER = Artifact.load(World.class, "TestOnlyVerdictVerifier");
    static final BigInteger DEPOSIT = BigInteger.valueOf(1_000_000);
    static final BigInteger STAKE = BigInteger.valueOf(100_000);
    static final BigInteger ROYALTY = BigInteger.valueOf(1_000);
    static final byte[] VK_HASH = Hash.sha3("a verifying key".getBytes(StandardCharsets.UTF_8));

    final Chain chain;
    final GasLog gas;
    final ChainAccount deployer;
    final ChainAccount treasury;
    final ChainAccount owner;
    final ChainAccount client;
    final ChainAccount prover;
    final ChainAccount prover2;
    final ChainAccount watcher;
    final Erc20 token;
    final EthMarket market;
    final String verifier;
    final byte[] modelId;
    final EthMarket.Params params;

    World(Chain chain, GasLog gas) {
        this(chain, gas, VK_HASH, null, EthMarket.Params.defaults());
    }

    /**
     * The world with its one model registered under {@code vkHash} with {@code modelVerifier} as its
     * verifier, or (null) with the test verifier deployed here under {@link #VK_HASH}; the market under {@code params}.
     */
    World(Chain chain, GasLog gas, byte[] vkHash, String modelVerifier, EthMarket.Params params) {
        this.chain = chain;
        this.gas = gas;
        deployer = chain.account("deployer");
        treasury = chain.account("treasury");
        owner = chain.account("owner");
        client = chain.account("client");
        prover = chain.account("prover");
        prover2 = chain.account("prover2");
        watcher = chain.account("watcher");
        this.params = params;
        token = new Erc20(deployer, gas.step("deploy SimpleToken", Erc20.deploySimpleToken(deployer, "Test", "TST", BigInteger.TEN.pow(30), deployer.address())).contractAddress());
        market = new EthMarket(deployer, gas.step("deploy VerinferMarket", EthMarket.deploy(deployer, token.address(), treasury.address(), params)).contractAddress());
        verifier = modelVerifier != null ? modelVerifier
                : gas.step("deploy TestOnlyVerdictVerifier", deployer.deploy(TEST_VERIFIER.bytecode(), d -> TEST_VERIFIER.describeRevert(d, java.util.Map.of()))).contractAddress();
        for (ChainAccount a : List.of(owner, client, prover, prover2, watcher)) {
            token.transfer(a.address(), DEPOSIT);
            gas.step("token approve", token.as(a).approve(market.address(), DEPOSIT));
            gas.step("deposit", market.as(a).deposit(DEPOSIT));
        }
        gas.step("registerModel", market.as(owner).registerModel(vkHash, verifier, ROYALTY));
        modelId = market.modelIdOf(owner.address(), vkHash);
        gas.step("registerProver", market.as(prover).registerProver(STAKE));
        market.as(prover2).registerProver(STAKE);
    }

    private final List<ChainAccount> joined = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Every account that can hold value in the market. */
    List<ChainAccount> accounts() {
        List<ChainAccount> all = new ArrayList<>(List.of(deployer, treasury, owner, client, prover, prover2, watcher));
        all.addAll(joined);
        return all;
    }

    /** Counts another account's holdings in {@link #checkConservation}. */
    ChainAccount join(ChainAccount a) {
        joined.add(a);
        return a;
    }

    EthMarket as(ChainAccount a) {
        return market.as(a);
    }

    /** A request by the client, due in an hour; returns its id. */
    long request(byte[] input, BigInteger maxFee, EthMarket.Terms terms, String step) {
        return market.requestId(gas.step(step, as(client).submitRequest(modelId, input, maxFee, chain.now() + 3_600, terms)));
    }

    /** The proof an honest prover sends for request {@code id}: declared valid for exactly its statement (which names the current lock holder). */
    byte[] honestProof(long id, byte[] input, byte[] output) {
        byte[] proof = ("proof of request " + id + " by " + market.request(id).prover()).getBytes(StandardCharsets.UTF_8);
        byte[] statement = market.statementOf(id, input, output);
        deployer.send(verifier, FunctionEncoder.encode(new Function("markValid",
                List.of(new Bytes32(VK_HASH), new DynamicBytes(statement), new DynamicBytes(proof)), List.of())), d -> d);
        return proof;
    }

    /** Declares {@code output} the model's correct output on {@code input}: every non-empty proof of it (alone or in a batch) is valid. */
    void markCorrect(byte[] input, byte[] output) {
        deployer.send(verifier, FunctionEncoder.encode(new Function("markCorrect",
                List.of(new Bytes32(VK_HASH), new DynamicBytes(input), new DynamicBytes(output)), List.of())), d -> d);
    }

    /** Declares {@code proof} valid for exactly request {@code id}'s statement with this input and output (its current lock holder). */
    void markValid(long id, byte[] input, byte[] output, byte[] proof) {
        deployer.send(verifier, FunctionEncoder.encode(new Function("markValid",
                List.of(new Bytes32(VK_HASH), new DynamicBytes(market.statementOf(id, input, output)), new DynamicBytes(proof)), List.of())), d -> d);
    }

    /** A proof the test verifier rejects (never declared valid). */
    static byte[] bogusProof() {
        return "not a proof".getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Value conservation, from chain state only: the market's token balance equals deposits minus
     * withdrawals and equals every balance, free stake, collateral, live escrow and pending bond;
     * the provers' collateral equals what their live locks hold.
     */
    void checkConservation() {
        BigInteger held = token.balanceOf(market.address());
        assertEquals(market.deposited().subtract(market.withdrawn()), held, "token balance of the market vs deposits - withdrawals");
        BigInteger sum = BigInteger.ZERO;
        BigInteger collateral = BigInteger.ZERO;
        for (ChainAccount a : accounts()) {
            EthMarket.ProverView p = market.prover(a.address());
            sum = sum.add(market.balanceOf(a.address())).add(p.stake()).add(p.collateral());
            collateral = collateral.add(p.collateral());
        }
        BigInteger locked = BigInteger.ZERO;
        java.util.Map<EthMarket.Status, Integer> live = new java.util.TreeMap<>();
        for (long id = 1; id < market.nextRequestId(); id++) {
            EthMarket.RequestView r = market.request(id);
            sum = sum.add(r.escrow()).add(r.bond());
            live.merge(r.status(), 1, Integer::sum);
            if (r.status() == EthMarket.Status.LOCKED || r.status() == EthMarket.Status.POSTED || r.status() == EthMarket.Status.PROOF_DUE) {
                locked = locked.add(r.collateral());
            }
        }
        assertEquals(held, sum, "balances + stakes + collateral + escrow + bonds vs the market's tokens (requests by status " + live + ")");
        assertEquals(locked, collateral, "collateral held by provers vs collateral of live locks");
    }
}
