package dev.verinfer.node;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** A public tensor's values, dequantised and raw (the integers the proof is about). */
record TensorValues(String name, int[] shape, int scale, float[] values, long[] raw) {
    private static final int SHOWN = 6;

    /**
     * Pairs raw vectors with the key's tensors; a vector that does not fit its tensor (a proof of
     * another model) is shown raw, as a flat vector at scale 2^0.
     */
    static List<TensorValues> of(List<TensorInfo> infos, List<long[]> raws) {
        List<TensorValues> out = new ArrayList<>();
        for (int i = 0; i < raws.size(); i++) {
            long[] raw = raws.get(i);
            TensorInfo t = i < infos.size() && TensorSpec.size(infos.get(i).shape()) == raw.length ? infos.get(i)
                    : new TensorInfo("#" + i, new int[] {raw.length}, 0, 63);
            out.add(new TensorValues(t.name(), t.shape(), t.scale(), t.dequantise(raw), raw));
        }
        return out;
    }

    /** One line: name, shape and the first values (all when few), with the raw integers when few. */
    String describe() {
        String head = "'" + name + "' " + Arrays.toString(shape) + ": ";
        String shown = IntStream.range(0, Math.min(SHOWN, values.length)).mapToObj(i -> String.format("%.4g", values[i])).collect(Collectors.joining(", "));
        if (values.length > SHOWN) return head + values.length + " values, first " + shown + ", ...";
        return head + shown + "  (raw " + Arrays.stream(raw).mapToObj(Long::toString).collect(Collectors.joining(", ")) + " at scale 2^-" + scale + ")";
    }
}
