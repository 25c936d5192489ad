package dev.verinfer.model.quant;

/** A value broke its declared bound or fell outside a look-up table's domain: never a silent wrap. */
public final class QuantRangeException extends RuntimeException {
    private final String node;
    private final String tensor;
    private final long value;

    public QuantRangeException(String node, String tensor, long value, String bound) {
        super("node '" + node + "', tensor '" + tensor + "': value " + value + " outside " + bound);
        this.node = node;
        this.tensor = tensor;
        this.value = value;
    }

    public String node() { return node; }

    public String tensor() { return tensor; }

    public long value() { return value; }
}
