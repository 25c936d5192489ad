package dev.verinfer.node;

import dev.verinfer.client.MarketClient;
import dev.verinfer.client.RemoteAccount;
import dev.verinfer.market.Request;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Setup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import static dev.verinfer.node.MarketFixture.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A workflow served by processes alone: the node and a prover ('market prover --tensors DIR') as
 * processes, the workflow submitted and read with the CLI ('market workflow submit|status'). Two
 * alexa_v0.1 steps on public inputs feed their committed scores to a "head" step (their sum, a
 * two-input model written as a model directory here); the prover takes the head's committed inputs
 * from the tensor store, where it put the alexa steps' outputs, and the workflow settles.
 */
class MarketWorkflowProcessesTest {
    @TempDir
    Path dir;

    @Test
    void aWorkflowOfThreeStepsIsServedByProcessesAndReadWithTheCli() throws Exception {
        MarketFixture f = new MarketFixture(dir);
        Path models = Files.createDirectories(dir.resolve("models"));
        Path alexaDir = Files.createDirectories(models.resolve("alexa"));
        for (String file : List.of(ModelDir.PROVING_KEY, ModelDir.VERIFYING_KEY)) Files.copy(f.w.alexa.resolve(file), alexaDir.resolve(file));
        Path headDir = Files.createDirectories(models.resolve("head"));
        ProvingKey head = Setup.setup(head(f.alexa.graph().tensor(f.alexa.graph().outputs().getFirst())));
        Files.write(headDir.resolve(ModelDir.PROVING_KEY), head.toBytes());
        Files.write(headDir.resolve(ModelDir.VERIFYING_KEY), head.verifyingKey().toBytes());
        Path workflow = Files.writeString(dir.resolve("workflow.json"), """
                {"deadlineSeconds": 600, "steps": [
                  {"name": "left", "model": "models/alexa", "input": "%s", "maxFee": 2000},
                  {"name": "right", "model": "models/alexa", "input": "%s", "maxFee": 2000},
                  {"name": "sum", "model": "models/head", "inputs": [{"step": "left", "output": 0}, {"step": "right", "output": 0}], "maxFee": 2000, "mode": "zk"}]}
                """.formatted(f.w.input.toAbsolutePath(), f.w.input.toAbsolutePath()));

        KeyPair operatorKeys = f.key("operator");
        KeyPair owner = f.key("owner"), client = f.key("client"), prover = f.key("prover");
        try (NodeProcess node = NodeProcess.start(dir.resolve("node.err"), "node", "--data", dir.resolve("ledger"), "--port", 0, "--operator", id(operatorKeys),
                "--params", f.params("{\"rampMillis\": 500}"), "--block-millis", 20)) {
            MarketClient api = new MarketClient(node.uri());
            String url = node.uri().toString();
            MarketFixture.fund(RemoteAccount.of(api, operatorKeys), 100_000, owner, client, prover);
            for (Path model : List.of(alexaDir, headDir)) {
                Cli registered = Cli.run("market", "register-model", "--node", url, "--key", f.keyFile("owner"), "--model", model, "--royalty", 10);
                assertEquals(0, registered.exitCode(), registered::toString);
            }
            assertEquals(0, Cli.run("market", "register-prover", "--node", url, "--key", f.keyFile("prover"), "--stake", 50_000).exitCode());
            try (NodeProcess serving = NodeProcess.start(dir.resolve("prover.err"), "prover", "--node", url, "--key", f.keyFile("prover"), "--models", models,
                    "--tensors", dir.resolve("tensors"))) {
                Cli submitted = Cli.run("market", "workflow", "submit", workflow, "--node", url, "--key", f.keyFile("client"));
                assertEquals(0, submitted.exitCode(), submitted::toString);
                String line = submitted.out().lines().filter(l -> l.startsWith("workflow ")).findFirst().orElseThrow();
                long workflowId = Long.parseLong(line.split(" +")[1].replace(":", ""));
                MarketFixture.await("the workflow's steps to be final", 180_000, () -> MarketFixture.allFinal(api, "client=" + id(client)));
                assertEquals(3, api.requests("client=" + id(client) + "&status=SETTLED").size(), serving::stderr);
                assertTrue(api.requests("client=" + id(client)).stream().allMatch(r -> r.lock().prover().equals(id(prover)) && r.status() == Request.Status.SETTLED));
                Cli status = Cli.run("market", "workflow", "status", workflowId, "--node", url, "--model", headDir);
                assertEquals(0, status.exitCode(), status::toString);
                assertTrue(status.out().contains("3 steps") && status.out().contains("{SETTLED=3}"), status::toString);
                assertTrue(status.out().contains("output     'sum' [1, 1]: "), status::toString);
                assertEquals(List.of(), api.slashes());
                assertEquals(List.of(), api.invariantViolations());
                assertEquals(143, serving.terminate(), serving::stderr);
            }
            Cli refused = Cli.run("market", "workflow", "submit", Files.writeString(dir.resolve("bad.json"), "{\"steps\": [{\"model\": \"models/alexa\", \"maxFee\": 5}]}"),
                    "--node", url, "--key", f.keyFile("client"));
            assertEquals(ExitCodes.USAGE, refused.exitCode(), refused::toString);
            assertTrue(refused.err().contains("step 0 has neither an 'input' file nor 'inputs' from earlier steps"), refused::toString);
            assertEquals(143, node.terminate(), node::stderr);
        }
    }

    /** y = a + b for two scores of alexa's output shape and scale. */
    private static QuantGraph head(QTensor score) {
        List<QTensor> tensors = List.of(
                new QTensor(0, "a", score.shape(), score.scale(), score.bits(), QTensor.Kind.INPUT, null),
                new QTensor(1, "b", score.shape(), score.scale(), score.bits(), QTensor.Kind.INPUT, null),
                new QTensor(2, "sum", score.shape(), score.scale(), score.bits() + 1, QTensor.Kind.ACTIVATION, null));
        return new QuantGraph(tensors, List.of(new QNode("sum", new QOp.Add(0, 1), 2)), List.of(0, 1), List.of(2));
    }
}
