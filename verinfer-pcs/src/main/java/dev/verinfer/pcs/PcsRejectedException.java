package dev.verinfer.pcs;

/** An opening proof that does not verify; the message says which check failed. */
public final class PcsRejectedException extends Exception {
    public PcsRejectedException(String message) {
        super(message);
    }
}
