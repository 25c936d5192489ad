package dev.verinfer.node;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Running out of heap is an error with one line and its own exit code, never a stack trace. */
class CliOutOfMemoryTest {
    private final Workspace w = Workspace.get();

    @Test void provingWithTooSmallAHeapExitsSixWithOneLine() throws Exception {
        // alexa's prover peaks near 140 MB of heap: 48 MB is enough to start and load the key, not to prove
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m",
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                "-Dverinfer.repo.root=" + System.getProperty("verinfer.repo.root", ""),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "prove", "--model", w.alexa.toString(), "--input", w.input.toString(), "-o", w.file("oom.proof").toString()));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes()), err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "verinfer did not finish");
        assertEquals(ExitCodes.OUT_OF_MEMORY, p.exitValue(), out + err);
        assertTrue(err.startsWith("verinfer: error: out of memory while "), err);
        assertTrue(err.contains("VERINFER_JAVA_OPTS=-Xmx") && err.contains("GB"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }

    @Test void theMessageNamesTheStepTheHeapAndTheRemedy() {
        String m = BaseCommand.outOfMemory("proving", 4L << 30);
        assertEquals("out of memory while proving: the Java heap is limited to 4.0 GB; give it more, e.g. VERINFER_JAVA_OPTS=-Xmx8g ./verinfer ... "
                + "('verinfer inspect MODEL.onnx' estimates what proving needs)", m);
    }
}
