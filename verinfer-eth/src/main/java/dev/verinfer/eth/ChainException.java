package dev.verinfer.eth;

/** A chain call that failed: a transaction the contract refused (its decoded custom error), or a node that did not answer. The message is one line. */
public final class ChainException extends RuntimeException {
    private final String error;

    ChainException(String error, String message) {
        super(message);
        this.error = error;
    }

    ChainException(String message, Throwable cause) {
        super(message, cause);
        this.error = "";
    }

    /** Whether the node did not answer (down, unreachable): nothing was decided, try again later. */
    public boolean unreachable() {
        return getCause() instanceof java.io.IOException;
    }

    /** The contract's custom error name (e.g. {@code WrongStatus}), or empty when the failure is not a refusal by a contract. */
    public String error() {
        return error;
    }
}
