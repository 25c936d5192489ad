package dev.verinfer.model.inputs;

import java.util.Map;

/** A model input with a stable name (recorded by benchmarks), its values and shapes by input name. */
public record NamedInput(String name, Map<String, float[]> values, Map<String, int[]> shapes) {
    public NamedInput {
        values = Map.copyOf(values);
        shapes = Map.copyOf(shapes);
    }

    public static NamedInput single(String name, String input, int[] shape, float[] values) {
        return new NamedInput(name, Map.of(input, values), Map.of(input, shape));
    }
}
