package dev.verinfer.market;

import java.util.List;

/** What provers and watchers run: a model on a request's input (both in {@link StatementCodec} encoding). */
public interface InferenceService {
    /** The encoded output of the model on the encoded input. */
    byte[] output(String modelId, byte[] input);

    /** A proof that the model maps the input to {@link #output}, bound to {@code context} (a {@link ProofContext}). */
    byte[] prove(String modelId, byte[] input, byte[] context);

    /**
     * One batch proof of the model on {@code inputs} (2 or more), inference k on input k, bound to
     * {@code context} ({@link ProofContext#batch}): what a {@link Tx.SubmitBatchResult} carries.
     */
    byte[] proveBatch(String modelId, List<byte[]> inputs, byte[] context);

    /**
     * Why it would refuse to prove the model now, naming how to go on, or empty: a private model whose weight commitment's
     * opening count is spent (verinfer-zkml {@code WeightOpeningLedger.refusal}: rotate the commitment and post the link,
     * {@link Tx.RotateWeights}). A prover locks none of the model's requests meanwhile, rather than lose their collateral.
     */
    default java.util.Optional<String> refusal(String modelId) {
        return java.util.Optional.empty();
    }

    /** The most inferences one batch proof of the model may hold (its verifier refuses more). */
    default int maxBatch(String modelId) {
        return Integer.MAX_VALUE;
    }

    /**
     * A proof with committed tensors: the output tensors' values, their roots if committed (else empty), the secret seeds
     * of hiding output roots (a private model's, one per output; else empty), the proof.
     */
    record Committed(List<long[]> outputs, List<byte[]> outputRoots, List<byte[]> outputSeeds, byte[] proof) {
        public Committed {
            outputs = outputs.stream().map(long[]::clone).toList();
            outputRoots = outputRoots.stream().map(byte[]::clone).toList();
            outputSeeds = outputSeeds.stream().map(byte[]::clone).toList();
            proof = proof.clone();
        }
    }

    /**
     * A proof of the model on {@code input} whose input tensors and/or output tensors are stated as
     * commitment roots instead of values (a workflow step's), bound to {@code context}. A private model's
     * committed input is opened from {@code inputSeeds}, one per input tensor (the roots are hiding:
     * {@code TensorCommitments.hiding}); empty otherwise. A private model's committed outputs get fresh seeds,
     * returned with the result for the consumer's prover.
     */
    default Committed proveCommitted(String modelId, byte[] input, List<byte[]> inputSeeds, boolean inputCommitted, boolean outputCommitted, byte[] context) {
        throw new UnsupportedOperationException("this inference service proves public inputs and outputs only");
    }

    /**
     * The market's input check on an encoded input (tensor count, sizes, declared bounds: {@link ProofVerifier#checkInput}), which
     * a prover runs before it claims an input unprovable: the claim puts a committed input on the ledger, so it is made only for
     * one the ledger will find at fault. By default valid (no claim).
     */
    default Verdict checkInput(String modelId, byte[] input) {
        return Verdict.ok();
    }

    /**
     * The commitment roots of an encoded input's tensors under the model's key, to check values taken from a {@link TensorStore}:
     * derived from {@code seeds} (one per tensor) for a private model, from the values alone otherwise (no seeds).
     */
    default List<byte[]> inputRoots(String modelId, byte[] input, List<byte[]> seeds) {
        throw new UnsupportedOperationException("this inference service proves public inputs and outputs only");
    }
}
