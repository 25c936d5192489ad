package dev.verinfer.node;

import dev.verinfer.zkml.ProvingKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The proving keys a prover or watcher serves: one model directory, or every model directory inside a directory. */
final class ModelKeys {
    private ModelKeys() {}

    static List<ProvingKey> load(Path dir) {
        return dirs(dir).stream().map(ModelDir::provingKey).toList();
    }

    /** The model directories {@link #load} reads: {@code dir} itself, or those inside it. */
    static List<ModelDir> dirs(Path dir) {
        if (Files.isRegularFile(dir.resolve(ModelDir.PROVING_KEY))) {
            return List.of(ModelDir.open(dir));
        }
        if (!Files.isDirectory(dir)) {
            throw new CliException(ExitCodes.USAGE, "model directory not found: " + dir + " (create one with 'verinfer compile')");
        }
        try (Stream<Path> children = Files.list(dir)) {
            List<ModelDir> keys = children.filter(d -> Files.isRegularFile(d.resolve(ModelDir.PROVING_KEY))).sorted()
                    .map(ModelDir::open).toList();
            if (keys.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, dir + " holds no model directory (with a " + ModelDir.PROVING_KEY + "); create one with 'verinfer compile'");
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
