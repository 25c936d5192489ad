package dev.verinfer.node;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The user's workflow on alexa_v0.1, in-process: compile → run → prove → verify, and the JSON forms. */
class CliWorkflowTest {
    private final Workspace w = Workspace.get();

    @Test void compileWritesAReadableModelDirectory() throws Exception {
        JsonNode s = Json.MAPPER.readTree(w.alexa.resolve("settings.json").toFile());
        assertEquals(64, s.get("modelId").asText().length());
        assertEquals("onnx::Flatten_0", s.get("inputs").get(0).get("name").asText());
        assertEquals("[1,16,96]", s.get("inputs").get(0).get("shape").toString());
        assertTrue(s.get("outputs").get(0).has("scale"));
        assertTrue(s.get("quantisation").has("weightBits"));
        assertTrue(s.get("accuracyVsOnnxRuntime").get("maxAbsError").asDouble() < 1e-2);
        assertTrue(Files.size(w.alexa.resolve("proving.key")) > Files.size(w.alexa.resolve("verifying.key")));
    }

    @Test void proofVerifies() {
        Cli r = Cli.run("verify", "--model", w.alexa, "--proof", w.proof);
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("result     VALID"), r::toString);
        assertTrue(r.out().contains("model id   " + settingsModelId()), r::toString);
        assertTrue(r.out().contains("input      'onnx::Flatten_0' [1, 16, 96]: 1536 values"), r::toString);
    }

    @Test void proofVerifiesWithTheVerifyingKeyFileAndMatchesTheInputAndTheRunOutput() {
        Path out = w.file("run-output.json");
        Cli run = Cli.run("run", "--model", w.alexa, "--input", w.input, "-o", out);
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("output     '13' [1, 1]: "), run::toString);
        Cli r = Cli.run("verify", "--vk", w.alexa.resolve("verifying.key"), "--proof", w.proof, "--input", w.input, "--output", out);
        assertEquals(0, r.exitCode(), r::toString);
    }

    /** A committed output: the proof states only its commitment, and --output is checked against it. */
    @Test void committedOutputIsCheckedAgainstItsCommitment() {
        Path proof = w.file("committed.proof");
        Cli prove = Cli.run("prove", "--model", w.alexa, "--input", w.input, "-o", proof, "--output-visibility", "committed");
        assertEquals(0, prove.exitCode(), prove::toString);
        assertTrue(prove.out().contains("committed  output 0 as "), prove::toString);
        Path out = w.file("committed-output.json");
        assertEquals(0, Cli.run("run", "--model", w.alexa, "--input", w.input, "-o", out).exitCode());
        Cli ok = Cli.run("verify", "--model", w.alexa, "--proof", proof, "--input", w.input, "--output", out);
        assertEquals(0, ok.exitCode(), ok::toString);
        assertTrue(ok.out().contains("output     0 committed: "), ok::toString);
        Path wrong = w.write("wrong-output.json", "{\"output_data\": [[0.5]]}");
        Cli bad = Cli.run("verify", "--model", w.alexa, "--proof", proof, "--output", wrong);
        assertEquals(1, bad.exitCode(), bad::toString);
        assertTrue(bad.out().contains("is not the one the proof commits to"), bad::toString);
    }

    /** A model compiled for the chain (proven-evm: proven's bounds at rate 1/32): another model id, a smaller proof, verified only under its own key. */
    @Test void provenEvmSecurityIsChosenAtCompileTime() throws Exception {
        provesAndVerifiesOnlyUnderItsOwnKey("proven-evm");
    }

    /** A model compiled for the chain on the conjectures (conjectured-evm: rate 1/128, Keccak-256 trees): another model id, a smaller proof, verified only under its own key. */
    @Test void conjecturedEvmSecurityIsChosenAtCompileTime() throws Exception {
        provesAndVerifiesOnlyUnderItsOwnKey("conjectured-evm");
    }

    /** A model compiled with conjectured commitment security: another model id, smaller proofs, and its settings say so. */
    @Test void conjecturedSecurityIsChosenAtCompileTime() throws Exception {
        provesAndVerifiesOnlyUnderItsOwnKey("conjectured");
        Cli bad = Cli.run("compile", w.alexaOnnx, "-c", w.calibration, "-o", w.file("x"), "--pcs-security", "hopeful");
        assertEquals(ExitCodes.USAGE, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("--pcs-security must be one of proven, proven-evm, proven-unique, conjectured"), bad::toString);
    }

    /**
     * Zero knowledge is chosen at compile time (the default; --no-zk for a plain key; the default compile end to end and a refused
     * model: ZeroKnowledgeCliTest, CliDemoTest); alexa_v0.1 and hey_mycroft_v0.1 (its spelled-out LayerNorm included) are covered
     * (inspect says zero knowledge is available; their zero-knowledge proofs: ZkAlexaProofTest, and hey_mycroft's measured through the
     * CLI in docs/proof-system.md); compile, inspect and verify say what a proof reveals.
     */
    @Test void zeroKnowledgeIsAChoiceAndProofsSayWhatTheyReveal() throws Exception {
        Cli openings = Cli.run("compile", w.alexaOnnx, "-c", w.calibration, "-o", w.file("alexa-openings"), "--no-zk", "--zk-openings", "16");
        assertEquals(ExitCodes.USAGE, openings.exitCode(), openings::toString);
        assertTrue(openings.err().contains("--zk-openings sizes the hiding weight commitment of a zero-knowledge model: a --no-zk key has none"), openings::toString);
        Cli few = Cli.run("compile", w.alexaOnnx, "-c", w.calibration, "-o", w.file("alexa-openings"), "--zk-openings", "3");
        assertEquals(ExitCodes.USAGE, few.exitCode(), few::toString);
        assertTrue(few.err().contains("--zk-openings: zero-knowledge weight opening budget 3 outside [4, 1048576]"), few::toString);
        Cli evm = Cli.run("compile", w.alexaOnnx, "-c", w.calibration, "-o", w.file("alexa-evm"), "--pcs-security", "conjectured-evm");
        assertEquals(ExitCodes.USAGE, evm.exitCode(), evm::toString);
        assertTrue(evm.err().contains("--pcs-security conjectured-evm is for plain keys verified on chain"), evm::toString);
        Cli tensor = Cli.run("compile", w.alexaOnnx, "-c", w.calibration, "-o", w.file("alexa-tensor"), "--pcs-security", "tensor-conjectured");
        assertEquals(ExitCodes.USAGE, tensor.exitCode(), tensor::toString);
        assertTrue(tensor.err().contains("--pcs-security tensor-conjectured has none: choose proven, proven-unique or conjectured; --no-zk sets it up without zero knowledge"),
                tensor::toString);
        Path dir = w.file("alexa-no-zk");
        Cli plain = Cli.run("compile", w.alexaOnnx, "-c", w.calibration, "-o", dir, "--no-zk", "--pcs-security", "conjectured");
        assertEquals(0, plain.exitCode(), plain::toString);
        assertTrue(plain.out().contains("reveals    " + dev.verinfer.zkml.ZeroKnowledge.NON_ZK_REVEALS), plain::toString);
        assertFalse(Json.MAPPER.readTree(dir.resolve("settings.json").toFile()).get("zeroKnowledge").asBoolean());
        Cli inspectKey = Cli.run("inspect", dir);
        assertTrue(inspectKey.out().contains("weights    not hidden: a plain key (compiled with --no-zk)"), inspectKey::toString);
        Cli verify = Cli.run("verify", "--model", w.alexa, "--proof", w.proof);
        assertTrue(verify.out().contains("reveals    not zero-knowledge (a --no-zk key): " + dev.verinfer.zkml.ZeroKnowledge.NON_ZK_REVEALS), verify::toString);
        Cli inspect = Cli.run("inspect", w.alexaOnnx);
        assertTrue(inspect.out().contains("zk         available, compile's default: proofs reveal " + dev.verinfer.zkml.ZeroKnowledge.ZK_REVEALS), inspect::toString);
        assertTrue(inspect.out().contains("no-zk      with --no-zk (a plain key): proofs reveal " + dev.verinfer.zkml.ZeroKnowledge.NON_ZK_REVEALS), inspect::toString);
        Cli inspectMycroft = Cli.run("inspect", w.dir.resolve("hey_mycroft_v0.1.onnx"));
        assertTrue(inspectMycroft.out().contains("zk         available, compile's default: proofs reveal " + dev.verinfer.zkml.ZeroKnowledge.ZK_REVEALS),
                inspectMycroft::toString);
    }

    /**
     * The opt-out is the plain key of before zero knowledge became the default, byte for byte: the workspace's alexa_v0.1, compiled
     * with --no-zk, has the model id, proving key and verifying key that the default compile (then plain) and an explicit --no-zk
     * wrote before the change (2026-12-05, commit 03035c4, the same calibration input). A plain setup draws no randomness, so any
     * difference is a change of the keys or of what --no-zk means.
     */
    @Test void theOptOutWritesThePlainKeyOfBeforeByteForByte() throws Exception {
        assertEquals("d296ded4ce27843682006d4a9ad76f2b5a68247d01d4b9fcb7a69e16baf99466", settingsModelId());
        assertEquals("4ef6704740e36dace62ddf289e9029f0dbf7df8133686b6f19536a84002995bd", sha256(w.alexa.resolve(ModelDir.PROVING_KEY)));
        assertEquals("51f206175005e0a0eaf5a93c782c18747b8b601bda9935e991c95415add7436a", sha256(w.alexa.resolve(ModelDir.VERIFYING_KEY)));
        assertFalse(Files.exists(w.alexa.resolve(ModelDir.OPENINGS)), "a plain key has no opening count");
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test void jsonOutputIsMachineReadable() throws Exception {
        Cli r = Cli.run("verify", "--model", w.alexa, "--proof", w.proof, "--json");
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertTrue(j.get("valid").asBoolean());
        assertEquals(settingsModelId(), j.get("statedModelId").asText());
        assertEquals(1536, j.get("inputs").get(0).get("raw").size());

        JsonNode run = Json.MAPPER.readTree(Cli.run("run", "--model", w.alexa, "--input", w.input, "--json").out());
        assertEquals(1, run.get("output_data").get(0).size());
        JsonNode inspect = Json.MAPPER.readTree(Cli.run("inspect", w.alexaOnnx, "--json").out());
        assertTrue(inspect.get("provable").asBoolean());
        assertEquals(3, inspect.get("ops").get("Gemm").asInt());
    }

    @Test void inspectListsOpsShapesAndSupport() {
        Cli r = Cli.run("inspect", w.alexaOnnx);
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("ops        Gemm ×3, Relu ×2"), r::toString);
        assertTrue(r.out().contains("import     all 7 nodes supported"), r::toString);
        assertTrue(r.out().contains("prover     provable"), r::toString);
        assertTrue(r.out().contains("memory     proving needs about 0.2 GB of Java heap (estimate)"), r::toString);
        assertTrue(r.out().contains("Gemm_1") && r.out().contains("[1, 128]"), r::toString);
    }

    /**
     * demo --chain: the same job settled by the market contract on an anvil node the demo starts; every transaction's gas printed. It
     * compiles plain and says why (the demo itself, in zero knowledge by default: CliDemoTest).
     */
    @Test void demoSettlesOnAnvilAndPrintsTheGasOfEachStep() throws Exception {
        Path dir = w.file("demo-chain");
        Cli r = Cli.run("demo", "--dir", dir, "--chain");
        assertEquals(0, r.exitCode(), r::toString);
        for (String step : List.of("deploy market", "deploy stage 3", "deploy session", "register key", "register model", "stake", "request", "lock",
                "post + verify", "post result", "settle")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(step + " ") && l.contains(" gas  block ")), () -> step + "\n" + r);
        }
        assertTrue(r.out().contains("no zero knowledge (--no-zk): the on-chain verifier session takes no zero-knowledge key"), r::toString);
        // The ZK request is paid in the transaction whose call verified the proof on chain (a proof the session refuses reverts or slashes).
        long verified = r.out().lines().filter(l -> l.startsWith("post + verify ")).mapToLong(l -> Long.parseLong(l.replaceAll("^post \\+ verify\\s+([0-9,]+) gas.*", "$1")
                .replace(",", ""))).findFirst().orElseThrow();
        assertTrue(verified > 1_000_000, "the proof's verification is in that transaction's gas: " + verified);
        assertTrue(r.out().contains("ZK request #1 SETTLED: ") && r.out().contains("OPTIMISTIC request #2 SETTLED: "), r::toString);
        assertTrue(r.out().contains(" to the prover, 50 royalty to the owner") && r.out().contains("same output, no challenge"), r::toString);
    }

    @Test void helpDocumentsTheExitCodes() {
        Cli r = Cli.run("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("2  usage or I/O error"), r::toString);
        Cli prove = Cli.run("prove", "--help");
        String help = prove.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("committed: it holds only a commitment to the output"), prove::toString);
    }

    @Test void benchMeasuresAlexaAndWritesJsonAndHtml() throws Exception {
        Path out = w.file("bench");
        // Zero-knowledge rows, bench's default: alexa_v0.1's zero-knowledge setup fits a 4 GB heap (its hiding run holds its
        // members' codewords softly; the whole bench passed at -Xmx4g -XX:+UseParallelGC, 2026-12-05), inside this JVM's 6 GB.
        Cli r = Cli.run("bench", "alexa_v0.1", "--runs", "1", "--warmup", "0", "--out", out, "--json");
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode alexa = Json.MAPPER.readTree(r.out()).get("results").get(0);
        assertEquals("verified", alexa.get("status").asText());
        assertEquals("proven+zk", alexa.get("commitmentSecurity").asText());
        assertTrue(alexa.get("setupMillis").asDouble() > 0, r::toString);
        assertTrue(alexa.get("proveMillis").asDouble() > 0 && alexa.get("proofBytes").asInt() > 0 && alexa.get("ortMillis").asDouble() > 0);
        assertTrue(alexa.get("peakProveHeapBytes").asLong() > 0 && alexa.get("proveOverOrt").asDouble() > 0);
        assertEquals("synthetic-speech-seed2-embeddings16", alexa.get("input").asText());
        try (var files = Files.list(out)) {
            assertEquals(3, files.filter(f -> f.toString().matches(".*bench-[0-9-]+\\.(json|md|html)")).count());
        }
        assertFalse(r.err().contains("Exception"), r::toString);
    }

    /**
     * alexa_v0.1 compiled plain at commitment security {@code label}: its settings say so, its model id is not the
     * default key's, and its proof is smaller than the default's, verifies under its key and not under the default's.
     */
    private void provesAndVerifiesOnlyUnderItsOwnKey(String label) throws Exception {
        Path dir = w.file("alexa-" + label);
        Cli compile = Cli.run("compile", w.alexaOnnx, "-c", w.calibration, "-o", dir, "--pcs-security", label, "--no-zk");
        assertEquals(0, compile.exitCode(), compile::toString);
        assertTrue(compile.out().contains("commitment security: " + label), compile::toString);
        JsonNode s = Json.MAPPER.readTree(dir.resolve("settings.json").toFile());
        assertEquals(label, s.get("commitmentSecurity").asText());
        assertFalse(s.get("modelId").asText().equals(settingsModelId()));
        Path proof = w.file(label + ".proof");
        assertEquals(0, Cli.run("prove", "--model", dir, "--input", w.input, "-o", proof).exitCode());
        assertTrue(Files.size(proof) < Files.size(w.proof), Files.size(proof) + " vs " + Files.size(w.proof));
        assertEquals(0, Cli.run("verify", "--model", dir, "--proof", proof).exitCode());
        Cli other = Cli.run("verify", "--model", w.alexa, "--proof", proof);
        assertEquals(1, other.exitCode(), other::toString);
    }

    private String settingsModelId() {
        try {
            return Json.MAPPER.readTree(w.alexa.resolve("settings.json").toFile()).get("modelId").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
