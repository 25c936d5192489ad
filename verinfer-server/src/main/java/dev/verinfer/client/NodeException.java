package dev.verinfer.client;

/** The node refused a call (status and its one-line reason), or could not be reached (status 0). */
public final class NodeException extends RuntimeException {
    private final int status;

    public NodeException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status; 0 when the node could not be reached. */
    public int status() {
        return status;
    }
}
