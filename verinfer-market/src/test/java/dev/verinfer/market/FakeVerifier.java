package dev.verinfer.market;

import dev.verinfer.ledger.Hash;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A stand-in verifier for rule tests: a proof is valid iff it is {@link #proofOf} the statement (or
 * {@link #batchProofOf} the batch); an input passes the input check unless it begins with
 * {@link #OUT_OF_RANGE}; a committed input's one root is {@link #root} of its values; a key beginning with
 * {@link #PRIVATE} is a private model's.
 */
final class FakeVerifier implements ProofVerifier {
    @Override
    public String modelId(byte[] verifyingKey) {
        if (verifyingKey.length == 0) {
            throw new IllegalArgumentException("malformed verifying key: empty");
        }
        return Hash.of(verifyingKey).hex();
    }

    /** The first byte of a stand-in key of a private (zero-knowledge) model. */
    static final byte PRIVATE = (byte) 0x5A;

    @Override
    public boolean zeroKnowledge(byte[] verifyingKey) {
        return verifyingKey[0] == PRIVATE;
    }

    @Override
    public Verdict verify(byte[] verifyingKey, Statement statement, byte[] proof) {
        return Arrays.equals(proof, proofOf(statement)) ? Verdict.ok() : Verdict.invalid("not a proof of this statement");
    }

    /** Stand-in keys carry no tensor formats: every link fits. */
    @Override
    public Optional<String> linkFailure(byte[] producerKey, int output, byte[] consumerKey, int input) {
        return Optional.empty();
    }

    @Override
    public Verdict verifyBatch(byte[] verifyingKey, List<Statement> statements, byte[] proof) {
        return Arrays.equals(proof, batchProofOf(statements)) ? Verdict.ok() : Verdict.invalid("not a proof of this batch");
    }

    /** The first byte of an input this verifier's model cannot take. */
    static final byte OUT_OF_RANGE = (byte) 0xFF;

    @Override
    public Verdict checkInput(byte[] verifyingKey, byte[] input) {
        return input.length > 0 && input[0] == OUT_OF_RANGE ? Verdict.invalid("input value out of its calibrated range") : Verdict.ok();
    }

    @Override
    public List<byte[]> inputRoots(byte[] verifyingKey, byte[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        return List.of(root(values));
    }

    static byte[] proofOf(Statement s) {
        Wire.Writer w = new Wire.Writer().str("fake-proof").str(s.modelId()).bytes(s.input());
        TxCodec.writeList(w, s.inputRoots());
        w.bytes(s.output());
        TxCodec.writeList(w, s.outputRoots());
        return Hash.of(w.toBytes()).bytes();
    }

    static byte[] batchProofOf(List<Statement> statements) {
        return Hash.of("fake-batch-proof".getBytes(StandardCharsets.US_ASCII), Hash.of(statements.stream().map(FakeVerifier::proofOf).toArray(byte[][]::new)).bytes()).bytes();
    }

    /** The root a fake committed output of {@code output} gets. */
    static byte[] root(byte[] output) {
        return Hash.of("fake-root".getBytes(StandardCharsets.US_ASCII), output).bytes();
    }
}
