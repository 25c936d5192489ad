package dev.verinfer.model;

import dev.verinfer.model.graph.FloatExecutor;
import dev.verinfer.model.graph.Graph;
import dev.verinfer.model.graph.Tensor;
import dev.verinfer.model.onnx.OnnxImporter;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantConfig;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One small model per supported operator (and attribute variant), built with the generated ONNX
 * classes, run by ONNX Runtime, by the float reference and by the integer executor. The float
 * reference must match ORT to float precision; the integer result within 2% of the output range.
 */
class OperatorAccuracyTest {
    record Case(String name, Supplier<OnnxBuilder> model, double lo, double hi) {}

    static Case c(String name, Supplier<OnnxBuilder> model) { return new Case(name, model, -2, 2); }

    static Case c(String name, double lo, double hi, Supplier<OnnxBuilder> model) { return new Case(name, model, lo, hi); }

    static OnnxBuilder unary(String op, int opset, Object... attrs) {
        return new OnnxBuilder(opset).input("x", 2, 3, 8).node(op, "x", "y", attrs).output("y");
    }

    static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        cs.add(c("Gemm transB alpha beta", () -> new OnnxBuilder(13).input("x", 2, 8).random("w", 1, 1, 4, 8).random("b", 2, 1, 4)
                .node("Gemm", "x,w,b", "y", "transB", 1, "alpha", 0.5, "beta", 2.0).output("y")));
        cs.add(c("Gemm weights as Constant nodes (opset 9)", () -> new OnnxBuilder(9).input("x", 2, 8)
                .constantNode("w", new int[] {8, 4}, OnnxBuilder.uniform(3, 32, -1, 1)).constantNode("b", new int[] {4}, OnnxBuilder.uniform(4, 4, -1, 1))
                .node("Gemm", "x,w,b", "y").output("y")));
        cs.add(c("MatMul batched by constant", () -> new OnnxBuilder(13).input("x", 2, 3, 8).random("w", 5, 1, 8, 5).node("MatMul", "x,w", "y").output("y")));
        cs.add(c("MatMul of two activations", () -> new OnnxBuilder(13).input("x", 2, 4, 8).input("z", 2, 8, 3).node("MatMul", "x,z", "y").output("y")));
        cs.add(c("Conv pads", () -> new OnnxBuilder(13).input("x", 1, 3, 8, 8).random("w", 6, 0.5, 4, 3, 3, 3).random("b", 7, 0.5, 4)
                .node("Conv", "x,w,b", "y", "pads", new int[] {1, 1, 1, 1}).output("y")));
        cs.add(c("Conv strides dilations asymmetric pads", () -> new OnnxBuilder(13).input("x", 1, 3, 11, 9).random("w", 8, 0.5, 2, 3, 3, 2)
                .node("Conv", "x,w", "y", "strides", new int[] {2, 1}, "dilations", new int[] {2, 1}, "pads", new int[] {1, 0, 2, 1}).output("y")));
        cs.add(c("Conv depthwise SAME_UPPER stride 2", () -> new OnnxBuilder(13).input("x", 1, 4, 7, 7).random("w", 9, 0.5, 4, 1, 3, 3)
                .node("Conv", "x,w", "y", "group", 4, "auto_pad", "SAME_UPPER", "strides", new int[] {2, 2}).output("y")));
        cs.add(c("Conv groups 2 VALID", () -> new OnnxBuilder(13).input("x", 1, 4, 6, 6).random("w", 10, 0.5, 6, 2, 3, 3).random("b", 11, 0.5, 6)
                .node("Conv", "x,w,b", "y", "group", 2, "auto_pad", "VALID").output("y")));
        cs.add(c("Conv 1-D", () -> new OnnxBuilder(13).input("x", 1, 2, 20).random("w", 12, 0.5, 3, 2, 5).node("Conv", "x,w", "y", "strides", new int[] {3}).output("y")));
        cs.add(c("ConvTranspose strides pads output_padding", () -> new OnnxBuilder(13).input("x", 1, 2, 5, 5).random("w", 13, 0.5, 2, 3, 3, 3).random("b", 14, 0.5, 3)
                .node("ConvTranspose", "x,w,b", "y", "strides", new int[] {2, 2}, "pads", new int[] {1, 1, 1, 1}, "output_padding", new int[] {1, 1}).output("y")));
        cs.add(c("Conv + BatchNormalization (fused)", () -> new OnnxBuilder(13).input("x", 1, 3, 6, 6).random("w", 15, 0.5, 4, 3, 3, 3)
                .weight("s", new int[] {4}, new float[] {1.5f, 0.5f, -1, 2}).random("bb", 16, 1, 4).random("m", 17, 0.5, 4).weight("v", new int[] {4}, new float[] {0.5f, 1, 2, 0.25f})
                .node("Conv", "x,w", "c").node("BatchNormalization", "c,s,bb,m,v", "y").output("y")));
        cs.add(c("BatchNormalization alone", () -> new OnnxBuilder(13).input("x", 1, 3, 4, 4)
                .weight("s", new int[] {3}, new float[] {1.5f, 0.5f, -1}).random("bb", 16, 1, 3).random("m", 17, 0.5, 3).weight("v", new int[] {3}, new float[] {0.5f, 1, 2})
                .node("BatchNormalization", "x,s,bb,m,v", "y").output("y")));
        for (String op : List.of("Add", "Sub", "Mul")) {
            cs.add(c(op + " broadcast", () -> new OnnxBuilder(13).input("x", 2, 3, 4).input("z", 3, 1).node(op, "x,z", "y").output("y")));
            cs.add(c(op + " constant", () -> new OnnxBuilder(13).input("x", 2, 3, 4).random("k", 18, 2, 4).node(op, "x,k", "y").output("y")));
        }
        cs.add(c("Mul scalar constant", () -> new OnnxBuilder(13).input("x", 2, 3).scalar("k", 0.37f).node("Mul", "x,k", "y").output("y")));
        cs.add(c("Div by constant", () -> new OnnxBuilder(13).input("x", 2, 3).scalar("k", 3.1f).node("Div", "x,k", "y").output("y")));
        cs.add(c("Div elementwise", 0.5, 2, () -> new OnnxBuilder(13).input("x", 2, 3).input("z", 2, 3).node("Div", "x,z", "y").output("y")));
        cs.add(c("Relu", () -> unary("Relu", 13)));
        cs.add(c("LeakyRelu", () -> unary("LeakyRelu", 13, "alpha", 0.2)));
        cs.add(c("Clip (inputs)", () -> new OnnxBuilder(13).input("x", 2, 5).scalar("lo", -0.5f).scalar("hi", 1.2f).node("Clip", "x,lo,hi", "y").output("y")));
        cs.add(c("Clip (attributes, opset 9)", () -> unary("Clip", 9, "min", 0.0, "max", 6.0)));
        cs.add(c("Sigmoid", -6, 6, () -> unary("Sigmoid", 13)));
        cs.add(c("HardSigmoid", -4, 4, () -> unary("HardSigmoid", 13, "alpha", 0.1666667, "beta", 0.5)));
        cs.add(c("HardSwish", -4, 4, () -> unary("HardSwish", 14)));
        cs.add(c("Tanh", () -> unary("Tanh", 13)));
        cs.add(c("Gelu", -3, 3, () -> unary("Gelu", 20)));
        cs.add(c("Gelu tanh", -3, 3, () -> unary("Gelu", 20, "approximate", "tanh")));
        cs.add(c("Erf", -3, 3, () -> unary("Erf", 13)));
        cs.add(c("Exp", -3, 2, () -> unary("Exp", 13)));
        cs.add(c("Log", 0.1, 5, () -> unary("Log", 13)));
        cs.add(c("Sqrt", 0.1, 5, () -> unary("Sqrt", 13)));
        cs.add(c("Pow 2", () -> new OnnxBuilder(13).input("x", 2, 4).scalar("e", 2).node("Pow", "x,e", "y").output("y")));
        cs.add(c("Pow 3", () -> new OnnxBuilder(13).input("x", 2, 4).scalar("e", 3).node("Pow", "x,e", "y").output("y")));
        cs.add(c("Pow 0.5", 0.1, 4, () -> new OnnxBuilder(13).input("x", 2, 4).scalar("e", 0.5f).node("Pow", "x,e", "y").output("y")));
        cs.add(c("Softmax last axis", -4, 4, () -> new OnnxBuilder(13).input("x", 2, 10).node("Softmax", "x", "y").output("y")));
        cs.add(c("Softmax opset 11 flattening axis 1", -4, 4, () -> new OnnxBuilder(11).input("x", 2, 3, 4).node("Softmax", "x", "y", "axis", 1).output("y")));
        cs.add(c("LayerNormalization", () -> new OnnxBuilder(17).input("x", 2, 3, 16).random("g", 19, 1.5, 16).random("b", 20, 0.5, 16)
                .node("LayerNormalization", "x,g,b", "y", "axis", -1, "epsilon", 1e-5).output("y")));
        cs.add(c("LayerNorm spelled out", () -> new OnnxBuilder(13).input("x", 1, 32).scalar("two", 2).scalar("eps", 1e-5f).random("g", 21, 1.5, 32).random("b", 22, 0.5, 32)
                .node("ReduceMean", "x", "m", "axes", new int[] {-1}).node("Sub", "x,m", "d").node("Pow", "d,two", "d2")
                .node("ReduceMean", "d2", "v", "axes", new int[] {-1}).node("Add", "v,eps", "ve").node("Sqrt", "ve", "sd")
                .node("Div", "d,sd", "n").node("Mul", "n,g", "ng").node("Add", "ng,b", "y").output("y")));
        cs.add(c("ReduceMean axes keepdims", () -> new OnnxBuilder(13).input("x", 2, 3, 5).node("ReduceMean", "x", "y", "axes", new int[] {1, 2}).output("y")));
        cs.add(c("ReduceSum axes input no keepdims", () -> new OnnxBuilder(13).input("x", 2, 3, 5).ints("a", 1).node("ReduceSum", "x,a", "y", "keepdims", 0).output("y")));
        cs.add(c("ReduceMax all axes", () -> new OnnxBuilder(13).input("x", 2, 3, 5).node("ReduceMax", "x", "y", "keepdims", 0).output("y")));
        cs.add(c("Max variadic broadcast", () -> new OnnxBuilder(13).input("x", 2, 3).input("z", 3).random("k", 23, 1, 1, 3).node("Max", "x,z,k", "y").output("y")));
        cs.add(c("Min", () -> new OnnxBuilder(13).input("x", 2, 3).input("z", 2, 3).node("Min", "x,z", "y").output("y")));
        cs.add(c("MaxPool pads strides ceil", () -> new OnnxBuilder(13).input("x", 1, 2, 7, 7)
                .node("MaxPool", "x", "y", "kernel_shape", new int[] {3, 3}, "strides", new int[] {2, 2}, "pads", new int[] {1, 1, 1, 1}, "ceil_mode", 1).output("y")));
        cs.add(c("AveragePool excluding pads", () -> new OnnxBuilder(13).input("x", 1, 2, 6, 6)
                .node("AveragePool", "x", "y", "kernel_shape", new int[] {3, 3}, "strides", new int[] {2, 2}, "pads", new int[] {1, 1, 1, 1}).output("y")));
        cs.add(c("AveragePool including pads", () -> new OnnxBuilder(13).input("x", 1, 2, 6, 6)
                .node("AveragePool", "x", "y", "kernel_shape", new int[] {2, 2}, "pads", new int[] {1, 1, 0, 0}, "count_include_pad", 1).output("y")));
        cs.add(c("GlobalAveragePool", () -> new OnnxBuilder(13).input("x", 1, 3, 5, 7).node("GlobalAveragePool", "x", "y").output("y")));
        cs.add(c("Flatten", () -> new OnnxBuilder(13).input("x", 2, 3, 4).node("Flatten", "x", "y", "axis", 2).output("y")));
        cs.add(c("Reshape 0 and -1", () -> new OnnxBuilder(13).input("x", 2, 3, 4).ints("s", 0, -1, 2).node("Reshape", "x,s", "y").output("y")));
        cs.add(c("Transpose", () -> new OnnxBuilder(13).input("x", 2, 3, 4).node("Transpose", "x", "y", "perm", new int[] {2, 0, 1}).output("y")));
        cs.add(c("Squeeze Unsqueeze", () -> new OnnxBuilder(13).input("x", 2, 1, 4).ints("a", 1).ints("b", 0, 3)
                .node("Squeeze", "x,a", "s").node("Unsqueeze", "s,b", "y").output("y")));
        cs.add(c("Concat with constant", () -> new OnnxBuilder(13).input("x", 2, 3).input("z", 2, 2).random("k", 24, 1, 2, 1).node("Concat", "x,z,k", "y", "axis", 1).output("y")));
        cs.add(c("Slice negative step", () -> new OnnxBuilder(13).input("x", 4, 6).ints("st", 5, 1).ints("en", 0, 4).ints("ax", 1, 0).ints("sp", -2, 1)
                .node("Slice", "x,st,en,ax,sp", "y").output("y")));
        cs.add(c("Split", () -> new OnnxBuilder(13).input("x", 2, 6).ints("sp", 2, 4).node("Split", "x,sp", "a,b", "axis", 1).node("Mul", "a,a", "a2")
                .node("ReduceSum", "b", "bs", "keepdims", 1, "noop_with_empty_axes", 0).output("a2").output("bs")));
        cs.add(c("Gather constant indices", () -> new OnnxBuilder(13).input("x", 3, 4).ints("i", 3, 0, 3).node("Gather", "x,i", "y", "axis", 1).output("y")));
        cs.add(c("Pad constant", () -> new OnnxBuilder(13).input("x", 1, 2, 3).ints("p", 0, 1, 2, 0, 0, 1).node("Pad", "x,p", "y").output("y")));
        cs.add(c("Pad reflect", () -> new OnnxBuilder(13).input("x", 1, 2, 4).ints("p", 0, 0, 2, 0, 0, 1).node("Pad", "x,p", "y", "mode", "reflect").output("y")));
        cs.add(c("Pad edge", () -> new OnnxBuilder(13).input("x", 1, 2, 4).ints("p", 0, 0, 2, 0, 0, 1).node("Pad", "x,p", "y", "mode", "edge").output("y")));
        cs.add(c("Resize nearest asymmetric", () -> new OnnxBuilder(13).input("x", 1, 1, 3, 4).weight("sc", new int[] {4}, new float[] {1, 1, 2, 1.5f})
                .node("Resize", "x,,sc", "y", "mode", "nearest", "coordinate_transformation_mode", "asymmetric", "nearest_mode", "floor").output("y")));
        cs.add(c("Resize nearest half_pixel sizes", () -> new OnnxBuilder(13).input("x", 1, 1, 3, 4).ints("sz", 1, 1, 5, 7)
                .node("Resize", "x,,,sz", "y", "mode", "nearest").output("y")));
        cs.add(c("Identity Cast", () -> new OnnxBuilder(13).input("x", 2, 3).node("Identity", "x", "i").node("Cast", "i", "y", "to", 1).output("y")));
        cs.add(c("Where constant mask", () -> new OnnxBuilder(13).input("x", 2, 3).input("z", 3)
                .weight("m", new int[] {2, 3}, new float[] {1, 0, 1, 0, 0, 1}).node("Cast", "m", "mb", "to", 9).node("Where", "mb,x,z", "y").output("y")));
        cs.add(c("Expand", () -> new OnnxBuilder(13).input("x", 3, 1).ints("s", 2, 3, 4).node("Expand", "x,s", "y").output("y")));
        cs.add(c("Shape subgraph folded into Reshape", () -> new OnnxBuilder(13).input("x", 2, 3, 4).ints("i0", 0).ints("minus1", -1)
                .node("Shape", "x", "s").node("Gather", "s,i0", "n", "axis", 0).node("Concat", "n,minus1", "t", "axis", 0)
                .node("Reshape", "x,t", "r").node("Relu", "r", "y").output("y")));
        cs.addAll(CoverageCases.cases());
        return cs;
    }

    @TestFactory Stream<DynamicTest> everyOperatorMatchesOnnxRuntime() {
        return cases().stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> check(k)));
    }

    /** Calibration inputs per case (a recurrent net's small intermediate tensors need more than one to see their range). */
    static final int CALIBRATION_SAMPLES = 4;

    /** The model of a case, compiled (calibrated on a few samples), with a different test input. */
    record Compiled(byte[] onnx, Graph graph, CompiledModel model, Map<String, int[]> shapes, Map<String, float[]> test) {}

    static Compiled compile(Case k) {
        OnnxBuilder b = k.model().get();
        byte[] bytes = b.build();
        Graph g = OnnxImporter.parse(bytes);
        Map<String, int[]> shapes = new HashMap<>();
        List<Map<String, float[]>> calib = new ArrayList<>();
        Map<String, float[]> test = new HashMap<>();
        for (int sample = 0; sample < CALIBRATION_SAMPLES; sample++) calib.add(new HashMap<>());
        for (int i = 0; i < b.inputNames.size(); i++) {
            int n = OnnxBuilder.size(b.inputShapes.get(i));
            shapes.put(b.inputNames.get(i), b.inputShapes.get(i));
            for (int sample = 0; sample < CALIBRATION_SAMPLES; sample++) {
                calib.get(sample).put(b.inputNames.get(i), typed(b.inputTypes.get(i), OnnxBuilder.uniform(100 + i + 1000L * sample, n, k.lo(), k.hi())));
            }
            test.put(b.inputNames.get(i), typed(b.inputTypes.get(i), OnnxBuilder.uniform(200 + i, n, k.lo(), k.hi())));
        }
        return new Compiled(bytes, g, CompiledModel.compile(g, shapes, calib, QuantConfig.DEFAULT), shapes, test);
    }

    /** Values of an input of ONNX element type {@code type}: integers for integer types, 0/1 for bool. */
    private static float[] typed(int type, float[] v) {
        if (type == 1) return v;
        float[] r = new float[v.length];
        for (int i = 0; i < r.length; i++) r[i] = type == 9 ? (v[i] > 0 ? 1 : 0) : Math.round(v[i]);
        return r;
    }

    static void check(Case k) {
        Compiled c = compile(k);
        Graph g = c.graph();
        CompiledModel m = c.model();
        Map<String, float[]> test = c.test();
        Map<String, int[]> shapes = c.shapes();
        byte[] bytes = c.onnx();
        Execution e = IntegerExecutor.execute(m.quant(), test);
        Map<String, Tensor> floats = FloatExecutor.run(m.prepared().graph(), CompiledModel.toTensors(m.prepared(), test));
        Map<String, float[]> ref;
        try (OrtReference ort = new OrtReference(bytes)) {
            ref = ort.run(test, shapes);
        }
        for (String out : g.outputs()) {
            AccuracyReport fl = AccuracyReport.compare(ref.get(out), floats.get(out).toFloats(), false);
            assertTrue(fl.maxAbsError() <= 1e-5 * Math.max(1, fl.referenceMaxAbs()), k.name() + " float reference vs ORT: " + fl);
            AccuracyReport q = AccuracyReport.compare(ref.get(out), e.outputs().get(out), false);
            assertTrue(q.maxAbsError() <= 2e-2 * Math.max(1, q.referenceMaxAbs()), k.name() + " integer vs ORT: " + q);
        }
    }
}
