package dev.verinfer.market;

import java.util.List;
import java.util.Optional;

/**
 * The market's only view of proofs. Implementations must be deterministic (the ledger replays
 * them) and must not throw on bad input: a malformed proof is an invalid one.
 */
public interface ProofVerifier {
    /** The model id a verifying key defines; {@link IllegalArgumentException} with the reason if the key is malformed. */
    String modelId(byte[] verifyingKey);

    /**
     * Whether the key's proofs are zero-knowledge, its weights private (a model compiled with {@code --zk}):
     * nobody but its owner can re-run such a model, so the market takes only ZK requests for it. Called on a
     * key {@link #modelId} accepted.
     */
    boolean zeroKnowledge(byte[] verifyingKey);

    /** Whether {@code proof} proves {@code statement} under the registered verifying key. */
    Verdict verify(byte[] verifyingKey, Statement statement, byte[] proof);

    /**
     * Whether {@code proof} is one batch proof of all {@code statements} (public inputs and outputs,
     * one model): its i-th inference is statement i, and it holds exactly as many inferences.
     */
    Verdict verifyBatch(byte[] verifyingKey, List<Statement> statements, byte[] proof);

    /**
     * {@link #verify} under a private model's rotated weight commitments: {@code proof} is valid under any root of
     * {@code weightRotations} (a chain {@link #rotate} returned; empty: the registered root alone). A verifier without
     * rotations refuses every rotation ({@link #rotate}), so it only ever sees the empty chain.
     */
    default Verdict verify(byte[] verifyingKey, byte[] weightRotations, Statement statement, byte[] proof) {
        return weightRotations.length == 0 ? verify(verifyingKey, statement, proof) : Verdict.invalid("this verifier knows no weight rotations");
    }

    /** {@link #verifyBatch} under any root of {@code weightRotations}, as {@link #verify(byte[], byte[], Statement, byte[])}. */
    default Verdict verifyBatch(byte[] verifyingKey, byte[] weightRotations, List<Statement> statements, byte[] proof) {
        return weightRotations.length == 0 ? verifyBatch(verifyingKey, statements, proof) : Verdict.invalid("this verifier knows no weight rotations");
    }

    /**
     * The chain {@code weightRotations} (empty: the registered root alone) of a private model's weight commitment with one
     * more link, {@code fromRoot} → {@code nextRoot} proven by {@code proof}; {@link IllegalArgumentException} with the reason
     * if {@code fromRoot} is not the chain's current root or the link does not verify (another table, a tampered proof).
     */
    default byte[] rotate(byte[] verifyingKey, byte[] weightRotations, byte[] fromRoot, byte[] nextRoot, byte[] proof) {
        throw new IllegalArgumentException("this verifier does not verify weight rotations");
    }

    /**
     * Whether {@code input} (the {@link StatementCodec} encoding of a request's public input) has
     * the model's tensor count and sizes and every value within the bound the verifying key
     * declares for its input tensor: the cheap check the market makes where an input enters.
     */
    Verdict checkInput(byte[] verifyingKey, byte[] input);

    /**
     * The commitment roots (one per input tensor, as a proof with committed inputs states them) of
     * the opening {@code values}: the encoded input tensors, followed for a {@link #zeroKnowledge} key by
     * one seed per tensor, from which its hiding roots are derived ({@code Openings}); {@link IllegalArgumentException}
     * if it is not of the model's tensor count and sizes. Lets the ledger check a prover's claim about a committed input.
     */
    List<byte[]> inputRoots(byte[] verifyingKey, byte[] values);

    /**
     * Why output {@code output} of the producer model cannot feed input {@code input} of the consumer
     * model as a committed tensor (another shape or padded layout, another scale, a looser bound, or an
     * index the model does not have), or empty if it can: a workflow's links are checked with it
     * when submitted. {@link IllegalArgumentException} never: a malformed key is a reason.
     */
    Optional<String> linkFailure(byte[] producerKey, int output, byte[] consumerKey, int input);
}
