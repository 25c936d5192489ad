package dev.verinfer.node;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `verinfer demo`, the README's first command, on the real alexa_v0.1. By default in zero knowledge, as `compile`: a hiding weight
 * commitment, the proof verified, both tampered proofs rejected, the inference settled in ZK mode on the embedded ledger, exit 0; run
 * as users run it, in a JVM of its own with the default heap (the zero-knowledge setup's peak heap is several GB: beside the other
 * tests in this JVM it could fail where the command does not). The demo's proofs are counted in the opening count beside the key
 * it leaves, and `verify` of its proof says zero-knowledge. `--no-zk` runs the plain demo; `--chain` settles an OPTIMISTIC request,
 * so it compiles plain (CliWorkflowTest) and refuses `--zk`, saying why.
 */
class CliDemoTest {
    @TempDir Path dir;

    @Test void theDemoProvesVerifiesAndSettlesInZeroKnowledgeByDefault() throws Exception {
        Path zk = dir.resolve("zk");
        CliSubprocessTest.Run demo = CliSubprocessTest.verinferWithin(900, "demo", "--dir", zk, "--json");
        assertEquals(0, demo.exitCode(), demo::toString);
        JsonNode report = Json.MAPPER.readTree(demo.out());
        assertTrue(report.get("zeroKnowledge").asBoolean(), demo::toString);
        assertTrue(report.get("honestProofValid").asBoolean() && report.get("tamperedProofsRejected").asBoolean(), demo::toString);
        assertTrue(report.get("settlement").asText().contains("paid on the embedded ledger"), demo::toString);
        Path model = zk.resolve("alexa_v0.1");
        Cli inspect = Cli.run("inspect", model);
        assertTrue(inspect.out().contains("weights    hidden: a zero-knowledge key (compile's default)"), inspect::toString);
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("openings   (\\d+) of").matcher(inspect.out());
        assertTrue(used.find() && Integer.parseInt(used.group(1)) >= 2 + 2, "the bounds proof and the demo's two proofs counted: " + inspect);
        Cli verify = Cli.run("verify", "--model", model, "--proof", zk.resolve("proof.bin"), "--input", zk.resolve("input.json"));
        assertEquals(0, verify.exitCode(), verify::toString);
        assertTrue(verify.out().contains("reveals    zero-knowledge: "), verify::toString);
    }

    @Test void theOptOutRunsThePlainDemoAndTheChainDemoRefusesZeroKnowledge() {
        Cli plain = Cli.run("demo", "--dir", dir.resolve("plain"), "--no-zk");
        assertEquals(0, plain.exitCode(), plain::toString);
        assertTrue(plain.out().contains("no zero knowledge (--no-zk): proofs reveal linear information about the weights and activations"), plain::toString);
        assertTrue(plain.out().contains("VALID") && plain.out().contains("REJECTED: ")
                && plain.out().contains("paid on the embedded ledger"), plain::toString);
        Cli inspect = Cli.run("inspect", dir.resolve("plain").resolve("alexa_v0.1"));
        assertTrue(inspect.out().contains("weights    not hidden: a plain key (compiled with --no-zk)"), inspect::toString);

        Cli chain = Cli.run("demo", "--dir", dir.resolve("chain"), "--chain", "--zk");
        assertEquals(ExitCodes.USAGE, chain.exitCode(), chain::toString);
        assertTrue(chain.errorLine().contains("--chain settles an OPTIMISTIC request, which a private (zero-knowledge) model does not take"), chain::toString);
    }
}
