package dev.verinfer.logup;

/** A LogUp proof failed verification; the message says which check. */
public final class LogUpRejectedException extends Exception {
    public LogUpRejectedException(String message) {
        super(message);
    }

    public LogUpRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
