package dev.verinfer.node;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI as its own JVM process, as users and scripts run it: exit codes and streams. */
class CliSubprocessTest {
    private final Workspace w = Workspace.get();

    record Run(int exitCode, String out, String err) {}

    static Run verinfer(Object... args) throws Exception {
        return verinferWithin(120, args);
    }

    /** As {@link #verinfer(Object...)}, given {@code seconds} to finish, in a JVM of the default heap (a quarter of the machine's memory, as the launcher). */
    static Run verinferWithin(long seconds, Object... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                "-Dverinfer.repo.root=" + System.getProperty("verinfer.repo.root", ""),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        for (Object a : args) cmd.add(String.valueOf(a));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), "verinfer did not finish");
        return new Run(p.exitValue(), new String(out), new String(err));
    }

    @Test void validProofExitsZero() throws Exception {
        Run r = verinfer("verify", "--model", w.alexa, "--proof", w.proof);
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("result     VALID"), r::toString);
        assertEquals("", r.err(), "no progress display or warnings when not on a terminal");
    }

    @Test void tamperedProofExitsOne() throws Exception {
        byte[] proof = Files.readAllBytes(w.proof);
        proof[proof.length - 100] ^= 0x01;
        Run r = verinfer("verify", "--model", w.alexa, "--proof", w.write("sub-tampered.proof", proof));
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.out().contains("result     INVALID: "), r::toString);
    }

    @Test void missingFileExitsTwoWithOneLine() throws Exception {
        Run r = verinfer("prove", "--model", w.alexa, "--input", w.file("absent.json"), "-o", w.file("absent.proof"));
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("verinfer: error: input file not found: " + w.file("absent.json"), r.err().strip());
    }
}
