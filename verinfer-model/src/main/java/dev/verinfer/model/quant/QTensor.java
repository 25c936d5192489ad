package dev.verinfer.model.quant;

import java.util.Arrays;

/**
 * A tensor of the quantised graph: real value = integer / 2^scale, and every value satisfies
 * |value| &lt; 2^bits. {@code data} is present for WEIGHT and CONSTANT tensors only.
 */
public record QTensor(int id, String name, int[] shape, int scale, int bits, Kind kind, long[] data) {
    public enum Kind { INPUT, WEIGHT, ACTIVATION, CONSTANT }

    public QTensor {
        if (bits < 0 || bits > QuantGraph.MAX_BITS) throw new IllegalArgumentException("tensor '" + name + "' bound 2^" + bits + " exceeds 2^" + QuantGraph.MAX_BITS);
        if ((kind == Kind.WEIGHT || kind == Kind.CONSTANT) != (data != null)) throw new IllegalArgumentException("tensor '" + name + "': data iff WEIGHT or CONSTANT");
    }

    public int size() {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    @Override public boolean equals(Object o) {
        return o instanceof QTensor t && id == t.id && name.equals(t.name) && Arrays.equals(shape, t.shape) && scale == t.scale
                && bits == t.bits && kind == t.kind && Arrays.equals(data, t.data);
    }

    @Override public int hashCode() { return 31 * id + name.hashCode(); }

    @Override public String toString() {
        return "QTensor[" + id + " " + name + " " + Arrays.toString(shape) + " s=" + scale + " bits=" + bits + " " + kind + "]";
    }
}
