package dev.verinfer.market;

import java.util.List;

/**
 * What a proof must establish for a request: model {@code modelId} maps the request's input to the
 * posted output. Each side is public (its tensors encoded by {@link StatementCodec}, no roots) or
 * committed (empty bytes, one commitment root per tensor, as the proof's statement shows them).
 * {@code context} is the {@link ProofContext} the proof must be bound to (the market sets it for
 * every proof it checks; empty only in statements built outside the market's rules).
 */
public record Statement(String modelId, byte[] input, List<byte[]> inputRoots, byte[] output, List<byte[]> outputRoots, byte[] context) {
    public Statement {
        context = context.clone();
        input = input.clone();
        output = output.clone();
        inputRoots = inputRoots.stream().map(byte[]::clone).toList();
        outputRoots = outputRoots.stream().map(byte[]::clone).toList();
    }

    /** A statement without context. */
    public Statement(String modelId, byte[] input, List<byte[]> inputRoots, byte[] output, List<byte[]> outputRoots) {
        this(modelId, input, inputRoots, output, outputRoots, new byte[0]);
    }

    /** A statement with public input and output, without context. */
    public Statement(String modelId, byte[] input, byte[] output) {
        this(modelId, input, List.of(), output, List.of());
    }

    /** The same statement, its proof bound to {@code newContext}. */
    public Statement bound(byte[] newContext) {
        return new Statement(modelId, input, inputRoots, output, outputRoots, newContext);
    }

    @Override
    public byte[] context() {
        return context.clone();
    }

    @Override
    public byte[] input() {
        return input.clone();
    }

    @Override
    public byte[] output() {
        return output.clone();
    }

    @Override
    public List<byte[]> inputRoots() {
        return inputRoots.stream().map(byte[]::clone).toList();
    }

    @Override
    public List<byte[]> outputRoots() {
        return outputRoots.stream().map(byte[]::clone).toList();
    }
}
