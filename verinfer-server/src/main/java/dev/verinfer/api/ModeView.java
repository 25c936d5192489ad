package dev.verinfer.api;

import dev.verinfer.market.Mode;

/** A verification mode: {@code zk}; {@code optimistic} with its challenge window; {@code sampled} with its probability and proof window. */
public record ModeView(String kind, Long windowMillis, Integer probabilityBps) {
    public static ModeView of(Mode mode) {
        return switch (mode) {
            case Mode.Zk() -> new ModeView("zk", null, null);
            case Mode.Optimistic(long window) -> new ModeView("optimistic", window, null);
            case Mode.Sampled(int bps, long window) -> new ModeView("sampled", window, bps);
        };
    }

    /** The mode; {@link IllegalArgumentException} if the document does not describe one. */
    public Mode toMode() {
        return switch (kind == null ? "" : kind) {
            case "zk" -> new Mode.Zk();
            case "optimistic" -> new Mode.Optimistic(require(windowMillis, "windowMillis"));
            case "sampled" -> new Mode.Sampled(require(probabilityBps, "probabilityBps"), require(windowMillis, "windowMillis"));
            default -> throw new IllegalArgumentException("mode kind must be zk, optimistic or sampled, not '" + kind + "'");
        };
    }

    private <T> T require(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("a " + kind + " mode needs " + field);
        }
        return value;
    }
}
