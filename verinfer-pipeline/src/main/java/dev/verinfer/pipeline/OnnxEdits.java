package dev.verinfer.pipeline;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.verinfer.model.ModelFormatException;
import dev.verinfer.model.onnx.proto.Onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Small builders for editing ONNX graphs (protobuf): constants, nodes, typed float values. */
final class OnnxEdits {
    private OnnxEdits() {}

    static Onnx.ModelProto parse(byte[] onnx) {
        try {
            return Onnx.ModelProto.parseFrom(onnx);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException("not a valid ONNX model: " + e.getMessage(), e);
        }
    }

    static Onnx.TensorProto scalar(String name, float v) {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v);
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                .setRawData(com.google.protobuf.ByteString.copyFrom(b.flip())).build();
    }

    static Onnx.TensorProto longs(String name, long... v) {
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(Onnx.TensorProto.DataType.INT64_VALUE).addDims(v.length);
        for (long x : v) t.addInt64Data(x);
        return t.build();
    }

    static Onnx.NodeProto node(String op, String name, List<String> inputs, String output, Onnx.AttributeProto... attributes) {
        return Onnx.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output).addAllAttribute(List.of(attributes)).build();
    }

    static Onnx.AttributeProto intAttribute(String name, long v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(v).build();
    }

    /** A float tensor value; {@code shape} null for an unspecified shape. */
    static Onnx.ValueInfoProto floatValue(String name, int[] shape) {
        Onnx.TypeProto.Tensor.Builder t = Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE);
        if (shape != null) {
            Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder();
            for (int d : shape) s.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
            t.setShape(s);
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(t)).build();
    }

    /** The graph's inputs that are not initializers (the real inputs). */
    static List<Onnx.ValueInfoProto> realInputs(Onnx.GraphProto g) {
        java.util.Set<String> init = new java.util.HashSet<>();
        g.getInitializerList().forEach(t -> init.add(t.getName()));
        return g.getInputList().stream().filter(v -> !init.contains(v.getName())).toList();
    }
}
