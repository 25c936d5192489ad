package dev.verinfer.market;

import java.util.List;

/**
 * What a proof must establish for a request: model {@code modelId} maps the request's input to the
 * posted output. Each side is public (its tensors encoded by {@link StatementCodec}, no roots) or
 * committed (empty bytes, one commitment root per tensor, as the proof's statement shows them).
 */
public record Statement(String modelId, byte[] input, List<byte[]> inputRoots, byte[] output, List<byte[]> outputRoots) {
    public Statement {
        input = input.clone();
        output = output.clone();
        inputRoots = inputRoots.stream().map(byte[]::clone).toList();
        outputRoots = outputRoots.stream().map(byte[]::clone).toList();
    }

    /** A statement with public input and output. */
    public Statement(String modelId, byte[] input, byte[] output) {
        this(modelId, input, List.of(), output, List.of());
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
