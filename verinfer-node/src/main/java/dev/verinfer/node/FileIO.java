package dev.verinfer.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** File reads and writes whose failures are one clear line naming the file and what it was for. */
final class FileIO {
    private FileIO() {}

    static byte[] read(Path file, String what) {
        if (!Files.exists(file)) throw new CliException(ExitCodes.USAGE, what + " not found: " + file);
        if (Files.isDirectory(file)) throw new CliException(ExitCodes.USAGE, what + " " + file + " is a directory, not a file");
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + what + " " + file + ": " + e, e);
        }
    }

    static void write(Path file, byte[] bytes, String what) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot write " + what + " " + file + ": " + e, e);
        }
    }
}
