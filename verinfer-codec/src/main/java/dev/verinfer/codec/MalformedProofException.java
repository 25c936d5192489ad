package dev.verinfer.codec;

/** Bytes that do not decode to a well-formed message: truncated, oversized, non-canonical or of another version. */
public final class MalformedProofException extends Exception {
    public MalformedProofException(String message) {
        super(message);
    }
}
