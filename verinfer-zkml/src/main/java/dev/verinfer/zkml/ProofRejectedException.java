package dev.verinfer.zkml;

/** The verifier's verdict that a proof does not establish its statement, with the reason. */
public final class ProofRejectedException extends Exception {
    public ProofRejectedException(String reason) {
        super(reason);
    }

    public ProofRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
