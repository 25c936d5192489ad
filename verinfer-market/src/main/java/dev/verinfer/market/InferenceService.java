package dev.verinfer.market;

/** What provers and watchers run: a model on a request's input (both in {@link StatementCodec} encoding). */
public interface InferenceService {
    /** The encoded output of the model on the encoded input. */
    byte[] output(String modelId, byte[] input);

    /** A proof that the model maps the input to {@link #output}, bound to {@code context} (a {@link ProofContext}). */
    byte[] prove(String modelId, byte[] input, byte[] context);
}
