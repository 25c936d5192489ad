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
