package dev.verinfer.node;

import java.util.Arrays;

/** A named tensor a file must supply, with its shape; a dimension of -1 is not fixed by the model. */
record TensorSpec(String name, int[] shape) {

    /**
     * The shape for {@code count} values: unfixed leading dims (before every fixed one) are 1, one other
     * unfixed dim is inferred; more are refused (a [?, 3, ?, ?] image needs its shape given).
     */
    int[] resolve(int count, String source) {
        int[] s = shape.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] >= 0) known *= s[i];
            else if (unknown < 0 && Arrays.stream(shape, 0, i).allMatch(d -> d < 0) && Arrays.stream(s, i + 1, s.length).anyMatch(d -> d < 0)) s[i] = 1;
            else if (unknown < 0) unknown = i;
            else throw new CliException(ExitCodes.USAGE, "'" + name + "' has more than one free dimension " + describe()
                    + ": give its shape with --input-shape " + name + "=D,D,... (compile, inspect)");
        }
        if (unknown >= 0 && known > 0 && count % known == 0) s[unknown] = (int) (count / known);
        if (unknown >= 0 && s[unknown] < 0 || size(s) != count) {
            throw new CliException(ExitCodes.USAGE, source + ": '" + name + "' has " + count + " values, expected shape " + describe()
                    + (unknown < 0 ? " (" + size(s) + " values)" : ""));
        }
        return s;
    }

    String describe() {
        return Arrays.toString(shape).replace("-1", "?");
    }

    static long size(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
