package dev.verinfer.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One workspace shared by all tests of this module (compiling and proving are the slow parts): the real
 * model alexa_v0.1 with its realistic inputs, compiled, with a proof of its input; and hey_mycroft_v0.1
 * compiled, as "another model". Both are compiled with --no-zk: plain keys, as the tests of OPTIMISTIC and SAMPLED
 * requests and of the on-chain verifier need (zero knowledge, compile's default: ZeroKnowledgeCliTest, CliDemoTest).
 */
final class Workspace {
    final Path dir;
    final Path alexaOnnx, calibration, input, alexa, proof, heyMycroft;

    private static Workspace shared;

    private Workspace(Path dir) {
        this.dir = dir;
        alexaOnnx = dir.resolve("alexa_v0.1.onnx");
        calibration = dir.resolve("alexa_v0.1.calibration.json");
        input = dir.resolve("alexa_v0.1.input.json");
        alexa = dir.resolve("alexa");
        proof = dir.resolve("alexa.proof");
        heyMycroft = dir.resolve("hey_mycroft");
    }

    static synchronized Workspace get() {
        if (shared == null) shared = create();
        return shared;
    }

    private static Workspace create() {
        try {
            Workspace w = new Workspace(Files.createTempDirectory("verinfer-cli-test"));
            expectOk(Cli.run("fetch", "alexa_v0.1", "hey_mycroft_v0.1", "-o", w.dir, "--quiet"));
            expectOk(Cli.run("compile", w.alexaOnnx, "--calibration", w.calibration, "-o", w.alexa, "--no-zk"));
            expectOk(Cli.run("prove", "--model", w.alexa, "--input", w.input, "-o", w.proof));
            expectOk(Cli.run("compile", w.dir.resolve("hey_mycroft_v0.1.onnx"), "--calibration", w.dir.resolve("hey_mycroft_v0.1.calibration.json"),
                    "-o", w.heyMycroft, "--no-zk"));
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void expectOk(Cli r) {
        if (r.exitCode() != 0) throw new AssertionError("workspace setup failed: " + r);
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    Path write(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path write(String name, String text) {
        return write(name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
