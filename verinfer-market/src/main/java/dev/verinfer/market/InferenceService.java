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
}
