package dev.verinfer.zkml;

/** The quantised graph uses an op (or a parameter of one) that the prover cannot prove yet; names the node. */
public final class UnsupportedGraphException extends RuntimeException {
    public UnsupportedGraphException(String message) {
        super(message);
    }
}
