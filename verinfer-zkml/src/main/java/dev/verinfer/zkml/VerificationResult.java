package dev.verinfer.zkml;

/** The verifier's answer: valid, or invalid with the reason; the statement when it could be read. */
public record VerificationResult(boolean valid, String reason, PublicStatement statement) {
    static VerificationResult accept(PublicStatement statement) {
        return new VerificationResult(true, "valid", statement);
    }

    static VerificationResult reject(String reason, PublicStatement statement) {
        return new VerificationResult(false, reason, statement);
    }
}
