package dev.verinfer.zkml;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall-clock time and proof bytes of each proving phase, for benchmarks and profiling. Printed to
 * stderr after each proof when the system property {@code verinfer.trace} is set; always available
 * from {@link #last()}.
 */
public final class ProverTrace {
    /** One phase: nanoseconds spent and proof bytes written. */
    public record Phase(long nanos, long bytes) {
        Phase plus(Phase o) {
            return new Phase(nanos + o.nanos, bytes + o.bytes);
        }
    }

    private static final ThreadLocal<Map<String, Phase>> LAST = ThreadLocal.withInitial(LinkedHashMap::new);
    private final Map<String, Phase> phases = new LinkedHashMap<>();
    private final dev.verinfer.codec.ProofWriter out;
    private long mark = System.nanoTime();
    private long bytes;

    ProverTrace(dev.verinfer.codec.ProofWriter out) {
        this.out = out;
    }

    /** Ends the current phase under {@code name} (phases of the same name accumulate). */
    void lap(String name) {
        long now = System.nanoTime();
        phases.merge(name, new Phase(now - mark, out.size() - bytes), Phase::plus);
        mark = now;
        bytes = out.size();
    }

    /** Records the bytes of a part of the phase just ended (no time of its own; the parts are inside that phase's bytes). */
    void part(String name, long partBytes) {
        phases.merge(name, new Phase(0, partBytes), Phase::plus);
    }

    void finish() {
        LAST.set(new LinkedHashMap<>(phases));
        if (System.getProperty("verinfer.trace") != null) {
            StringBuilder sb = new StringBuilder("verinfer prover phases (ms/KB):");
            phases.forEach((k, v) -> sb.append(String.format(" %s=%.1f/%.0f", k, v.nanos() / 1e6, v.bytes() / 1024.0)));
            System.err.println(sb);
        }
    }

    /** The phases of the last proof made by this thread, in order. */
    public static Map<String, Phase> last() {
        return LAST.get();
    }
}
