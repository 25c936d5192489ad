package dev.verinfer.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verinfer.eth.AnvilNode;
import dev.verinfer.eth.EthKeys;
import dev.verinfer.eth.EthMarket;
import dev.verinfer.eth.VerifierSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * From 'verinfer compile' to a model verified on chain, with commands only, on anvil (30 M gas a block):
 * alexa_v0.1 compiled in the conjectured setting (its smaller proofs keep the test short; the proven
 * setting's session fits the same blocks, VerifierSessionTest, and runs here with
 * {@code -Dverinfer.node.session.pcs=proven}); 'market chain register-key' deploys a verifier session
 * (recorded in the deployment file), registers the model's key there and lists the model under the
 * session's vkHash with the session as its verifier; a 'market prover' process serves two ZK requests of
 * a client on that model, each proven alone (the session verifies no batch proofs): it proves and submits the
 * result with the proof's parts, which the session verifies inside the market's call (one transaction, under the
 * default cap, EIP-7825's), and is paid; a second process with {@code --max-tx-gas} under that transaction's gas
 * serves two more through the session's four transactions (each carrying its part of the proof), then the
 * market asks the session about the proof's hash. Value is
 * conserved from chain state. The command's refusals: a --session that is not one, a model the session
 * does not cover (a zero-knowledge key).
 */
class MarketChainSessionTest {
    private static final BigInteger FUNDS = BigInteger.valueOf(1_000_000);
    private static final String PCS = System.getProperty("verinfer.node.session.pcs", "conjectured");

    @TempDir
    Path dir;

    @Test
    void aModelRegisteredByCommandIsServedByAProverProcessAndPaidAfterTheSessionVerifiedItsProof() throws Exception {
        Workspace w = Workspace.get();
        Path model = dir.resolve("alexa-" + PCS);
        Cli compiled = Cli.run("compile", w.alexaOnnx, "--calibration", w.calibration, "-o", model, "--pcs-security", PCS, "--no-zk"); // the session takes plain keys only
        assertEquals(0, compiled.exitCode(), compiled::toString);
        try (AnvilNode anvil = AnvilNode.start(AnvilNode.binary(Path.of(System.getProperty("verinfer.repo.root", "../"))))) {
            AnvilMarket a = AnvilMarket.deploy(anvil, dir, List.of("owner", "client", "prover"));
            Map<String, Path> keys = a.keys();
            String d = a.d();
            EthMarket market = a.market();
            List<String> everyone = a.everyone();

            Cli notASession = Cli.run("market", "chain", "register-key", "--deployment", d, "--key", keys.get("owner"), "--model", model, "--session", market.address());
            assertEquals("verinfer: error: no verifier session (ZkmlVerifierSession) at " + market.address() + " on " + anvil.url(), notASession.errorLine());
            Cli register = Cli.run("market", "chain", "register-key", "--deployment", d, "--key", keys.get("owner"), "--model", model, "--royalty", 50, "--json");
            assertEquals(0, register.exitCode(), register::toString);
            JsonNode listed = Json.MAPPER.readTree(register.out());
            String session = listed.path("session").asText();
            assertEquals(session, Json.MAPPER.readTree(Files.readAllBytes(a.deployment())).path("session").asText(), "the session is recorded in the deployment file");
            byte[] listing = Numeric.hexStringToByteArray(listed.path("modelId").asText());
            EthMarket.ModelView m = market.model(listing);
            assertEquals(session, m.verifier());
            assertEquals(everyone.getFirst(), m.owner());
            assertTrue(VerifierSession.at(market.account(), m.verifier()).isPresent(), "the model's verifier is a verification session");
            assertEquals(listed.path("vkHash").asText(), Numeric.toHexStringNoPrefix(m.vkHash()), "listed under the session's vkHash");
            // Listed by its model id with the session as verifier, no proof would ever be accepted: refused, naming register-key.
            Cli byModelId = Cli.run("market", "register-model", "--deployment", d, "--key", keys.get("owner"), "--model", model, "--verifier", session);
            assertEquals("verinfer: error: " + session + " is a verifier session (ZkmlVerifierSession), which checks a model under the vkHash of the key registered"
                    + " with it: list the model with 'verinfer market chain register-key -m DIR --session " + session + "'", byModelId.errorLine());

            for (String name : List.of("client", "prover")) {
                a.token().transfer(EthKeys.read(keys.get(name)).getAddress(), FUNDS);
                Cli dep = Cli.run("market", "deposit", "--deployment", d, "--key", keys.get(name), "--amount", FUNDS);
                assertEquals(0, dep.exitCode(), dep::toString);
            }
            assertEquals(0, Cli.run("market", "register-prover", "--deployment", d, "--key", keys.get("prover"), "--stake", 100_000).exitCode());
            a.conserved();

            Cli tooLow = Cli.run("market", "prover", "--deployment", d, "--key", keys.get("prover"), "--models", model, "--max-tx-gas", 100);
            assertEquals("verinfer: error: --max-tx-gas must be 21000 or more, not 100", tooLow.errorLine(), tooLow::toString);
            a.rpc("evm_setIntervalMining", List.of(1));
            // The client names the model by its directory: its only listing is the one under the session's vkHash. Two requests in a row
            // per prover process: the batching prover proves a session listing's requests one by one (the session verifies no batch proofs).
            // The first process has Ethereum's cap (EIP-7825, the default): each proof verified inside the market's call, one transaction; the
            // second a cap under that transaction's gas (8.4 M conjectured; each of the four at most 3.5 M): in the session's four.
            List<Long> ids = new ArrayList<>();
            for (List<Object> run : List.of(List.<Object>of(), List.<Object>of("--max-tx-gas", 6_000_000))) {
                List<Object> args = new ArrayList<>(List.of("prover", "--deployment", d, "--key", keys.get("prover"), "--models", model));
                args.addAll(run);
                try (NodeProcess prover = NodeProcess.start(dir.resolve("prover" + ids.size() + ".err"), args.toArray())) {
                    List<Long> served = new ArrayList<>();
                    for (int i = 0; i < 2; i++) {
                        Cli request = Cli.run("market", "request", "--deployment", d, "--key", keys.get("client"), "--model", model, "--input", w.input,
                                "--max-fee", 2_000, "--mode", "zk", "--json");
                        assertEquals(0, request.exitCode(), request::toString);
                        served.add(Json.MAPPER.readTree(request.out()).path("requestId").asLong());
                    }
                    for (long id : served) assertArrayEquals(listing, market.request(id).modelId(), "the request is of the session's listing");
                    MarketFixture.await("the requests to settle", 300_000, () -> served.stream().allMatch(id -> market.request(id).status() == EthMarket.Status.SETTLED),
                            () -> "the prover's stderr: " + prover.stderr());
                    for (long id : served) assertEquals(everyone.get(2), market.request(id).prover(), prover::stderr);
                    assertEquals(List.of(), market.slashes());
                    String how = run.isEmpty() ? "verified inside the market's call" : "verified by the session in 4 transactions";
                    assertEquals(2, prover.stderr().lines().filter(l -> l.contains(how)).count(), prover::stderr);
                    a.conserved();
                    assertEquals(143, prover.terminate(), prover::stderr);
                    ids.addAll(served);
                }
            }
            Cli result = Cli.run("market", "result", ids.getFirst(), "--deployment", d, "--model", model);
            assertTrue(result.out().contains("SETTLED (verified and paid)"), result::toString);
            assertTrue(market.balanceOf(everyone.get(2)).compareTo(FUNDS.subtract(BigInteger.valueOf(100_000))) > 0, "the prover is paid");
            a.web3j().shutdown();
        }
        // A key the session does not cover is refused before any chain is asked: here compile's default, a zero-knowledge key.
        Path zk = dir.resolve("alexa-zk");
        assertEquals(0, Cli.run("compile", w.alexaOnnx, "--calibration", w.calibration, "-o", zk).exitCode());
        Cli another = Cli.run("market", "chain", "register-key", "--chain", "http://127.0.0.1:9", "--contract", "0x" + "11".repeat(20), "--key",
                dir.resolve("owner.eth.key"), "--model", zk);
        assertTrue(another.errorLine().startsWith("verinfer: error: the on-chain verifier session cannot verify the model in " + zk + ": a zero-knowledge key"),
                another::toString);
    }
}
