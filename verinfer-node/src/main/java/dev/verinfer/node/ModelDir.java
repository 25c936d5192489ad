package dev.verinfer.node;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.VerifyingKey;

import java.nio.file.Files;
import java.nio.file.Path;

/** A compiled model directory: proving.key, verifying.key and settings.json. */
record ModelDir(Path dir) {
    static final String PROVING_KEY = "proving.key", VERIFYING_KEY = "verifying.key", SETTINGS = "settings.json";

    /** An existing model directory (checked). */
    static ModelDir open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CliException(ExitCodes.USAGE, "model directory not found: " + dir + " (create one with 'verinfer compile')");
        }
        return new ModelDir(dir);
    }

    void write(ProvingKey pk, Settings settings) {
        FileIO.write(dir.resolve(PROVING_KEY), pk.toBytes(), "proving key");
        FileIO.write(dir.resolve(VERIFYING_KEY), pk.verifyingKey().toBytes(), "verifying key");
        FileIO.write(dir.resolve(SETTINGS), Json.bytes(settings), "settings");
    }

    ProvingKey provingKey() {
        Path file = dir.resolve(PROVING_KEY);
        byte[] bytes = FileIO.read(file, "proving key");
        try {
            return ProvingKey.fromBytes(bytes);
        } catch (MalformedProofException | RuntimeException e) {
            throw new CliException(ExitCodes.USAGE, file + " is not a valid proving key: " + e.getMessage(), e);
        }
    }

    VerifyingKey verifyingKey() {
        return readVerifyingKey(dir.resolve(VERIFYING_KEY));
    }

    static VerifyingKey readVerifyingKey(Path file) {
        byte[] bytes = FileIO.read(file, "verifying key");
        try {
            return VerifyingKey.fromBytes(bytes);
        } catch (MalformedProofException | RuntimeException e) {
            throw new CliException(ExitCodes.USAGE, file + " is not a valid verifying key: " + e.getMessage(), e);
        }
    }
}
