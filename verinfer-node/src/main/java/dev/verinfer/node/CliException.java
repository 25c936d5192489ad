package dev.verinfer.node;

/** A failure the user can act on: one line of message and the exit code of {@link ExitCodes}. */
final class CliException extends RuntimeException {
    final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }
}
