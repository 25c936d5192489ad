package dev.verinfer.zkml;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall-clock time of each proving phase, for benchmarks and profiling. Printed to stderr after each
 * proof when the system property {@code verinfer.trace} is set; always available from {@link #last()}.
 */
public final class ProverTrace {
    private static final ThreadLocal<Map<String, Long>> LAST = ThreadLocal.withInitial(LinkedHashMap::new);
    private final Map<String, Long> phases = new LinkedHashMap<>();
    private long mark = System.nanoTime();

    /** Ends the current phase under {@code name} (times accumulate per name). */
    void lap(String name) {
        long now = System.nanoTime();
        phases.merge(name, now - mark, Long::sum);
        mark = now;
    }

    void finish() {
        LAST.set(Map.copyOf(phases));
        if (System.getProperty("verinfer.trace") != null) {
            StringBuilder sb = new StringBuilder("verinfer prover phases (ms):");
            phases.forEach((k, v) -> sb.append(String.format(" %s=%.1f", k, v / 1e6)));
            System.err.println(sb);
        }
    }

    /** The phases of the last proof made by this thread, in nanoseconds, in order. */
    public static Map<String, Long> last() {
        return LAST.get();
    }
}
