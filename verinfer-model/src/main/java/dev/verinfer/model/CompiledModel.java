package dev.verinfer.model;

import dev.verinfer.model.graph.Graph;
import dev.verinfer.model.graph.GraphPreparer;
import dev.verinfer.model.graph.PreparedGraph;
import dev.verinfer.model.graph.Tensor;
import dev.verinfer.model.onnx.OnnxImporter;
import dev.verinfer.model.quant.Calibration;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.model.quant.Quantiser;
import dev.verinfer.model.quant.TensorFormat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model taken through the whole pipeline: import, static shapes and folding, calibration on
 * sample inputs, quantisation. {@link #quant()} is what the prover proves.
 */
public record CompiledModel(Graph onnx, PreparedGraph prepared, Calibration calibration, QuantConfig config, QuantGraph quant,
                            Map<String, Integer> valueIds) {

    public static CompiledModel compile(Path onnxFile, Map<String, int[]> inputShapes, List<Map<String, float[]>> samples, QuantConfig cfg) {
        return compile(OnnxImporter.read(onnxFile), inputShapes, samples, cfg);
    }

    public static CompiledModel compile(Graph g, Map<String, int[]> inputShapes, List<Map<String, float[]>> samples, QuantConfig cfg) {
        return compile(g, inputShapes, samples, cfg, Map.of());
    }

    /** Compiles with the inputs named in {@code fixedInputs} in the given format (see {@link Quantiser#lower(PreparedGraph, Calibration, QuantConfig, Map)}). */
    public static CompiledModel compile(Graph g, Map<String, int[]> inputShapes, List<Map<String, float[]>> samples, QuantConfig cfg,
                                        Map<String, TensorFormat> fixedInputs) {
        requireKnownOperators(g);
        PreparedGraph pg = GraphPreparer.prepare(g, inputShapes);
        List<Map<String, Tensor>> tensors = samples.stream().map(s -> toTensors(pg, s)).toList();
        Calibration cal = Calibration.observe(pg, tensors);
        Quantiser.Result r = Quantiser.lower(pg, cal, cfg, fixedInputs);
        return new CompiledModel(g, pg, cal, cfg, r.graph(), r.valueIds());
    }

    /** Every node whose operator verinfer does not know, named in one error (not just the first). */
    static void requireKnownOperators(Graph g) {
        List<dev.verinfer.model.UnsupportedModelException> problems = new java.util.ArrayList<>();
        for (dev.verinfer.model.graph.Node n : g.nodes()) {
            if (!dev.verinfer.model.graph.FloatOps.SUPPORTED.contains(n.opType()) && !GraphPreparer.STRUCTURAL.contains(n.opType())) {
                problems.add(UnsupportedModelException.of(n.name(), n.opType(), "operator '" + n.opType() + "' is not supported"));
            }
        }
        if (!problems.isEmpty()) throw UnsupportedModelException.all(problems);
    }

    /** Float inputs as tensors of the prepared shapes (checks sizes and finiteness). */
    public static Map<String, Tensor> toTensors(PreparedGraph pg, Map<String, float[]> inputs) {
        Map<String, Tensor> r = new HashMap<>();
        for (String name : pg.graph().inputNames()) {
            float[] v = inputs.get(name);
            int[] shape = pg.shape(name);
            if (v == null) throw new InvalidInputException("missing input '" + name + "'");
            if (v.length != Tensor.size(shape)) {
                throw new InvalidInputException("input '" + name + "' has " + v.length + " values, expected shape " + java.util.Arrays.toString(shape));
            }
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) throw new InvalidInputException("input '" + name + "' holds " + v[i] + " at index " + i);
            }
            r.put(name, Tensor.ofFloats(shape, v));
        }
        return r;
    }
}
