package dev.verinfer.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verinfer.model.onnx.proto.Onnx;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every failure is one clear line and a documented exit code; invalid proofs exit 1 with the reason. */
class CliErrorTest {
    private final Workspace w = Workspace.get();

    @Test void tamperedProofIsInvalid() throws Exception {
        byte[] proof = Files.readAllBytes(w.proof);
        proof[proof.length / 2] ^= 0x04;
        Cli r = Cli.run("verify", "--model", w.alexa, "--proof", w.write("tampered.proof", proof));
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.out().contains("result     INVALID: "), r::toString);
    }

    @Test void proofCheckedAgainstAnotherModelsKeyIsInvalid() {
        Cli r = Cli.run("verify", "--model", w.heyMycroft, "--proof", w.proof);
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.out().contains("INVALID: the proof is for model "), r::toString);
    }

    @Test void statementThatDiffersFromTheGivenOutputIsInvalid() {
        Path lie = w.write("lie.json", "{\"output_data\": [[0.99]]}");
        Cli r = Cli.run("verify", "--model", w.alexa, "--proof", w.proof, "--output", lie);
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.out().contains("INVALID: output '13' differs from lie.json at index 0"), r::toString);
    }

    @Test void missingFile() {
        Cli r = Cli.run("verify", "--model", w.alexa, "--proof", w.file("no-such.proof"));
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("verinfer: error: proof not found: " + w.file("no-such.proof"), r.errorLine());
        Cli dir = Cli.run("prove", "--model", w.file("no-such-dir"), "--input", w.input, "-o", w.file("x.proof"));
        assertEquals(2, dir.exitCode(), dir::toString);
        assertTrue(dir.errorLine().contains("model directory not found"), dir::toString);
    }

    @Test void corruptKey() {
        Path vk = w.write("corrupt.vk", "not a key".getBytes());
        Cli r = Cli.run("verify", "--vk", vk, "--proof", w.proof);
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.errorLine().contains(vk + " is not a valid verifying key"), r::toString);
    }

    @Test void wrongInputShape() {
        Path input = w.write("short.json", "{\"input_data\": [[1, 2, 3]]}");
        Cli r = Cli.run("prove", "--model", w.alexa, "--input", input, "-o", w.file("short.proof"));
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.errorLine().contains("'onnx::Flatten_0' has 3 values, expected shape [1, 16, 96] (1536 values)"), r::toString);
    }

    @Test void inputOutsideTheCalibratedRange() {
        Path input = w.write("huge.json", "{\"onnx::Flatten_0\": " + java.util.Arrays.toString(new float[1536]).replace("0.0]", "1.0E9]") + "}");
        Cli r = Cli.run("run", "--model", w.alexa, "--input", input);
        assertEquals(4, r.exitCode(), r::toString);
        assertTrue(r.errorLine().contains("outside the range calibrated at compile time"), r::toString);
    }

    @Test void unsupportedOperator() throws Exception {
        Path onnx = w.write("unsupported.onnx", modelWithUnknownOp().toByteArray());
        Path sample = w.write("sample.json", "{\"x\": [1, 2, 3, 4]}");
        Cli r = Cli.run("compile", onnx, "--calibration", sample, "-o", w.file("unsupported"));
        assertEquals(3, r.exitCode(), r::toString);
        assertTrue(r.errorLine().contains("node 'mystery' (NotAnOp): operator 'NotAnOp' is not supported"), r::toString);
        Cli inspect = Cli.run("inspect", onnx);
        assertEquals(0, inspect.exitCode(), inspect::toString);
        assertTrue(inspect.out().contains("import     NOT SUPPORTED:\n  mystery (NotAnOp)"), inspect::toString);
    }

    @Test void notAnOnnxModel() {
        Path onnx = w.write("garbage.onnx", new byte[] {1, 2, 3, 4, 5});
        Cli r = Cli.run("inspect", onnx);
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.errorLine().contains("not a valid ONNX model"), r::toString);
    }

    @Test void usageErrors() {
        Cli unknown = Cli.run("prove", "--model", w.alexa, "--input", w.input, "-o", w.file("u.proof"), "--frobnicate");
        assertEquals(2, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.errorLine().contains("Unknown option: '--frobnicate' (see 'verinfer prove --help')"), unknown::toString);
        Cli both = Cli.run("verify", "--model", w.alexa, "--vk", w.alexa.resolve("verifying.key"), "--proof", w.proof);
        assertEquals(2, both.exitCode(), both::toString);
        assertTrue(both.errorLine().startsWith("verinfer: error: --model=DIR, --vk=FILE are mutually exclusive"), both::toString);
        Cli missing = Cli.run("prove");
        assertEquals(2, missing.exitCode(), missing::toString);
        assertTrue(missing.errorLine().contains("Missing required options"), missing::toString);
        Cli visibility = Cli.run("prove", "--model", w.alexa, "--input", w.input, "-o", w.file("c.proof"), "--output-visibility", "secret");
        assertEquals(2, visibility.exitCode(), visibility::toString);
        assertTrue(visibility.errorLine().contains("--output-visibility must be public or committed, not 'secret'"), visibility::toString);
        Cli badJson = Cli.run("run", "--model", w.alexa, "--input", w.write("bad.json", "{\"input_data\": [[1, 2"));
        assertEquals(2, badJson.exitCode(), badJson::toString);
        assertTrue(badJson.errorLine().contains("is not valid JSON"), badJson::toString);
    }

    @Test void errorsInJsonModeAreJsonOnStdout() throws Exception {
        Cli r = Cli.run("verify", "--model", w.alexa, "--proof", w.file("no-such.proof"), "--json");
        assertEquals(2, r.exitCode(), r::toString);
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertEquals(2, j.get("exit_code").asInt());
        assertTrue(j.get("error").asText().startsWith("proof not found"));
    }

    @Test void verboseShowsTheStack() {
        Cli r = Cli.run("verify", "--vk", w.write("corrupt2.vk", new byte[] {0}), "--proof", w.proof, "--verbose");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("\tat dev.verinfer"), r::toString);
    }

    /** y = NotAnOp(x), x: float [1, 4]. */
    private static Onnx.ModelProto modelWithUnknownOp() {
        Onnx.TypeProto type = Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(1)
                .setShape(Onnx.TensorShapeProto.newBuilder().addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(4)))).build();
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("g")
                .addNode(Onnx.NodeProto.newBuilder().setName("mystery").setOpType("NotAnOp").addInput("x").addOutput("y"))
                .addInput(Onnx.ValueInfoProto.newBuilder().setName("x").setType(type))
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("y").setType(type)).build();
        return Onnx.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(g).build();
    }
}
