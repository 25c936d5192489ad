package dev.verinfer.model;

/** A well-formed model uses an operator, attribute or attribute value verinfer cannot prove. */
public final class UnsupportedModelException extends RuntimeException {
    public UnsupportedModelException(String message) { super(message); }

    /** Message names the node, its op type and what is missing. */
    public static UnsupportedModelException of(String node, String opType, String what) {
        return new UnsupportedModelException("node '" + node + "' (" + opType + "): " + what);
    }
}
