package dev.verinfer.model;

import com.google.protobuf.ByteString;
import dev.verinfer.model.onnx.proto.Onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Writes small ONNX models with the generated protobuf classes, for tests. */
final class OnnxBuilder {
    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder().setName("test");
    private final int opset;
    private int nodes;
    final List<String> inputNames = new ArrayList<>();
    final List<int[]> inputShapes = new ArrayList<>();
    /** ONNX element type of each input (1 float, 7 int64, 6 int32, 9 bool). */
    final List<Integer> inputTypes = new ArrayList<>();

    OnnxBuilder(int opset) { this.opset = opset; }

    OnnxBuilder input(String name, int... shape) { return typedInput(name, 1, shape); }

    OnnxBuilder typedInput(String name, int elemType, int... shape) {
        Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder();
        for (int d : shape) s.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        graph.addInput(Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s))));
        inputNames.add(name);
        inputShapes.add(shape);
        inputTypes.add(elemType);
        return this;
    }

    OnnxBuilder output(String name) { return output(name, 1); }

    OnnxBuilder output(String name, int elemType) {
        graph.addOutput(Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(elemType))));
        return this;
    }

    /** This builder's nodes, initializers and outputs as a sub-graph (an If branch). */
    Onnx.GraphProto graphProto() { return graph.build(); }

    static Onnx.TensorProto floats(String name, int[] shape, float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(1).setRawData(ByteString.copyFrom(b.flip()));
        for (int d : shape) t.addDims(d);
        return t.build();
    }

    static Onnx.TensorProto longs(String name, long... v) {
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(7).addDims(v.length);
        for (long x : v) t.addInt64Data(x);
        return t.build();
    }

    OnnxBuilder weight(String name, int[] shape, float[] v) {
        graph.addInitializer(floats(name, shape, v));
        return this;
    }

    /** A random weight with values in [-scale, scale). */
    OnnxBuilder random(String name, long seed, double scale, int... shape) {
        return weight(name, shape, uniform(seed, size(shape), -scale, scale));
    }

    OnnxBuilder ints(String name, long... v) {
        graph.addInitializer(longs(name, v));
        return this;
    }

    OnnxBuilder scalar(String name, float v) { return weight(name, new int[0], new float[] {v}); }

    /** A weight stored as a Constant node (as opset-9 exporters do). */
    OnnxBuilder constantNode(String name, int[] shape, float[] v) {
        graph.addNode(Onnx.NodeProto.newBuilder().setOpType("Constant").setName("const_" + name).addOutput(name)
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("value").setType(Onnx.AttributeProto.AttributeType.TENSOR).setT(floats(name, shape, v))));
        return this;
    }

    /** A node; attrs are name/value pairs with values Long, Integer, Double, Float, String, long[], int[], float[]. */
    OnnxBuilder node(String op, List<String> in, List<String> out, Object... attrs) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(op + "_" + nodes++).addAllInput(in).addAllOutput(out);
        for (int i = 0; i < attrs.length; i += 2) n.addAttribute(attr((String) attrs[i], attrs[i + 1]));
        graph.addNode(n);
        return this;
    }

    OnnxBuilder node(String op, String in, String out, Object... attrs) { return node(op, List.of(in.split(",", -1)), List.of(out.split(",")), attrs); }

    private static Onnx.AttributeProto attr(String name, Object v) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name);
        switch (v) {
            case Integer i -> a.setType(Onnx.AttributeProto.AttributeType.INT).setI(i);
            case Long l -> a.setType(Onnx.AttributeProto.AttributeType.INT).setI(l);
            case Double d -> a.setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(d.floatValue());
            case Float f -> a.setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(f);
            case String s -> a.setType(Onnx.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
            case int[] is -> { a.setType(Onnx.AttributeProto.AttributeType.INTS); for (int x : is) a.addInts(x); }
            case long[] ls -> { a.setType(Onnx.AttributeProto.AttributeType.INTS); for (long x : ls) a.addInts(x); }
            case float[] fs -> { a.setType(Onnx.AttributeProto.AttributeType.FLOATS); for (float x : fs) a.addFloats(x); }
            case String[] ss -> { a.setType(Onnx.AttributeProto.AttributeType.STRINGS); for (String x : ss) a.addStrings(ByteString.copyFromUtf8(x)); }
            case Onnx.TensorProto t -> a.setType(Onnx.AttributeProto.AttributeType.TENSOR).setT(t);
            case Onnx.GraphProto g -> a.setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(g);
            default -> throw new IllegalArgumentException("attribute type " + v.getClass());
        }
        return a.build();
    }

    byte[] build() {
        return Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("verinfer-test")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph).build().toByteArray();
    }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    static float[] uniform(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return v;
    }
}
