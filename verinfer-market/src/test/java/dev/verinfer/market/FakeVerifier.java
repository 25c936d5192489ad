package dev.verinfer.market;

import dev.verinfer.ledger.Hash;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A stand-in verifier for rule tests: a proof is valid iff it is {@link #proofOf} the statement. */
final class FakeVerifier implements ProofVerifier {
    @Override
    public String modelId(byte[] verifyingKey) {
        if (verifyingKey.length == 0) {
            throw new IllegalArgumentException("malformed verifying key: empty");
        }
        return Hash.of(verifyingKey).hex();
    }

    @Override
    public Verdict verify(byte[] verifyingKey, Statement statement, byte[] proof) {
        return Arrays.equals(proof, proofOf(statement)) ? Verdict.ok() : Verdict.invalid("not a proof of this statement");
    }

    static byte[] proofOf(Statement s) {
        return Hash.of("fake-proof".getBytes(StandardCharsets.US_ASCII), s.modelId().getBytes(StandardCharsets.US_ASCII), s.input(), s.output()).bytes();
    }
}
