package dev.verinfer.model;

/** A model input is missing, has the wrong shape, or holds NaN or infinite values. */
public final class InvalidInputException extends IllegalArgumentException {
    public InvalidInputException(String message) { super(message); }
}
