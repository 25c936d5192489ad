package dev.verinfer.market;

/** How a request's result is verified. Durations are ledger time (block timestamps, milliseconds). */
public sealed interface Mode {
    /** The longest window a request may ask for (30 days), so that time arithmetic never overflows. */
    long MAX_WINDOW_MILLIS = 30L * 24 * 3600 * 1000;

    /** The proof comes with the result and is verified before payment. */
    record Zk() implements Mode {
    }

    /** The result stands after {@code windowMillis} unless challenged; a challenged prover must then prove it. */
    record Optimistic(long windowMillis) implements Mode {
        public Optimistic {
            if (windowMillis <= 0 || windowMillis > MAX_WINDOW_MILLIS) {
                throw new IllegalArgumentException("challenge window must lie in 1.." + MAX_WINDOW_MILLIS + " ms, not " + windowMillis);
            }
        }
    }

    /**
     * With probability {@code probabilityBps}/10000, drawn from the hash of a block sealed after the
     * result, a proof is demanded, due {@code windowMillis} after the draw.
     */
    record Sampled(int probabilityBps, long windowMillis) implements Mode {
        public Sampled {
            if (probabilityBps < 1 || probabilityBps > 10_000 || windowMillis <= 0 || windowMillis > MAX_WINDOW_MILLIS) {
                throw new IllegalArgumentException("sampling needs 1..10000 bps and a window of 1.." + MAX_WINDOW_MILLIS + " ms, not "
                        + probabilityBps + " bps, " + windowMillis + " ms");
            }
        }
    }
}
