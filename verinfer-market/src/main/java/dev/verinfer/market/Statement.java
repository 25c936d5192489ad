package dev.verinfer.market;

/** What a proof must establish for a request: model {@code modelId} maps the request's input to the posted output (both encoded by {@code StatementCodec}). */
public record Statement(String modelId, byte[] input, byte[] output) {
    public Statement {
        input = input.clone();
        output = output.clone();
    }
}
