package dev.verinfer.model.quant;

/**
 * How a tensor's reals are integers: value = integer / 2^scale, |integer| &lt; 2^bits. Fixing a
 * model input's format to another model's output format lets the integers flow from one to the
 * other unchanged (a pipeline of proofs chained through committed tensors).
 */
public record TensorFormat(int scale, int bits) {
    public TensorFormat {
        if (bits < 1 || bits > QuantGraph.MAX_BITS) throw new IllegalArgumentException("bits must be 1.." + QuantGraph.MAX_BITS + ": " + bits);
    }

    public static TensorFormat of(QTensor t) { return new TensorFormat(t.scale(), t.bits()); }
}
