package dev.verinfer.node;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --input-shape}: concrete shapes for a model's inputs whose declared dimensions are symbolic
 * (the OCR classifier's [?, 3, ?, ?]). Each value is {@code NAME=D,D,...}, or {@code D,D,...} for a
 * model with one input; a given shape must keep the declared rank and every fixed dimension.
 */
final class InputShapes {
    static final String DESCRIPTION = "The shape of an input whose declared dimensions are symbolic, NAME=D,D,... (or D,D,... for a model with one input), "
            + "e.g. x=1,3,48,192; repeat for more inputs. Must keep the declared rank and fixed dimensions.";

    private InputShapes() {}

    /** {@code specs} with the given shapes in place of the declared ones. */
    static List<TensorSpec> apply(List<TensorSpec> specs, List<String> given) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (String g : given) {
            int eq = g.indexOf('=');
            String name;
            if (eq >= 0) {
                name = g.substring(0, eq).trim();
            } else if (specs.size() == 1) {
                name = specs.getFirst().name();
            } else {
                throw new CliException(ExitCodes.USAGE, "--input-shape " + g + ": the model has " + specs.size() + " inputs " + names(specs) + "; name one as NAME=D,D,...");
            }
            TensorSpec spec = specs.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
                    new CliException(ExitCodes.USAGE, "--input-shape " + g + ": the model has no input '" + name + "'; its inputs are " + names(specs)));
            int[] shape = dims(g, g.substring(eq + 1));
            if (spec.shape().length != shape.length) {
                throw new CliException(ExitCodes.USAGE, "--input-shape " + g + ": '" + name + "' is declared " + spec.describe() + ", rank " + spec.shape().length
                        + ", not " + shape.length);
            }
            for (int i = 0; i < shape.length; i++) {
                if (spec.shape()[i] >= 0 && spec.shape()[i] != shape[i]) {
                    throw new CliException(ExitCodes.USAGE, "--input-shape " + g + ": '" + name + "' is declared " + spec.describe() + ": dimension " + i
                            + " is " + spec.shape()[i] + ", not " + shape[i]);
                }
            }
            if (shapes.put(name, shape) != null) {
                throw new CliException(ExitCodes.USAGE, "--input-shape: '" + name + "' is given twice");
            }
        }
        return specs.stream().map(s -> shapes.containsKey(s.name()) ? new TensorSpec(s.name(), shapes.get(s.name())) : s).toList();
    }

    private static int[] dims(String option, String text) {
        String[] parts = text.split(",", -1);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                out[i] = 0;
            }
            if (out[i] <= 0) {
                throw new CliException(ExitCodes.USAGE, "--input-shape " + option + ": dimensions must be positive integers, comma-separated, found '" + parts[i].trim() + "'");
            }
        }
        return out;
    }

    private static String names(List<TensorSpec> specs) {
        return Arrays.toString(specs.stream().map(s -> s.name() + " " + s.describe()).toArray());
    }
}
