package dev.verinfer.market;

/** How a request's result is verified. Durations are ledger time (block timestamps, milliseconds). */
public sealed interface Mode {
    /** The proof comes with the result and is verified before payment. */
    record Zk() implements Mode {
    }

    /** The result stands after {@code windowMillis} unless challenged; a challenged prover must then prove it. */
    record Optimistic(long windowMillis) implements Mode {
        public Optimistic {
            if (windowMillis <= 0) {
                throw new IllegalArgumentException("challenge window must be positive, not " + windowMillis);
            }
        }
    }

    /**
     * With probability {@code probabilityBps}/10000, drawn from the hash of a block sealed after the
     * result, a proof is demanded, due {@code windowMillis} after the draw.
     */
    record Sampled(int probabilityBps, long windowMillis) implements Mode {
        public Sampled {
            if (probabilityBps < 1 || probabilityBps > 10_000 || windowMillis <= 0) {
                throw new IllegalArgumentException("sampling needs 1..10000 bps and a positive window, not " + probabilityBps + " bps, " + windowMillis + " ms");
            }
        }
    }
}
