package dev.verinfer.server;

import dev.verinfer.ledger.Hash;
import dev.verinfer.market.ProofVerifier;
import dev.verinfer.market.Statement;
import dev.verinfer.market.Verdict;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The API's tests need no real proofs: a model id is the key's hash; a proof is valid iff it is
 * {@link #PROOF}; an input is refused iff it begins with 0xFF; a committed input's root is its hash.
 */
final class StubVerifier implements ProofVerifier {
    static final byte[] PROOF = {1, 2, 3};

    @Override
    public String modelId(byte[] verifyingKey) {
        if (verifyingKey.length == 0) {
            throw new IllegalArgumentException("malformed verifying key: empty");
        }
        return Hash.of(verifyingKey).hex();
    }

    @Override
    public boolean zeroKnowledge(byte[] verifyingKey) {
        return false;
    }

    @Override
    public Verdict verify(byte[] verifyingKey, Statement statement, byte[] proof) {
        return Arrays.equals(proof, PROOF) ? Verdict.ok() : Verdict.invalid("not the stub proof");
    }

    /** Stand-in keys carry no tensor formats: every link fits. */
    @Override
    public Optional<String> linkFailure(byte[] producerKey, int output, byte[] consumerKey, int input) {
        return Optional.empty();
    }

    @Override
    public Verdict verifyBatch(byte[] verifyingKey, List<Statement> statements, byte[] proof) {
        return Arrays.equals(proof, PROOF) ? Verdict.ok() : Verdict.invalid("not the stub proof");
    }

    @Override
    public Verdict checkInput(byte[] verifyingKey, byte[] input) {
        return input.length > 0 && input[0] == (byte) 0xFF ? Verdict.invalid("input out of the model's calibrated range") : Verdict.ok();
    }

    @Override
    public List<byte[]> inputRoots(byte[] verifyingKey, byte[] values) {
        return List.of(Hash.of(values).bytes());
    }
}
