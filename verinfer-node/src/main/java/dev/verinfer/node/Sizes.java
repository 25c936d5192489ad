package dev.verinfer.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Human-readable byte counts. */
final class Sizes {
    private Sizes() {}

    static String bytes(long n) {
        if (n < 1024) return n + " B";
        if (n < 1024 * 1024) return String.format("%.1f KB", n / 1024.0);
        return String.format("%.1f MB", n / (1024.0 * 1024));
    }

    static String of(Path file) {
        try {
            return bytes(Files.size(file));
        } catch (IOException e) {
            return "?";
        }
    }
}
