package dev.verinfer.market;

/**
 * The market's only view of proofs. Implementations must be deterministic (the ledger replays
 * them) and must not throw on bad input: a malformed proof is an invalid one.
 */
public interface ProofVerifier {
    /** The model id a verifying key defines; {@link IllegalArgumentException} with the reason if the key is malformed. */
    String modelId(byte[] verifyingKey);

    /** Whether {@code proof} proves {@code statement} under the registered verifying key. */
    Verdict verify(byte[] verifyingKey, Statement statement, byte[] proof);
}
