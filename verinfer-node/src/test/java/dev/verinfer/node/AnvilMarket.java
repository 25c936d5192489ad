package dev.verinfer.node;

import dev.verinfer.eth.AnvilNode;
import dev.verinfer.eth.ChainAccount;
import dev.verinfer.eth.Erc20;
import dev.verinfer.eth.EthKeys;
import dev.verinfer.eth.EthMarket;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the chain process tests set up with commands: per party an Ethereum key file ('market chain
 * keygen', funded with ETH by anvil), the market deployed by the first party ('market deploy', a
 * deployment file), and the contract's view as that party: its token and supply, the parties' addresses.
 */
record AnvilMarket(HttpService rpc, Web3j web3j, Map<String, Path> keys, Path deployment, EthMarket market, Erc20 token, BigInteger supply,
                   List<String> everyone) {
    /** A JSON-RPC response whose result is kept as parsed JSON. */
    public static final class Raw extends Response<Object> {
    }

    static AnvilMarket deploy(AnvilNode anvil, Path dir, List<String> parties) throws Exception {
        HttpService rpc = new HttpService(anvil.url());
        Web3j web3j = Web3j.build(rpc);
        Map<String, Path> keys = new LinkedHashMap<>();
        List<String> everyone = new ArrayList<>();
        for (String name : parties) {
            Path file = dir.resolve(name + ".eth.key");
            assertEquals(0, Cli.run("market", "chain", "keygen", "-o", file).exitCode());
            call(rpc, "anvil_setBalance", List.of(EthKeys.read(file).getAddress(), "0x56bc75e2d63100000"));
            keys.put(name, file);
            everyone.add(EthKeys.read(file).getAddress());
        }
        Path deployment = dir.resolve("deployment.json");
        Cli deploy = Cli.run("market", "deploy", "--chain", anvil.url(), "--key", keys.get(parties.getFirst()), "-o", deployment);
        assertEquals(0, deploy.exitCode(), deploy::toString);
        ChainAccount deployer = new ChainAccount(web3j, EthKeys.read(keys.get(parties.getFirst())));
        EthMarket market = new EthMarket(deployer, Json.MAPPER.readTree(Files.readAllBytes(deployment)).path("market").asText());
        Erc20 token = new Erc20(deployer, market.token());
        return new AnvilMarket(rpc, web3j, keys, deployment, market, token, token.balanceOf(deployer.address()), List.copyOf(everyone));
    }

    /** The deployment file's path, as the commands take it. */
    String d() {
        return deployment.toString();
    }

    /** An anvil JSON-RPC call (evm_setIntervalMining, evm_increaseTime, ...); an error response throws. */
    void rpc(String method, List<?> params) throws Exception {
        call(rpc, method, params);
    }

    private static void call(HttpService s, String method, List<?> params) throws Exception {
        Response<?> r = new Request<>(method, params, s, Raw.class).send();
        if (r.hasError()) throw new IllegalStateException(method + ": " + r.getError().getMessage());
    }

    /** Value conservation from chain state, among the parties (MarketChainProcessesTest.conserved). */
    void conserved() {
        MarketChainProcessesTest.conserved(market, token, everyone, supply);
    }
}
