package dev.verinfer.market;

/**
 * A prover's measured proving times of one model, fitted by least squares as {@code ms = fixed + perInference * B}
 * over the latest {@link #KEPT} proofs (B inferences each): the fixed part is what a batch proof costs whatever its
 * size (alexa_v0.1, warm: 120 ms CPU for one inference, 180 ms for 32, 360 ms for 128). Thread-safe.
 */
final class ProofCosts {
    static final int KEPT = 32;

    private final long[] sizes = new long[KEPT];
    private final long[] millis = new long[KEPT];
    private int count;

    synchronized void add(int inferences, long ms) {
        sizes[count % KEPT] = inferences;
        millis[count % KEPT] = ms;
        count++;
    }

    /**
     * The fitted fixed cost in ms, clamped to [0, the fastest proof kept]; with fewer than two batch sizes kept (no
     * line to fit) the fastest proof; -1 before any proof.
     */
    synchronized long fixedMillis() {
        int n = Math.min(count, KEPT);
        if (n == 0) {
            return -1;
        }
        double sb = 0, st = 0, sbb = 0, sbt = 0;
        long fastest = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            sb += sizes[i];
            st += millis[i];
            sbb += (double) sizes[i] * sizes[i];
            sbt += (double) sizes[i] * millis[i];
            fastest = Math.min(fastest, millis[i]);
        }
        double spread = n * sbb - sb * sb;
        if (spread <= 0) {
            return fastest;
        }
        double slope = (n * sbt - sb * st) / spread;
        double intercept = (st - slope * sb) / n;
        return Math.clamp(Math.round(intercept), 0, fastest);
    }
}
