package dev.verinfer.eth;

import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Test fixture: a fresh anvil node on a free loopback port, its accounts, and its clock. */
final class Chain implements AutoCloseable {
    private final AnvilNode node;
    final Web3j web3j;
    private final HttpService service;

    Chain() throws IOException {
        this(0);
    }

    /** A node whose blocks (and calls) hold {@code gasLimit} gas, anvil's default when 0. */
    Chain(long gasLimit) throws IOException {
        this(gasLimit, false);
    }

    /** The same, with {@code txGasCap} refusing a transaction whose gas limit is over EIP-7825's 2^24. */
    Chain(long gasLimit, boolean txGasCap) throws IOException {
        node = AnvilNode.start(AnvilNode.binary(Path.of(System.getProperty("verinfer.repo.root", "../"))), 0, gasLimit, txGasCap);
        service = new HttpService(node.url());
        web3j = Web3j.build(service);
    }

    /** The deterministic key of the test account named {@code name}. */
    static Credentials credentials(String name) {
        return Credentials.create(ECKeyPair.create(new BigInteger(1, Hash.sha3(("verinfer-eth-test-" + name).getBytes(StandardCharsets.UTF_8)))));
    }

    /** A deterministic account named {@code name}, funded with 100 ETH for gas. */
    ChainAccount account(String name) {
        Credentials c = credentials(name);
        rpc("anvil_setBalance", List.of(c.getAddress(), Numeric.toHexStringWithPrefix(BigInteger.TEN.pow(20))));
        return new ChainAccount(web3j, c);
    }

    /** Moves the chain's clock forward and mines a block at the new time. */
    void advanceTime(long seconds) {
        rpc("evm_increaseTime", List.of(seconds));
        mine();
    }

    void mine() {
        rpc("evm_mine", List.of());
    }

    long now() {
        return latestBlock().getTimestamp().longValueExact();
    }

    org.web3j.protocol.core.methods.response.EthBlock.Block latestBlock() {
        return ChainAccount.rpc(() -> web3j.ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false).send(), "eth_getBlockByNumber").getBlock();
    }

    byte[] blockHash(long number) {
        return Numeric.hexStringToByteArray(ChainAccount.rpc(() -> web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false).send(),
                "eth_getBlockByNumber").getBlock().getHash());
    }

    /** An anvil or Ethereum JSON-RPC method without a typed web3j binding. */
    Object rpc(String method, List<?> params) {
        try {
            Response<?> r = new Request<>(method, params, service, RawResponse.class).send();
            if (r.hasError()) {
                throw new IllegalStateException(method + ": " + r.getError().getMessage());
            }
            return r.getResult();
        } catch (IOException e) {
            throw new IllegalStateException(method + ": " + e.getMessage(), e);
        }
    }

    /** A JSON-RPC response whose result is kept as parsed JSON. */
    public static final class RawResponse extends Response<Object> {
    }

    @Override
    public void close() {
        web3j.shutdown();
        node.close();
    }
}
