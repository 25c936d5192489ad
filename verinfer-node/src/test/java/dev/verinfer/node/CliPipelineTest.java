package dev.verinfer.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline commands' (and bench's) usage errors (the chain itself is proven and checked in verinfer-pipeline's tests). */
class CliPipelineTest {
    @TempDir
    Path dir;

    @Test void usageErrors() throws Exception {
        Cli missing = Cli.run("pipeline", "verify", "--dir", dir);
        assertEquals(2, missing.exitCode(), missing::toString);
        assertTrue(missing.errorLine().contains("chain manifest not found: " + dir.resolve("chain.json")), missing::toString);
        Files.writeString(dir.resolve("chain.json"), "{\"models\": 3}");
        Cli corrupt = Cli.run("pipeline", "verify", "--dir", dir);
        assertEquals(2, corrupt.exitCode(), corrupt::toString);
        assertTrue(corrupt.errorLine().contains("is not a valid chain manifest"), corrupt::toString);
        Files.writeString(dir.resolve("chain.json"), "{\"models\": [{\"name\": \"../elsewhere\", \"key\": \"k.vk\"}], \"proofs\": []}");
        Cli traversal = Cli.run("pipeline", "verify", "--dir", dir, "--keys", dir);
        assertEquals(2, traversal.exitCode(), traversal::toString);
        assertTrue(traversal.errorLine().contains("model name '../elsewhere' is not a plain file name"), traversal::toString);
        Cli classifier = Cli.run("pipeline", "prove", "--classifier", "embedding_model", "--dir", dir);
        assertEquals(2, classifier.exitCode(), classifier::toString);
        assertTrue(classifier.errorLine().contains("--classifier must be alexa_v0.1 or hey_mycroft_v0.1, not embedding_model"), classifier::toString);
        Cli security = Cli.run("pipeline", "prove", "--pcs-security", "strong", "--dir", dir);
        assertEquals(2, security.exitCode(), security::toString);
        assertTrue(security.errorLine().contains("--pcs-security must be one of proven, proven-evm, proven-unique, conjectured, conjectured-evm, tensor-proven, tensor-conjectured, not 'strong'"), security::toString);
        // Zero knowledge is these commands' default too: a commitment without a hiding variant is refused up front, naming --no-zk.
        for (Cli tensor : new Cli[] {Cli.run("pipeline", "prove", "--pcs-security", "tensor-proven", "--dir", dir),
                Cli.run("pipeline", "workflow", "--pcs-security", "tensor-proven", "--dir", dir),
                Cli.run("bench", "alexa_v0.1", "--pcs-security", "proven,tensor-proven", "--out", dir)}) {
            assertEquals(2, tensor.exitCode(), tensor::toString);
            assertTrue(tensor.errorLine().contains("zero knowledge (the default) needs a hiding commitment and --pcs-security tensor-proven has none")
                    && tensor.errorLine().contains("; --no-zk sets it up without zero knowledge"), tensor::toString);
        }
        Cli plainRows = Cli.run("bench", "alexa_v0.1", "--no-zk", "--with-plain", "--out", dir);
        assertEquals(2, plainRows.exitCode(), plainRows::toString);
        assertTrue(plainRows.errorLine().contains("--with-plain adds plain rows beside the zero-knowledge ones"), plainRows::toString);
    }
}
