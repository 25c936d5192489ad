package dev.verinfer.node;

import dev.verinfer.model.inputs.NamedInput;

import java.util.List;

/** Compares tensors from a file, quantised with the key's scales, with the tensors a proof states. */
final class StatementCheck {
    private StatementCheck() {}

    /** @return null when they agree, else the first difference */
    static String mismatch(NamedInput file, List<TensorInfo> tensors, List<long[]> stated, String what) {
        for (int i = 0; i < tensors.size() && i < stated.size(); i++) {
            TensorInfo t = tensors.get(i);
            float[] given = file.values().get(t.name());
            long[] proven = stated.get(i);
            if (given.length != proven.length) {
                return what + " '" + t.name() + "': " + file.name() + " has " + given.length + " values, the proof states " + proven.length;
            }
            for (int j = 0; j < given.length; j++) {
                long q = t.quantise(given[j]);
                if (q != proven[j]) {
                    return String.format("%s '%s' differs from %s at index %d: the proof states %s (raw %d), the file %s (raw %d at scale 2^-%d)",
                            what, t.name(), file.name(), j, t.dequantise(proven[j]), proven[j], given[j], q, t.scale());
                }
            }
        }
        return null;
    }
}
