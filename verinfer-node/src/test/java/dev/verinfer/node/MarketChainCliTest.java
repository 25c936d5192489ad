package dev.verinfer.node;

import dev.verinfer.eth.AnvilNode;
import dev.verinfer.eth.EthKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The market's commands against a local anvil node: deploy, deposit, register a prover and a model,
 * an OPTIMISTIC request (the client commands with --deployment) locked, answered and settled after
 * its window by hand ('market chain VERB'), a cancel, and a refusal as one error line. No proof is checked here (no verifier of verinfer proofs exists on
 * chain yet; the scenario tests of verinfer-eth cover the proof paths).
 */
class MarketChainCliTest {
    @TempDir
    Path dir;

    /** A JSON-RPC response whose result is kept as parsed JSON. */
    public static final class Raw extends Response<Object> {
    }

    private static void rpc(HttpService s, String method, List<?> params) throws Exception {
        Response<?> r = new Request<>(method, params, s, Raw.class).send();
        if (r.hasError()) {
            throw new IllegalStateException(method + ": " + r.getError().getMessage());
        }
    }

    private Path key(String name, HttpService s) throws Exception {
        Path file = dir.resolve(name + ".key");
        Cli k = Cli.run("market", "chain", "keygen", "-o", file);
        assertEquals(0, k.exitCode(), k.toString());
        rpc(s, "anvil_setBalance", List.of(EthKeys.read(file).getAddress(), "0x56bc75e2d63100000"));
        return file;
    }

    @Test
    void deployRequestLockResultSettleAndCancelFromTheCommandLine() throws Exception {
        try (AnvilNode anvil = AnvilNode.start(AnvilNode.binary(Path.of(System.getProperty("verinfer.repo.root", "../"))))) {
            HttpService s = new HttpService(anvil.url());
            Path deployer = key("deployer", s);
            Path prover = key("prover", s);
            Path deployment = dir.resolve("deployment.json");
            Cli deploy = Cli.run("market", "deploy", "--chain", anvil.url(), "--key", deployer, "-o", deployment);
            assertEquals(0, deploy.exitCode(), deploy.toString());
            assertTrue(deploy.out().contains("market     0x"), deploy.out());

            String proverAddress = EthKeys.read(prover).getAddress();
            String token = Json.MAPPER.readTree(Files.readAllBytes(deployment)).path("token").asText();
            // The deployer holds the whole supply of the deployed test token: it pays the prover's tokens.
            new dev.verinfer.eth.Erc20(new dev.verinfer.eth.ChainAccount(org.web3j.protocol.Web3j.build(s), EthKeys.read(deployer)), token)
                    .transfer(proverAddress, BigInteger.valueOf(1_000_000));
            String[] on = {"--deployment", deployment.toString()};
            Workspace w = Workspace.get();
            assertEquals(0, run("market", "deposit", on, "--key", deployer, "--amount", 1_000_000).exitCode());
            assertEquals(0, run("market", "deposit", on, "--key", prover, "--amount", 1_000_000).exitCode());
            assertEquals(0, run("market", "register-prover", on, "--key", prover, "--stake", 100_000).exitCode());
            // Amounts are uint256 end to end: 10^20 units (above a Java long) deposited; a negative or oversized amount is a one-line error.
            BigInteger big = BigInteger.TEN.pow(20);
            assertEquals(0, run("market", "deposit", on, "--key", deployer, "--amount", big).exitCode());
            Cli account = run("market", "account", deployer, on);
            assertTrue(account.out().contains("balance    " + big.add(BigInteger.valueOf(1_000_000)) + " "), account.toString());
            assertEquals("verinfer: error: --amount must be positive, not -5", run("market", "deposit", on, "--key", deployer, "--amount", -5).errorLine());
            assertEquals("verinfer: error: --max-fee 79228162514264337593543950336 is too large: the contract's max fee (uint96) holds at most 79228162514264337593543950335",
                    run("market", "request", on, "--key", deployer, "--model", w.alexa, "-i", w.input, "--max-fee", BigInteger.TWO.pow(96)).errorLine());
            // The token stands in for a verifier contract (it has code); no proof is checked in this test.
            Cli model = run("market", "register-model", on, "--key", deployer, "--model", w.alexa, "--verifier", token, "--royalty", 100, "--json");
            assertEquals(0, model.exitCode(), model.toString());
            Path output = Files.write(dir.resolve("output.bin"), new byte[] {4, 5});
            Cli request = run("market", "request", on, "--key", deployer, "--model", w.alexa, "-i", w.input, "--max-fee", 10_000,
                    "--mode", "optimistic", "--window-millis", 60_000, "--json");
            assertEquals(0, request.exitCode(), request.toString());
            long id = Json.MAPPER.readTree(request.out()).path("requestId").asLong();
            assertEquals(0, run("market", "chain", "lock", on, "--key", prover, "--id", id).exitCode());
            assertEquals(0, run("market", "chain", "result", on, "--key", prover, "--id", id, "-o", output).exitCode());
            Cli early = run("market", "chain", "advance", on, "--key", prover, "--id", id);
            assertEquals(ExitCodes.USAGE, early.exitCode());
            assertEquals("verinfer: error: the contract refused: NothingDue(id=" + id + ")", early.errorLine());
            rpc(s, "evm_increaseTime", List.of(60));
            rpc(s, "evm_mine", List.of());
            Cli settle = run("market", "chain", "advance", on, "--key", prover, "--id", id);
            assertTrue(settle.out().contains("status     SETTLED"), settle.toString());

            Cli second = run("market", "request", on, "--key", deployer, "--model", w.alexa, "-i", w.input, "--max-fee", 10_000, "--json");
            long other = Json.MAPPER.readTree(second.out()).path("requestId").asLong();
            assertEquals(0, run("market", "cancel", other, on, "--key", deployer).exitCode());
            Cli status = run("market", "status", other, on);
            assertTrue(status.out().contains("status     CANCELLED"), status.toString());
            Cli huge = run("market", "request", on, "--key", deployer, "--model", w.alexa, "-i", w.input, "--max-fee", BigInteger.TEN.pow(19), "--json");
            long hugeId = Json.MAPPER.readTree(huge.out()).path("requestId").asLong();
            assertTrue(run("market", "status", hugeId, on).out().contains("maxFee     10000000000000000000"), "a max fee above a long");
            assertEquals(0, run("market", "cancel", hugeId, on, "--key", deployer).exitCode());
            Path missing = dir.resolve("missing.key");
            assertEquals("verinfer: error: no key file " + missing + " (create one with 'market chain keygen')",
                    run("market", "cancel", other, on, "--key", missing).errorLine());
        }
    }

    private static Cli run(Object... parts) {
        List<Object> args = new java.util.ArrayList<>();
        for (Object p : parts) {
            if (p instanceof String[] a) {
                args.addAll(List.of(a));
            } else {
                args.add(p);
            }
        }
        return Cli.run(args.toArray());
    }
}
