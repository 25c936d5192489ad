package dev.verinfer.node;

import dev.verinfer.api.RequestView;
import dev.verinfer.client.MarketClient;
import dev.verinfer.client.RemoteAccount;
import dev.verinfer.market.Model;
import dev.verinfer.market.Request;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Setup;
import dev.verinfer.zkml.VerifyingKey;
import dev.verinfer.zkml.WeightOpeningLedger;
import dev.verinfer.zkml.WeightRotations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;

import static dev.verinfer.node.MarketFixture.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A private model's weight commitment rotated by its owner from the CLI and posted to a node ('verinfer rotate -m DIR', then
 * 'market rotate -m DIR'), then served by a prover process that loads the key at the new epoch: its proof, under the new
 * root, is verified by the node against the listing's chain and settled.
 */
class MarketRotationProcessesTest {
    @TempDir
    Path dir;

    /** x [1,8] → x·W, W of 8×4 (a table a rotation hides), compiled with zero knowledge at a budget of 16 openings. */
    private static final QuantGraph GRAPH = graph();

    private static QuantGraph graph() {
        long[] w = new long[32];
        for (int i = 0; i < w.length; i++) {
            w[i] = ((i * 37L + 5) % 127) - 63;
        }
        return new QuantGraph(List.of(new QTensor(0, "x", new int[] {1, 8}, 8, 12, QTensor.Kind.INPUT, null),
                new QTensor(1, "w", new int[] {8, 4}, 6, 6, QTensor.Kind.WEIGHT, w),
                new QTensor(2, "y", new int[] {1, 4}, 14, 20, QTensor.Kind.ACTIVATION, null)),
                List.of(new QNode("matmul", new QOp.MatMul(0, 1, -1), 2)), List.of(0), List.of(2));
    }

    /** The model directory as 'compile --zk' writes it (keys and the opening count). */
    private ProvingKey writeModel(Path model) throws Exception {
        ProvingKey pk = Setup.setup(GRAPH, PcsSecurity.PROVEN, true, 16);
        Files.createDirectories(model);
        Files.write(model.resolve(ModelDir.PROVING_KEY), pk.toBytes());
        Files.write(model.resolve(ModelDir.VERIFYING_KEY), pk.verifyingKey().toBytes());
        WeightOpeningLedger.create(model.resolve(ModelDir.OPENINGS), pk);
        return pk;
    }

    @Test
    void aRotationPostedFromTheCliLetsTheProverProcessServeUnderTheNewRoot() throws Exception {
        MarketFixture f = new MarketFixture(dir);
        Path model = dir.resolve("models").resolve("private");
        VerifyingKey vk = writeModel(model).verifyingKey();
        Path input = Files.writeString(dir.resolve("x.json"), "{\"input_data\": [[0.5, -0.25, 1.0, 0.125, 0.5, -1.0, 0.75, 0.0]]}");

        KeyPair operatorKeys = f.key("operator");
        KeyPair owner = f.key("owner"), client = f.key("client"), prover = f.key("prover"), stranger = f.key("stranger");
        try (NodeProcess node = NodeProcess.start(dir.resolve("node.err"), "node", "--data", dir.resolve("ledger"), "--port", 0, "--operator", id(operatorKeys),
                "--params", f.params("{\"rampMillis\": 500}"), "--block-millis", 20)) {
            MarketClient api = new MarketClient(node.uri());
            String url = node.uri().toString();
            MarketFixture.fund(RemoteAccount.of(api, operatorKeys), 100_000, owner, client, prover, stranger);
            assertEquals(0, Cli.run("market", "register-model", "--node", url, "--key", f.keyFile("owner"), "--model", model, "--royalty", 10).exitCode());
            assertEquals(0, Cli.run("market", "register-prover", "--node", url, "--key", f.keyFile("prover"), "--stake", 50_000).exitCode());
            String listing = Model.key(vk.modelIdHex(), id(owner));

            Cli rotated = Cli.run("rotate", "-m", model);
            assertEquals(0, rotated.exitCode(), rotated::toString);
            Cli posted = Cli.run("market", "rotate", "--node", url, "--key", f.keyFile("owner"), "-m", model);
            assertEquals(0, posted.exitCode(), posted::toString);
            assertTrue(posted.out().contains("at epoch 1 (1 link(s) posted)"), posted::toString);
            Cli again = Cli.run("market", "rotate", "--node", url, "--key", f.keyFile("owner"), "-m", model);
            assertEquals(0, again.exitCode(), again::toString);
            assertTrue(again.out().contains("at epoch 1 (0 link(s) posted)"), "nothing posted twice: " + again);
            Cli notOwner = Cli.run("market", "rotate", "--node", url, "--key", f.keyFile("stranger"), "-m", model);
            assertNotEquals(0, notOwner.exitCode(), "a non-owner has no listing to rotate: " + notOwner);
            assertEquals(1, WeightRotations.fromBytes(api.model(listing).weightRotations(), vk).epoch(), "the node holds the chain");

            try (NodeProcess serving = NodeProcess.start(dir.resolve("prover.err"), "prover", "--node", url, "--key", f.keyFile("prover"), "--models", model)) {
                Cli requested = Cli.run("market", "request", "--node", url, "--key", f.keyFile("client"), "--model", model, "--input", input, "--max-fee", 2000);
                assertEquals(0, requested.exitCode(), requested::toString);
                MarketFixture.await("the request to be final", 120_000, () -> MarketFixture.allFinal(api, "client=" + id(client)));
                List<RequestView> done = api.requests("client=" + id(client));
                assertEquals(1, done.size());
                assertEquals(Request.Status.SETTLED, done.getFirst().status(), serving::stderr);
                assertEquals(List.of(), api.slashes());
                assertEquals(List.of(), api.invariantViolations());
                assertEquals(143, serving.terminate(), serving::stderr);
            }
            assertEquals(143, node.terminate(), node::stderr);
        }
    }

    /**
     * The owner's prover with --rotate-when-spent: the directory's count is spent down to the rotation's units (proofs made
     * beforehand, as earlier serving would), so the prover rotates the commitment itself, sends the link ahead of its lock and
     * proof, and the request settles under the new root.
     */
    @Test
    void theOwnersProverRotatesASpentCommitmentAndSendsTheLinkBeforeItsProof() throws Exception {
        MarketFixture f = new MarketFixture(dir);
        Path model = dir.resolve("models").resolve("private");
        writeModel(model);
        ProvingKey counted = ProvingKey.fromBytes(Files.readAllBytes(model.resolve(ModelDir.PROVING_KEY)));
        WeightOpeningLedger.open(model.resolve(ModelDir.OPENINGS), counted);
        for (int i = 0; i < 64 && counted.weightOpeningsRefusal().isEmpty(); i++) {
            Prover.prove(counted, IntegerExecutor.execute(GRAPH, Map.of("x", new float[] {i / 64f, 0.5f, -0.5f, 1f, 0f, 0.25f, -1f, 0.75f})));
        }
        assertTrue(counted.weightOpeningsRefusal().isPresent(), "the count is spent");
        VerifyingKey vk = counted.verifyingKey();
        Path input = Files.writeString(dir.resolve("x.json"), "{\"input_data\": [[0.5, -0.25, 1.0, 0.125, 0.5, -1.0, 0.75, 0.0]]}");

        KeyPair operatorKeys = f.key("operator");
        KeyPair owner = f.key("owner"), client = f.key("client");
        try (NodeProcess node = NodeProcess.start(dir.resolve("node.err"), "node", "--data", dir.resolve("ledger"), "--port", 0, "--operator", id(operatorKeys),
                "--params", f.params("{\"rampMillis\": 500}"), "--block-millis", 20)) {
            MarketClient api = new MarketClient(node.uri());
            String url = node.uri().toString();
            MarketFixture.fund(RemoteAccount.of(api, operatorKeys), 100_000, owner, client);
            assertEquals(0, Cli.run("market", "register-model", "--node", url, "--key", f.keyFile("owner"), "--model", model, "--royalty", 10).exitCode());
            assertEquals(0, Cli.run("market", "register-prover", "--node", url, "--key", f.keyFile("owner"), "--stake", 50_000).exitCode());
            try (NodeProcess serving = NodeProcess.start(dir.resolve("prover.err"), "prover", "--node", url, "--key", f.keyFile("owner"), "--models", model,
                    "--rotate-when-spent")) {
                Cli requested = Cli.run("market", "request", "--node", url, "--key", f.keyFile("client"), "--model", model, "--input", input, "--max-fee", 2000);
                assertEquals(0, requested.exitCode(), requested::toString);
                MarketFixture.await("the request to be final", 120_000, () -> MarketFixture.allFinal(api, "client=" + id(client)));
                List<RequestView> done = api.requests("client=" + id(client));
                assertEquals(Request.Status.SETTLED, done.getFirst().status(), serving::stderr);
                assertTrue(serving.stderr().contains("weight commitment to epoch 1"), serving::stderr);
                assertEquals(1, WeightRotations.fromBytes(api.model(Model.key(vk.modelIdHex(), id(owner))).weightRotations(), vk).epoch(), "the node holds the link");
                assertEquals(1, WeightRotations.fromBytes(Files.readAllBytes(model.resolve(ModelDir.ROTATIONS)), vk).epoch(), "and the directory its chain");
                assertEquals(List.of(), api.slashes());
                assertEquals(List.of(), api.invariantViolations());
                assertEquals(143, serving.terminate(), serving::stderr);
            }
            assertEquals(143, node.terminate(), node::stderr);
        }
    }
}
