package dev.verinfer.sumcheck;

/** A sumcheck proof failed verification; the message says which check. */
public final class SumcheckRejectedException extends Exception {
    public SumcheckRejectedException(String message) {
        super(message);
    }
}
