package dev.verinfer.server;

/** A request the node refuses: the HTTP status and the one-line reason of the {@code ApiError} answer. */
final class ApiException extends RuntimeException {
    final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
