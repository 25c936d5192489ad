package dev.verinfer.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A 'verinfer market' command in its own JVM (node, prover, watcher): started, its first stdout
 * line awaited, stopped by SIGTERM or SIGKILL. Its stderr goes to a file (a pipe may lose what a
 * shutdown hook writes last).
 */
final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final Path err;
    final String firstLine;

    private NodeProcess(List<String> args, Path err) throws Exception {
        this.err = err;
        // The whole 1 GB heap from the start and 4 MB G1 regions: proofs and feed pages of 0.5-2 MB are then not
        // humongous objects, each of which started a concurrent cycle (10 of the node's 22 collections in a 1,000-request load).
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms1g", "-Xmx1g", "-XX:G1HeapRegionSize=4m",
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "market"));
        // Extra JVM options for profiling (e.g. -XX:StartFlightRecording=filename=node-%p.jfr), before the main class.
        String extra = System.getProperty("verinfer.node.jvmArgs", "").strip();
        if (!extra.isEmpty()) cmd.addAll(cmd.indexOf("-cp"), List.of(extra.split("\\s+")));
        cmd.addAll(args);
        process = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile())).start();
        BlockingQueue<String> out = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) out.add(line);
            } catch (IOException e) {
                // the process ended
            }
        });
        String line = out.poll(90, TimeUnit.SECONDS);
        if (line == null) {
            process.destroyForcibly();
            throw new AssertionError("'market " + String.join(" ", args) + "' printed nothing; stderr: " + stderr());
        }
        firstLine = line;
    }

    /** {@code verinfer market ARGS...} with its stderr appended to {@code err}, once it printed its first line. */
    static NodeProcess start(Path err, Object... args) throws Exception {
        List<String> a = new ArrayList<>();
        for (Object o : args) a.add(String.valueOf(o));
        return new NodeProcess(a, err);
    }

    /** The API's address, from a node's "node listening on URL (...)" line. */
    URI uri() {
        if (!firstLine.startsWith("node listening on ")) throw new AssertionError("not a node: " + firstLine + "; stderr: " + stderr());
        return URI.create(firstLine.split(" ")[3]);
    }

    String stderr() {
        try {
            return Files.readString(err).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CPU time the process has used so far, in milliseconds (0 if the system does not tell). */
    long cpuMillis() {
        return process.info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(0L);
    }

    /** SIGKILL, no chance to clean up. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM; returns the exit code, failing if the process does not stop within 30 s. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("no clean stop within 30 s after SIGTERM; stderr: " + stderr());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill9();
    }
}
