package dev.verinfer.model.quant;

import dev.verinfer.model.graph.Functions;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * A look-up table, fully determined by its description: for i in [0, size),
 * {@code values[i] = clamp(roundHalfAwayFromZero(f((inMin + i) / 2^inScale) · 2^outScale), ±(2^outBits − 1))},
 * f computed with {@link StrictMath}; where f is NaN the entry is 0, where it is ±∞ the entry is the clamp bound.
 */
public record LookupTable(String function, int inScale, int outScale, int outBits, long inMin, int size, long[] values) {
    public static final int MAX_SIZE = 1 << 20;

    public LookupTable {
        if (Integer.bitCount(size) != 1 || size > MAX_SIZE) throw new IllegalArgumentException("table size must be a power of two ≤ 2^20: " + size);
        if (values.length != size) throw new IllegalArgumentException("table holds " + values.length + " values, size " + size);
    }

    /** Builds the table of {@code function} (e.g. "sigmoid", "leaky_relu(0.2)", "pow(3.0)"). */
    public static LookupTable build(String function, int inScale, int outScale, int outBits, long inMin, int size) {
        DoubleUnaryOperator f = parse(function);
        long bound = (1L << outBits) - 1;
        long[] v = new long[size];
        for (int i = 0; i < size; i++) {
            double y = f.applyAsDouble(Math.scalb((double) (inMin + i), -inScale));
            v[i] = quantise(Math.scalb(y, outScale), bound);
        }
        return new LookupTable(function, inScale, outScale, outBits, inMin, size, v);
    }

    /** The table rebuilt from this description equals this table (what the verifier checks). */
    public boolean isCanonical() {
        return equals(build(function, inScale, outScale, outBits, inMin, size));
    }

    static long quantise(double y, long bound) {
        if (Double.isNaN(y)) return 0;
        if (Double.isInfinite(y)) return y > 0 ? bound : -bound;
        double r = Math.signum(y) * Math.floor(Math.abs(y) + 0.5);
        return Math.clamp((long) Math.clamp(r, -bound, bound), -bound, bound);
    }

    /** The description of the table of a fused chain's {@link dev.verinfer.model.graph.UnaryExpression}. */
    static String expression(String postfix) {
        return "expr(" + postfix + ")";
    }

    /** The function named by a table description. */
    static DoubleUnaryOperator parse(String function) {
        if (function.startsWith("expr(") && function.endsWith(")")) {
            return dev.verinfer.model.graph.UnaryExpression.compile(function.substring(5, function.length() - 1));
        }
        int open = function.indexOf('(');
        String name = open < 0 ? function : function.substring(0, open);
        double[] p = open < 0 ? new double[0]
                : Arrays.stream(function.substring(open + 1, function.length() - 1).split(",")).mapToDouble(Double::parseDouble).toArray();
        return switch (name) {
            case "identity" -> x -> x;
            case "relu" -> x -> Math.max(x, 0);
            case "leaky_relu" -> x -> x >= 0 ? x : p[0] * x;
            case "clip" -> x -> Math.min(Math.max(x, p[0]), p[1]);
            case "sigmoid" -> Functions::sigmoid;
            case "hard_sigmoid" -> x -> Functions.hardSigmoid(x, p[0], p[1]);
            case "hard_swish" -> Functions::hardSwish;
            case "tanh" -> StrictMath::tanh;
            case "softplus" -> Functions::softplus;
            case "elu" -> x -> Functions.elu(x, p[0]);
            case "selu" -> x -> Functions.selu(x, p[0], p[1]);
            case "celu" -> x -> Functions.celu(x, p[0]);
            case "gelu" -> Functions::gelu;
            case "gelu_tanh" -> Functions::geluTanh;
            case "erf" -> Functions::erf;
            case "exp" -> StrictMath::exp;
            case "log" -> StrictMath::log;
            case "sqrt" -> StrictMath::sqrt;
            case "rsqrt" -> x -> 1 / StrictMath.sqrt(x);
            case "reciprocal" -> x -> 1 / x;
            case "pow" -> x -> StrictMath.pow(x, p[0]);
            default -> throw new IllegalArgumentException("unknown table function '" + function + "'");
        };
    }

    @Override public boolean equals(Object o) {
        return o instanceof LookupTable t && function.equals(t.function) && inScale == t.inScale && outScale == t.outScale
                && outBits == t.outBits && inMin == t.inMin && size == t.size && Arrays.equals(values, t.values);
    }

    @Override public int hashCode() { return function.hashCode() * 31 + Arrays.hashCode(values); }

    @Override public String toString() {
        return "LookupTable[" + function + " in=2^-" + inScale + " out=2^-" + outScale + " [" + inMin + ", " + (inMin + size) + ")]";
    }
}
