package dev.verinfer.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline commands' usage errors (the chain itself is proven and checked in verinfer-pipeline's tests). */
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
        assertTrue(security.errorLine().contains("--pcs-security must be one of proven, proven-unique, conjectured, tensor-proven, tensor-conjectured, not 'strong'"), security::toString);
    }
}
