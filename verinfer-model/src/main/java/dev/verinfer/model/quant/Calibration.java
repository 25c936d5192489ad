package dev.verinfer.model.quant;

import dev.verinfer.model.graph.FloatExecutor;
import dev.verinfer.model.graph.PreparedGraph;
import dev.verinfer.model.graph.Tensor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Observed ranges of every float value over the calibration samples. The float graph is evaluated
 * by verinfer's own double-precision reference ({@link FloatExecutor}) rather than ONNX Runtime:
 * calibration needs the values of the rewritten graph (BatchNorm fused, LayerNorm spelled out),
 * which do not exist in the original model; ONNX Runtime stays the independent accuracy reference.
 */
public record Calibration(Map<String, Double> maxAbs, Map<String, Double> minAbs) {
    public Calibration {
        maxAbs = Map.copyOf(maxAbs);
        minAbs = Map.copyOf(minAbs);
    }

    public static Calibration observe(PreparedGraph g, List<Map<String, Tensor>> samples) {
        if (samples.isEmpty()) throw new IllegalArgumentException("calibration needs at least one sample input");
        Map<String, Double> max = new HashMap<>(), min = new HashMap<>();
        for (Map<String, Tensor> s : samples) {
            FloatExecutor.run(g.graph(), s).forEach((name, t) -> {
                double hi = 0, lo = Double.POSITIVE_INFINITY;
                for (double v : t.data()) {
                    double a = Math.abs(v);
                    if (isFill(a)) continue; // a mask's "−∞" (−1e9, float min, −inf) is not a range to represent
                    hi = Math.max(hi, a);
                    if (a > 0) lo = Math.min(lo, a);
                }
                max.merge(name, hi, Math::max);
                min.merge(name, lo, Math::min);
            });
        }
        return new Calibration(max, min);
    }

    /**
     * Magnitudes at or above this (and infinities) are fills, not data: attention masks add or select
     * −1e9, the float minimum or −inf. Calibration ignores them; the quantiser clamps them to the bound
     * of the tensor they meet (a masked score then sits below every real one, and exp of it is 0).
     */
    public static final double FILL = 1e8;

    public static boolean isFill(double magnitude) { return !(magnitude < FILL); }

    public double maxAbs(String value) { return maxAbs.getOrDefault(value, 0.0); }

    public double minAbs(String value) { return minAbs.getOrDefault(value, Double.POSITIVE_INFINITY); }
}
