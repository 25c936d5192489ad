package dev.verinfer.model;

/** The bytes are not a well-formed ONNX model (malformed or truncated protobuf, bad tensor data). */
public final class ModelFormatException extends RuntimeException {
    public ModelFormatException(String message) { super(message); }
    public ModelFormatException(String message, Throwable cause) { super(message, cause); }
}
