package dev.verinfer.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import dev.verinfer.model.inputs.NamedInput;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads tensors from a file in one of three forms: EZKL's {"input_data": [[...], ...]} (one list per
 * tensor in model order; "output_data" for outputs), a plain {"name": [...]} map, or a NumPy .npy
 * array (one tensor). Lists may be nested; values are flattened in row-major order and checked against
 * the expected shapes.
 */
final class TensorFiles {
    private TensorFiles() {}

    /** @param listKey "input_data" or "output_data" */
    static NamedInput read(Path file, List<TensorSpec> specs, String listKey) {
        String source = file.toString();
        byte[] bytes = FileIO.read(file, listKey.startsWith("input") ? "input file" : "output file");
        List<float[]> values = file.getFileName().toString().endsWith(".npy") ? fromNpy(bytes, specs, source) : fromJson(bytes, specs, listKey, source);
        Map<String, float[]> byName = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            TensorSpec s = specs.get(i);
            byName.put(s.name(), values.get(i));
            shapes.put(s.name(), s.resolve(values.get(i).length, source));
        }
        return new NamedInput(file.getFileName().toString(), byName, shapes);
    }

    private static List<float[]> fromNpy(byte[] bytes, List<TensorSpec> specs, String source) {
        if (specs.size() != 1) {
            throw new CliException(ExitCodes.USAGE, source + ": a .npy file holds one tensor but the model has " + specs.size() + "; use a JSON file");
        }
        return List.of(Npy.read(bytes, source).values());
    }

    private static List<float[]> fromJson(byte[] bytes, List<TensorSpec> specs, String listKey, String source) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new CliException(ExitCodes.USAGE, source + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + source + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new CliException(ExitCodes.USAGE, source + ": expected a JSON object");
        List<float[]> out = new ArrayList<>();
        JsonNode list = root.get(listKey);
        if (list != null) {
            if (!list.isArray() || list.size() != specs.size()) {
                throw new CliException(ExitCodes.USAGE, source + ": \"" + listKey + "\" must be a list of " + specs.size() + " tensor(s) "
                        + specs.stream().map(TensorSpec::name).toList());
            }
            for (int i = 0; i < specs.size(); i++) out.add(flatten(list.get(i), source + " " + listKey + "[" + i + "]"));
            return out;
        }
        for (TensorSpec s : specs) {
            JsonNode v = root.get(s.name());
            if (v == null) {
                throw new CliException(ExitCodes.USAGE, source + " has neither \"" + listKey + "\" nor a tensor named '" + s.name() + "'");
            }
            out.add(flatten(v, source + " '" + s.name() + "'"));
        }
        return out;
    }

    private static float[] flatten(JsonNode node, String where) {
        List<Float> values = new ArrayList<>();
        collect(node, values, where);
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) f[i] = values.get(i);
        return f;
    }

    private static void collect(JsonNode node, List<Float> into, String where) {
        if (node.isNumber()) into.add(node.floatValue());
        else if (node.isBoolean()) into.add(node.booleanValue() ? 1f : 0f); // a boolean input's values
        else if (node.isArray()) node.forEach(n -> collect(n, into, where));
        else throw new CliException(ExitCodes.USAGE, where + ": expected numbers, found " + node.getNodeType().toString().toLowerCase() + " " + node);
    }

    /** EZKL's form: {"input_data": [[v, ...], ...]}, flat lists in the given order. */
    static Map<String, Object> ezkl(String listKey, List<float[]> tensors) {
        return Map.of(listKey, tensors);
    }
}
