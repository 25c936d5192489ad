package dev.verinfer.node;

import dev.verinfer.model.onnx.proto.Onnx;
import dev.verinfer.zkml.ZeroKnowledge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `compile --zk` through {@link ModelCompiler}, then `prove`, `verify` and `inspect`, on a small Gemm (x[1,8]·W[8,4] + b, its
 * weights and their wider bias private). Writing the verifying key makes the weights' zero-knowledge bounds proof, which
 * setup leaves lazy: the library's tests and `bench --zk` never made it for alexa_v0.1, whose `compile --zk` ran out of
 * memory there (`ZkAlexaProofTest.theBoundsProofIsCutIntoRegionsOfBoundedSize`). Here the whole CLI job runs in seconds.
 */
class ZeroKnowledgeCliTest {
    @TempDir Path dir;

    /**
     * Zero knowledge is compile's default: with no flag the key is zero-knowledge (settings and `inspect DIR` say the weights are
     * hidden, the opening count starts beside it), its proofs verify and say what they reveal; the commands that need a plain key
     * refuse it naming the opt-out, --no-zk: an OPTIMISTIC request (refused before the market is reached) and the on-chain
     * verifier session's key compiler.
     */
    @Test void theDefaultCompileIsZeroKnowledgeAndTheRefusalsNameTheOptOut() throws Exception {
        Path onnx = Files.write(dir.resolve("gemm.onnx"), gemm().toByteArray());
        Path calibration = Files.writeString(dir.resolve("calibration.json"), "{\"input_data\": [[0.5, -0.25, 0.75, 0.1, -0.6, 0.3, 0.9, -0.8]]}");
        Path input = Files.writeString(dir.resolve("input.json"), "{\"input_data\": [[0.4, -0.3, 0.7, 0.2, -0.5, 0.2, 0.8, -0.7]]}");
        Path model = dir.resolve("gemm"), proof = dir.resolve("proof.bin");
        Cli compile = Cli.run("compile", onnx, "-c", calibration, "-o", model, "--zk-openings", "8", "--pcs-security", "conjectured");
        assertEquals(0, compile.exitCode(), compile::toString);
        assertTrue(compile.out().contains("reveals    " + ZeroKnowledge.reveals(8)), compile::toString);
        assertTrue(Json.MAPPER.readTree(model.resolve(ModelDir.SETTINGS).toFile()).get("zeroKnowledge").asBoolean());
        assertTrue(ModelDir.readVerifyingKey(model.resolve(ModelDir.VERIFYING_KEY)).zeroKnowledge());
        assertTrue(Files.exists(model.resolve(ModelDir.OPENINGS)), "the opening count starts with the key");
        Cli inspectKey = Cli.run("inspect", model);
        assertEquals(0, inspectKey.exitCode(), inspectKey::toString);
        assertTrue(inspectKey.out().contains("weights    hidden: a zero-knowledge key (compile's default)"), inspectKey::toString);
        Cli prove = Cli.run("prove", "--model", model, "--input", input, "-o", proof);
        assertEquals(0, prove.exitCode(), prove::toString);
        Cli verify = Cli.run("verify", "--model", model, "--proof", proof, "--input", input);
        assertEquals(0, verify.exitCode(), verify::toString);
        assertTrue(verify.out().contains("reveals    zero-knowledge: " + ZeroKnowledge.reveals(8)), verify::toString);
        Cli inspect = Cli.run("inspect", onnx);
        assertEquals(0, inspect.exitCode(), inspect::toString);
        assertTrue(inspect.out().contains("zk         available, compile's default: proofs reveal " + ZeroKnowledge.ZK_REVEALS), inspect::toString);
        Cli explicit = Cli.run("compile", onnx, "-c", calibration, "-o", dir.resolve("gemm-zk"), "--zk", "--zk-openings", "8", "--pcs-security", "conjectured");
        assertEquals(0, explicit.exitCode(), explicit::toString);
        assertTrue(ModelDir.readVerifyingKey(dir.resolve("gemm-zk").resolve(ModelDir.VERIFYING_KEY)).zeroKnowledge(), "--zk is still accepted");

        Path clientKey = dir.resolve("client.json");
        assertEquals(0, Cli.run("market", "keygen", "-o", clientKey).exitCode());
        for (String mode : new String[] {"optimistic", "sampled"}) {
            Cli request = Cli.run("market", "request", "--node", "http://127.0.0.1:9", "--key", clientKey, "--model", model, "--input", input,
                    "--max-fee", 2000, "--mode", mode);
            assertEquals(ExitCodes.USAGE, request.exitCode(), request::toString);
            assertTrue(request.errorLine().contains("is private (compiled in zero knowledge, compile's default): it takes --mode zk requests only")
                    && request.errorLine().contains("compiled with 'verinfer compile --no-zk'"), request::toString);
        }
        Path ownerKey = dir.resolve("owner.eth.key");
        assertEquals(0, Cli.run("market", "chain", "keygen", "-o", ownerKey).exitCode());
        Cli session = Cli.run("market", "chain", "register-key", "--chain", "http://127.0.0.1:9", "--contract", "0x" + "11".repeat(20), "--key", ownerKey,
                "--model", model);
        assertEquals(ExitCodes.USAGE, session.exitCode(), session::toString);
        assertTrue(session.errorLine().contains("a zero-knowledge key (compile's default) is not supported")
                && session.errorLine().contains("compile the model with 'verinfer compile --no-zk' for a plain key"), session::toString);
    }

    /**
     * The weight opening count across processes: every `prove` loads the key afresh (its commitment object counts from zero),
     * yet the count in proving.key.openings, started by `compile --zk` at the bounds proof's units, grows with each proof until
     * the budget refuses the next (`inspect DIR` shows it); a deleted or corrupted count refuses, naming the file, and
     * `--reset-openings` starts it again with a warning. A model without zero knowledge has no count.
     */
    @Test void theWeightOpeningCountIsKeptBesideTheKeyAcrossProcesses() throws Exception {
        Path onnx = Files.write(dir.resolve("gemm.onnx"), gemm().toByteArray());
        Path calibration = Files.writeString(dir.resolve("calibration.json"), "{\"input_data\": [[0.5, -0.25, 0.75, 0.1, -0.6, 0.3, 0.9, -0.8]]}");
        Path input = Files.writeString(dir.resolve("input.json"), "{\"input_data\": [[0.4, -0.3, 0.7, 0.2, -0.5, 0.2, 0.8, -0.7]]}");
        Path model = dir.resolve("gemm-zk"), proof = dir.resolve("proof.bin"), count = model.resolve(ModelDir.OPENINGS);
        Cli compile = Cli.run("compile", onnx, "-c", calibration, "-o", model, "--zk", "--zk-openings", "8", "--pcs-security", "conjectured");
        assertEquals(0, compile.exitCode(), compile::toString);
        java.util.regex.Pattern used = java.util.regex.Pattern.compile("openings   (\\d+) of (\\d+) weight opening units used");
        int[] covered = new int[1]; // the units the mask covers: at least the 8 asked for
        java.util.function.IntSupplier units = () -> {
            Cli inspect = Cli.run("inspect", model);
            assertEquals(0, inspect.exitCode(), inspect::toString);
            java.util.regex.Matcher m = used.matcher(inspect.out());
            assertTrue(m.find(), inspect::toString);
            covered[0] = Integer.parseInt(m.group(2));
            return Integer.parseInt(m.group(1));
        };
        int before = units.getAsInt();
        assertEquals(2, before, "the bounds proof's two units");
        int proofs = 0;
        Cli prove;
        while ((prove = Cli.run("prove", "--model", model, "--input", input, "-o", proof)).exitCode() == 0) {
            proofs++;
            int after = units.getAsInt();
            assertTrue(after > before && after <= covered[0], "a proof counted: " + before + " → " + after + " of " + covered[0]);
            before = after;
            assertTrue(proofs < covered[0], "still proving past the budget");
        }
        assertEquals(ExitCodes.USAGE, prove.exitCode(), prove::toString);
        assertTrue(prove.err().contains("opening budget of " + covered[0] + " is spent (" + before + " units"), prove::toString);
        assertTrue(prove.err().contains("verinfer rotate -m " + model.toAbsolutePath()), "the refusal says how to rotate: " + prove);
        assertTrue(before <= covered[0] - dev.verinfer.zkml.WeightRotations.UNITS, "a proof never takes a rotation's units: " + before + " of " + covered[0]);
        assertTrue(proofs >= 1, "no proof before the budget was spent");
        assertEquals(before, units.getAsInt(), "a refused proof spends nothing");

        String kept = Files.readString(count);
        Files.writeString(count, kept.replaceFirst("units \\d+", "units 2"));
        Cli edited = Cli.run("prove", "--model", model, "--input", input, "-o", proof);
        assertEquals(ExitCodes.USAGE, edited.exitCode(), edited::toString);
        assertTrue(edited.err().contains(count + " is corrupt"), edited::toString);
        Files.delete(count);
        Cli missing = Cli.run("prove", "--model", model, "--input", input, "-o", proof);
        assertEquals(ExitCodes.USAGE, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains(count + " is missing") && missing.err().contains("--reset-openings"), missing::toString);
        assertEquals(ExitCodes.USAGE, Cli.run("inspect", model).exitCode());
        Cli reset = Cli.run("prove", "--model", model, "--input", input, "-o", proof, "--reset-openings");
        assertEquals(0, reset.exitCode(), reset::toString);
        assertTrue(reset.err().contains("warning: --reset-openings"), reset::toString);
        assertTrue(units.getAsInt() > 2, "counted again from the bounds proof's units");

        Path plain = dir.resolve("gemm-plain");
        assertEquals(0, Cli.run("compile", onnx, "-c", calibration, "-o", plain, "--pcs-security", "conjectured", "--no-zk").exitCode());
        assertTrue(Files.notExists(plain.resolve(ModelDir.OPENINGS)), "no count for a model without zero knowledge");
        assertEquals(0, Cli.run("prove", "--model", plain, "--input", input, "-o", proof).exitCode());
        Cli inspectPlain = Cli.run("inspect", plain);
        assertEquals(0, inspectPlain.exitCode(), inspectPlain::toString);
        assertTrue(!inspectPlain.out().contains("openings   "), inspectPlain::toString);
    }

    /**
     * Rotation end to end: `rotate` rotates (no flag since the rotation is zero-knowledge, WhirRotationZeroKnowledgeTest); the model
     * keeps its id, `verify` accepts the proofs of every epoch (by the model directory and by a copied key file with its chain
     * beside it), `inspect` prints the epoch; a corrupt, foreign or missing rotation file is refused in one line, and without the
     * chain a later epoch's proof is invalid.
     */
    @Test void rotateKeepsTheModelIdAndVerifyAcceptsEveryEpoch() throws Exception {
        Path onnx = Files.write(dir.resolve("gemm.onnx"), gemm().toByteArray());
        Path calibration = Files.writeString(dir.resolve("calibration.json"), "{\"input_data\": [[0.5, -0.25, 0.75, 0.1, -0.6, 0.3, 0.9, -0.8]]}");
        Path input = Files.writeString(dir.resolve("input.json"), "{\"input_data\": [[0.4, -0.3, 0.7, 0.2, -0.5, 0.2, 0.8, -0.7]]}");
        Path model = dir.resolve("gemm-zk"), rotations = model.resolve(ModelDir.ROTATIONS);
        assertEquals(0, Cli.run("compile", onnx, "-c", calibration, "-o", model, "--zk", "--zk-openings", "8", "--pcs-security", "conjectured").exitCode());
        String id = Cli.run("inspect", model).out().lines().filter(l -> l.startsWith("model id")).findFirst().orElseThrow().split("\\s+")[2];
        Path first = dir.resolve("epoch0.bin");
        assertEquals(0, Cli.run("prove", "--model", model, "--input", input, "-o", first).exitCode());
        Cli rotated = Cli.run("rotate", "-m", model);
        assertEquals(0, rotated.exitCode(), rotated::toString);
        assertTrue(rotated.out().contains("rotated    weight commitment to epoch 1") && rotated.out().contains("model id   " + id), rotated::toString);
        Path last = dir.resolve("epoch1.bin");
        assertEquals(0, Cli.run("prove", "--model", model, "--input", input, "-o", last).exitCode());
        Cli inspect = Cli.run("inspect", model);
        assertTrue(inspect.out().contains("epoch      1 ") && inspect.out().contains("model id   " + id), inspect::toString);
        for (Path p : new Path[] {first, last}) {
            Cli verify = Cli.run("verify", "-m", model, "-p", p);
            assertEquals(0, verify.exitCode(), verify::toString);
        }
        assertTrue(Cli.run("verify", "-m", model, "-p", last).out().contains("rotation epoch 1 of 1"));
        Cli rotate = Cli.run("rotate", "-m", model);
        assertEquals(0, rotate.exitCode(), rotate::toString);
        assertTrue(rotate.out().contains("epoch 2"), rotate::toString);
        Path epoch2 = dir.resolve("epoch2.bin");
        assertEquals(0, Cli.run("prove", "--model", model, "--input", input, "-o", epoch2).exitCode());
        // A copied key file with its chain beside it verifies every epoch; without the chain only the registered one.
        Path vk = Files.copy(model.resolve(ModelDir.VERIFYING_KEY), dir.resolve("model.vk"));
        for (Path p : new Path[] {first, last, epoch2}) {
            assertEquals(p == first ? 0 : ExitCodes.INVALID, Cli.run("verify", "--vk", vk, "-p", p).exitCode());
        }
        Files.copy(rotations, dir.resolve("model.vk" + dev.verinfer.zkml.WeightRotations.SUFFIX));
        for (Path p : new Path[] {first, last, epoch2}) {
            Cli verify = Cli.run("verify", "--vk", vk, "-p", p);
            assertEquals(0, verify.exitCode(), verify::toString);
        }
        // A corrupt chain, one of another model, a missing one: refused in one line by prove, verify and inspect.
        byte[] chain = Files.readAllBytes(rotations);
        byte[] corrupt = chain.clone();
        corrupt[corrupt.length / 2] ^= 1;
        Files.write(rotations, corrupt);
        for (Cli c : new Cli[] {Cli.run("prove", "--model", model, "--input", input, "-o", dir.resolve("x.bin")), Cli.run("verify", "-m", model, "-p", epoch2),
                Cli.run("inspect", model)}) {
            assertEquals(ExitCodes.USAGE, c.exitCode(), c::toString);
            assertTrue(c.err().contains(rotations + " is not a valid weight rotation chain"), c::toString);
        }
        Path other = dir.resolve("other-zk");
        assertEquals(0, Cli.run("compile", onnx, "-c", calibration, "-o", other, "--zk", "--zk-openings", "8", "--pcs-security", "conjectured").exitCode());
        assertEquals(0, Cli.run("rotate", "-m", other).exitCode());
        Files.copy(other.resolve(ModelDir.ROTATIONS), rotations, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Cli foreign = Cli.run("verify", "-m", model, "-p", epoch2);
        assertEquals(ExitCodes.USAGE, foreign.exitCode(), foreign::toString);
        assertTrue(foreign.err().contains("weight rotations of model"), foreign::toString);
        Files.delete(rotations);
        Cli missing = Cli.run("prove", "--model", model, "--input", input, "-o", dir.resolve("x.bin"));
        assertEquals(ExitCodes.USAGE, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("rotation epoch 2") && missing.err().contains("missing or stale"), missing::toString);
        assertEquals(ExitCodes.INVALID, Cli.run("verify", "-m", model, "-p", epoch2).exitCode(), "no chain: a later epoch's proof is invalid");
        Files.write(rotations, chain);
        assertEquals(0, Cli.run("verify", "-m", model, "-p", epoch2).exitCode());
    }

    /**
     * `prove --rotate-when-spent`: proofs run until the count refuses one (naming `verinfer rotate -m DIR`); the same proof with the
     * flag rotates the weight commitment (epoch 1, the model id unchanged) and proves under the new one, which `verify -m DIR`
     * accepts at epoch 1; with units left the flag does not rotate.
     */
    @Test void proveRotatesTheSpentWeightCommitmentWhenAsked() throws Exception {
        Path onnx = Files.write(dir.resolve("gemm.onnx"), gemm().toByteArray());
        Path calibration = Files.writeString(dir.resolve("calibration.json"), "{\"input_data\": [[0.5, -0.25, 0.75, 0.1, -0.6, 0.3, 0.9, -0.8]]}");
        Path input = Files.writeString(dir.resolve("input.json"), "{\"input_data\": [[0.4, -0.3, 0.7, 0.2, -0.5, 0.2, 0.8, -0.7]]}");
        Path model = dir.resolve("gemm-zk"), proof = dir.resolve("proof.bin");
        assertEquals(0, Cli.run("compile", onnx, "-c", calibration, "-o", model, "--zk", "--zk-openings", "8", "--pcs-security", "conjectured").exitCode());
        String id = Cli.run("inspect", model).out().lines().filter(l -> l.startsWith("model id")).findFirst().orElseThrow().split("\\s+")[2];
        int proofs = 0;
        Cli prove;
        while ((prove = Cli.run("prove", "--model", model, "--input", input, "-o", proof)).exitCode() == 0) {
            assertTrue(++proofs < 64, "still proving past the budget");
        }
        assertTrue(prove.err().contains("verinfer rotate -m " + model.toAbsolutePath()) && prove.err().contains("--rotate-when-spent"), prove::toString);
        Cli rotating = Cli.run("prove", "--model", model, "--input", input, "-o", proof, "--rotate-when-spent");
        assertEquals(0, rotating.exitCode(), rotating::toString);
        assertTrue(rotating.out().contains("rotated    weight commitment to epoch 1") && rotating.out().contains("model id   " + id), rotating::toString);
        Cli verify = Cli.run("verify", "-m", model, "-p", proof);
        assertEquals(0, verify.exitCode(), verify::toString);
        assertTrue(verify.out().contains("rotation epoch 1 of 1"), verify::toString);
        Cli again = Cli.run("prove", "--model", model, "--input", input, "-o", proof, "--rotate-when-spent");
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(!again.out().contains("rotated") && Cli.run("inspect", model).out().contains("epoch      1 "), again::toString);
    }

    /**
     * A node touching private values without a zero-knowledge protocol (a Concat of the Gemm's private output with the public input:
     * a Gather mixing public and private sources has none yet) is refused by `compile` (zero knowledge is its default) and by
     * `compile --zk`, naming it and the opt-out, --no-zk, which compiles it; `inspect` says zero knowledge is not available.
     */
    @Test void aModelWithAnUncoveredNodeIsRefusedNamingItAndTheOptOut() throws Exception {
        Onnx.ModelProto.Builder m = gemm().toBuilder();
        m.getGraphBuilder().clearOutput().addNode(Onnx.NodeProto.newBuilder().setName("concat").setOpType("Concat").addInput("y").addInput("x").addOutput("m")
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("axis").setType(Onnx.AttributeProto.AttributeType.INT).setI(1)))
                .addOutput(value("m", 1, 12));
        Path onnx = Files.write(dir.resolve("gemm-concat.onnx"), m.build().toByteArray());
        Path calibration = Files.writeString(dir.resolve("calibration.json"), "{\"input_data\": [[0.5, -0.25, 0.75, 0.1, -0.6, 0.3, 0.9, -0.8]]}");
        for (Cli refused : new Cli[] {Cli.run("compile", onnx, "-c", calibration, "-o", dir.resolve("refused")),
                Cli.run("compile", onnx, "-c", calibration, "-o", dir.resolve("refused"), "--zk")}) {
            assertEquals(ExitCodes.UNSUPPORTED, refused.exitCode(), refused::toString);
            assertTrue(refused.err().contains("zero-knowledge proofs (the default) are not available for this model yet: node '"), refused::toString);
            assertTrue(refused.err().contains("reads private"), refused::toString);
            assertTrue(refused.err().contains("; --no-zk sets it up without zero knowledge"), refused::toString);
            assertTrue(Files.notExists(dir.resolve("refused")), "nothing written");
        }
        Cli plain = Cli.run("compile", onnx, "-c", calibration, "-o", dir.resolve("plain"), "--no-zk");
        assertEquals(0, plain.exitCode(), plain::toString);
        Cli inspect = Cli.run("inspect", onnx);
        assertTrue(inspect.out().contains("zk         NOT AVAILABLE YET, so compile refuses the model unless --no-zk ("), inspect::toString);
    }

    /** y = Gemm(x, W, b): x float [1, 8], W [8, 4], b [4] (the bias larger than the weights: a wider quantised bound). */
    private static Onnx.ModelProto gemm() {
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("g")
                .addNode(Onnx.NodeProto.newBuilder().setName("gemm").setOpType("Gemm").addInput("x").addInput("W").addInput("b").addOutput("y"))
                .addInitializer(floats("W", new float[] {0.3f, -0.2f, 0.5f, 0.1f, -0.4f, 0.25f, 0.15f, -0.35f, 0.2f, 0.45f, -0.1f, 0.05f,
                        -0.3f, 0.35f, 0.4f, -0.15f, 0.1f, -0.45f, 0.2f, 0.3f, 0.25f, 0.05f, -0.2f, 0.4f, -0.05f, 0.15f, 0.35f, -0.25f,
                        0.45f, -0.3f, 0.1f, 0.2f}, 8, 4))
                .addInitializer(floats("b", new float[] {1.5f, -2.0f, 0.75f, 3.0f}, 4))
                .addInput(value("x", 1, 8)).addOutput(value("y", 1, 4)).build();
        return Onnx.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(g).build();
    }

    private static Onnx.TensorProto floats(String name, float[] values, long... dims) {
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(1);
        for (long d : dims) {
            t.addDims(d);
        }
        for (float v : values) {
            t.addFloatData(v);
        }
        return t.build();
    }

    private static Onnx.ValueInfoProto value(String name, long... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name)
                .setType(Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build();
    }
}
