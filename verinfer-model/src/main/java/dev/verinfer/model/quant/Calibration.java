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
                    if (Double.isFinite(a)) hi = Math.max(hi, a);
                    if (a > 0) lo = Math.min(lo, a);
                }
                max.merge(name, hi, Math::max);
                min.merge(name, lo, Math::min);
            });
        }
        return new Calibration(max, min);
    }

    public double maxAbs(String value) { return maxAbs.getOrDefault(value, 0.0); }

    public double minAbs(String value) { return minAbs.getOrDefault(value, Double.POSITIVE_INFINITY); }
}
