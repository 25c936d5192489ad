package dev.verinfer.market;

/** A verifier's answer: valid, or invalid with the reason. */
public record Verdict(boolean valid, String reason) {
    public static Verdict ok() {
        return new Verdict(true, "");
    }

    public static Verdict invalid(String reason) {
        return new Verdict(false, reason);
    }
}
