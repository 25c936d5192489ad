package dev.verinfer.model.quant;

import java.util.Map;

/** The result of an integer run: every tensor's values by tensor id, and the dequantised outputs by name. */
public record Execution(long[][] values, Map<String, float[]> outputs) {
    public long[] value(int id) { return values[id]; }
}
