package dev.verinfer.model.quant;

/**
 * Quantisation policy. All scales are powers of two.
 * <ul>
 * <li>inputs and activations: the scale is the largest s with maxAbs·headroom·2^s &lt; 2^activationBits
 *     (resp. inputBits), maxAbs observed during calibration; the declared bound is then 2^activationBits,
 *     which the executor checks (a larger value at run time is a QuantRangeException);</li>
 * <li>weights: the scale is the largest s with maxAbs(w)·2^s &lt; 2^weightBits; it is lowered (fewer
 *     bits) only when the worst-case accumulator of the layer would reach 2^40;</li>
 * <li>look-up tables take inputs of at most tableBits bits (narrowed by a Rescale when wider), so they
 *     hold 2^(tableBits+1) entries; ReLU, LeakyReLU and Clip need no table (Max/Min).</li>
 * </ul>
 */
public record QuantConfig(int inputBits, int weightBits, int activationBits, int tableBits, double headroom) {
    public static final QuantConfig DEFAULT = new QuantConfig(16, 12, 16, 15, 2.0);

    public QuantConfig {
        if (activationBits < 4 || activationBits > 19) throw new IllegalArgumentException("activationBits must be 4..19");
        if (inputBits < 4 || inputBits > 19) throw new IllegalArgumentException("inputBits must be 4..19");
        if (tableBits < 4 || tableBits > 19) throw new IllegalArgumentException("tableBits must be 4..19");
        if (weightBits < 2 || weightBits > 20) throw new IllegalArgumentException("weightBits must be 2..20");
        if (!(headroom >= 1)) throw new IllegalArgumentException("headroom must be ≥ 1");
    }
}
