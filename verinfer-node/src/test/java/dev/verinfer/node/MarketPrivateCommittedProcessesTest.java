package dev.verinfer.node;

import dev.verinfer.api.RequestView;
import dev.verinfer.client.MarketClient;
import dev.verinfer.client.RemoteAccount;
import dev.verinfer.market.DirectoryTensorStore;
import dev.verinfer.market.PrivateChainGraphs;
import dev.verinfer.market.Request;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Setup;
import dev.verinfer.zkml.TensorCommitments;
import dev.verinfer.zkml.WeightOpeningLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.verinfer.node.MarketFixture.id;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Private models' committed inputs served by processes alone: two zero-knowledge models written as model directories, the
 * node and a prover ('market prover --tensors DIR') as processes, the client's committed request ('market request
 * --tensors DIR') and a two-step workflow on a committed input ('committedInput', 'market workflow submit --tensors DIR').
 * The client's input reaches the prover as values and seed through the store; the market holds hiding roots only.
 */
class MarketPrivateCommittedProcessesTest {
    @TempDir
    Path dir;

    @Test
    void aPrivateModelsCommittedRequestAndWorkflowAreServedByProcesses() throws Exception {
        MarketFixture f = new MarketFixture(dir);
        Path models = Files.createDirectories(dir.resolve("models"));
        Path producerDir = write(models.resolve("producer"), Setup.setup(PrivateChainGraphs.producer(), PcsSecurity.CONJECTURED, true, 32));
        Path consumerDir = write(models.resolve("consumer"), Setup.setup(PrivateChainGraphs.consumer(), PcsSecurity.CONJECTURED, true, 32));
        Path tensors = dir.resolve("tensors");
        Path input = Files.writeString(dir.resolve("x.json"), "{\"input_data\": [[" + IntStream.range(0, 18)
                .mapToObj(i -> Double.toString(new SplittableRandom(i).nextDouble(-3.9, 3.9))).collect(Collectors.joining(", ")) + "]]}");
        Path workflow = Files.writeString(dir.resolve("workflow.json"), """
                {"deadlineSeconds": 600, "steps": [
                  {"name": "first", "model": "models/producer", "committedInput": "x.json", "maxFee": 2000},
                  {"name": "second", "model": "models/consumer", "inputs": [{"step": "first", "output": 0}], "maxFee": 2000}]}
                """);

        KeyPair operatorKeys = f.key("operator");
        KeyPair owner = f.key("owner"), client = f.key("client"), prover = f.key("prover");
        try (NodeProcess node = NodeProcess.start(dir.resolve("node.err"), "node", "--data", dir.resolve("ledger"), "--port", 0, "--operator", id(operatorKeys),
                "--params", f.params("{\"rampMillis\": 500}"), "--block-millis", 20)) {
            MarketClient api = new MarketClient(node.uri());
            String url = node.uri().toString();
            MarketFixture.fund(RemoteAccount.of(api, operatorKeys), 100_000, owner, client, prover);
            for (Path model : List.of(producerDir, consumerDir)) {
                Cli registered = Cli.run("market", "register-model", "--node", url, "--key", f.keyFile("owner"), "--model", model, "--royalty", 10);
                assertEquals(0, registered.exitCode(), registered::toString);
            }
            assertEquals(0, Cli.run("market", "register-prover", "--node", url, "--key", f.keyFile("prover"), "--stake", 50_000).exitCode());
            try (NodeProcess serving = NodeProcess.start(dir.resolve("prover.err"), "prover", "--node", url, "--key", f.keyFile("prover"), "--models", models,
                    "--tensors", tensors)) {
                Cli requested = Cli.run("market", "request", "--node", url, "--key", f.keyFile("client"), "--model", producerDir, "--input", input,
                        "--max-fee", 2000, "--tensors", tensors);
                assertEquals(0, requested.exitCode(), requested::toString);
                assertTrue(requested.out().contains("(input committed; its values in "), requested::toString);
                Cli submitted = Cli.run("market", "workflow", "submit", workflow, "--node", url, "--key", f.keyFile("client"), "--tensors", tensors);
                assertEquals(0, submitted.exitCode(), submitted::toString);
                MarketFixture.await("the requests to be final", 180_000, () -> MarketFixture.allFinal(api, "client=" + id(client)));
                List<RequestView> done = api.requests("client=" + id(client));
                assertEquals(3, done.size());
                assertTrue(done.stream().allMatch(r -> r.status() == Request.Status.SETTLED), serving::stderr);
                RequestView single = done.getFirst();
                assertEquals(0, single.inputBytes(), "the input is not on the market");
                byte[] root = single.inputRoots().getFirst();
                DirectoryTensorStore store = new DirectoryTensorStore(tensors);
                var stored = store.get(root).orElseThrow();
                assertEquals(TensorCommitments.SEED_BYTES, stored.seed().length, "the client's hiding root's seed is in the store");
                assertFalse(Arrays.equals(root, TensorCommitments.root(new int[] {3, 6}, stored.values(), PcsSecurity.CONJECTURED)), "not the values' own root");
                assertArrayEquals(done.get(1).result().outputRoots().getFirst(), done.get(2).inputRoots().getFirst(), "the workflow's link");
                assertEquals(List.of(), api.slashes());
                assertEquals(List.of(), api.invariantViolations());
                assertEquals(143, serving.terminate(), serving::stderr);
            }
            assertEquals(143, node.terminate(), node::stderr);
        }
    }

    private static Path write(Path dir, ProvingKey key) throws Exception {
        Files.createDirectories(dir);
        Files.write(dir.resolve(ModelDir.PROVING_KEY), key.toBytes());
        Files.write(dir.resolve(ModelDir.VERIFYING_KEY), key.verifyingKey().toBytes());
        WeightOpeningLedger.create(dir.resolve(ModelDir.OPENINGS), key); // as 'compile --zk' starts the opening count
        return dir;
    }
}
