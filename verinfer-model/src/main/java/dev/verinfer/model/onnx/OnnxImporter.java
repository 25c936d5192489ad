package dev.verinfer.model.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.verinfer.model.ModelFormatException;
import dev.verinfer.model.UnsupportedModelException;
import dev.verinfer.model.graph.Graph;
import dev.verinfer.model.graph.Node;
import dev.verinfer.model.graph.Tensor;
import dev.verinfer.model.graph.ValueInfo;
import dev.verinfer.model.onnx.proto.Onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ONNX {@code ModelProto} into the float {@link Graph}. Initializers and {@code Constant}
 * nodes both become constants; graph inputs that have an initializer are constants, not inputs.
 */
public final class OnnxImporter {
    static final int MIN_OPSET = 9;
    static final int MAX_OPSET = 21;

    private OnnxImporter() {}

    public static Graph read(Path file) {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ONNX model " + file, e);
        }
    }

    public static Graph parse(byte[] bytes) {
        Onnx.ModelProto model;
        try {
            model = Onnx.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException("not a valid ONNX model (" + bytes.length + " bytes): " + e.getMessage(), e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new ModelFormatException("ONNX model has no graph or an empty graph (" + bytes.length + " bytes; truncated?)");
        }
        return toGraph(model);
    }

    private static Graph toGraph(Onnx.ModelProto model) {
        int opset = opset(model);
        Onnx.GraphProto g = model.getGraph();
        Map<String, Tensor> constants = new HashMap<>();
        List<Node> nodes = nodes(g, constants, "", opset);
        List<ValueInfo> inputs = new ArrayList<>();
        for (Onnx.ValueInfoProto vi : g.getInputList()) {
            if (!constants.containsKey(vi.getName())) inputs.add(valueInfo(vi));
        }
        List<String> outputs = g.getOutputList().stream().map(Onnx.ValueInfoProto::getName).toList();
        checkDefined(nodes, constants, inputs, outputs);
        return new Graph(g.getName(), opset, nodes, constants, inputs, outputs);
    }

    /** The nodes of a graph or sub-graph; its initializers and Constant nodes go to {@code constants}. */
    private static List<Node> nodes(Onnx.GraphProto g, Map<String, Tensor> constants, String prefix, int opset) {
        for (Onnx.TensorProto t : g.getInitializerList()) constants.put(t.getName(), tensor(t, t.getName()));
        List<Node> nodes = new ArrayList<>();
        int index = 0;
        for (Onnx.NodeProto np : g.getNodeList()) {
            String name = prefix + (np.getName().isEmpty() ? np.getOpType() + "_" + index : np.getName());
            index++;
            if (!np.getDomain().isEmpty() && !np.getDomain().equals("ai.onnx")) {
                throw UnsupportedModelException.of(name, np.getOpType(), "operator domain '" + np.getDomain() + "' is not supported");
            }
            Map<String, Object> attrs = new LinkedHashMap<>();
            for (Onnx.AttributeProto a : np.getAttributeList()) {
                attrs.put(a.getName(), a.getType() == Onnx.AttributeProto.AttributeType.GRAPH
                        ? subgraph(a.getG(), name + "/" + a.getName() + "/", opset) : attribute(a, name, np.getOpType()));
            }
            if (np.getOpType().equals("Constant")) {
                constants.put(np.getOutput(0), constantValue(name, attrs));
                continue;
            }
            nodes.add(new Node(name, np.getOpType(), np.getInputList(), np.getOutputList(), attrs));
        }
        return nodes;
    }

    /** A branch of an If (or a loop body): no inputs of its own; it reads values of the enclosing graph by name. */
    private static Graph subgraph(Onnx.GraphProto g, String prefix, int opset) {
        Map<String, Tensor> constants = new HashMap<>();
        List<Node> nodes = nodes(g, constants, prefix, opset);
        List<ValueInfo> inputs = g.getInputList().stream().map(OnnxImporter::valueInfo).toList();
        return new Graph(g.getName(), opset, nodes, constants, inputs, g.getOutputList().stream().map(Onnx.ValueInfoProto::getName).toList());
    }

    /** Every value read is defined before use (a truncated file may still parse, minus its tail). */
    private static void checkDefined(List<Node> nodes, Map<String, Tensor> constants, List<ValueInfo> inputs, List<String> outputs) {
        java.util.Set<String> defined = new java.util.HashSet<>(constants.keySet());
        inputs.forEach(i -> defined.add(i.name()));
        for (Node n : nodes) {
            for (String i : n.inputs()) {
                if (!i.isEmpty() && !defined.contains(i)) {
                    throw new ModelFormatException("node '" + n.name() + "' reads '" + i + "', which is not defined before it (malformed or truncated model)");
                }
            }
            defined.addAll(n.outputs());
        }
        if (outputs.isEmpty()) throw new ModelFormatException("the graph declares no outputs (malformed or truncated model)");
        for (String o : outputs) {
            if (!defined.contains(o)) throw new ModelFormatException("graph output '" + o + "' is never computed (malformed or truncated model)");
        }
    }

    private static int opset(Onnx.ModelProto model) {
        for (Onnx.OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                int v = (int) o.getVersion();
                if (v < MIN_OPSET || v > MAX_OPSET) {
                    throw new UnsupportedModelException("ONNX opset " + v + " is not supported (supported: " + MIN_OPSET + ".." + MAX_OPSET + ")");
                }
                return v;
            }
        }
        throw new ModelFormatException("ONNX model imports no default-domain opset");
    }

    private static ValueInfo valueInfo(Onnx.ValueInfoProto vi) {
        int type = vi.getType().hasTensorType() ? vi.getType().getTensorType().getElemType() : 0;
        if (!vi.getType().hasTensorType() || !vi.getType().getTensorType().hasShape()) return new ValueInfo(vi.getName(), null, type);
        List<Long> dims = new ArrayList<>();
        for (Onnx.TensorShapeProto.Dimension d : vi.getType().getTensorType().getShape().getDimList()) {
            dims.add(d.hasDimValue() && d.getDimValue() > 0 ? d.getDimValue() : null);
        }
        return new ValueInfo(vi.getName(), dims, type);
    }

    private static Tensor constantValue(String node, Map<String, Object> attrs) {
        if (attrs.get("value") instanceof Tensor t) return t;
        if (attrs.get("value_float") instanceof Double d) return Tensor.scalar(d);
        if (attrs.get("value_int") instanceof Long l) return Tensor.scalar(l);
        if (attrs.get("value_floats") instanceof double[] d) return Tensor.vector(d);
        if (attrs.get("value_ints") instanceof long[] l) {
            double[] d = new double[l.length];
            for (int i = 0; i < l.length; i++) d[i] = l[i];
            return Tensor.vector(d);
        }
        throw UnsupportedModelException.of(node, "Constant", "needs a value, value_float(s) or value_int(s) attribute; has " + attrs.keySet());
    }

    private static Object attribute(Onnx.AttributeProto a, String node, String op) {
        return switch (a.getType()) {
            case FLOAT -> (double) a.getF();
            case INT -> a.getI();
            case STRING -> a.getS().toStringUtf8();
            case TENSOR -> tensor(a.getT(), node + "." + a.getName());
            case FLOATS -> {
                double[] d = new double[a.getFloatsCount()];
                for (int i = 0; i < d.length; i++) d[i] = a.getFloats(i);
                yield d;
            }
            case INTS -> a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            case STRINGS -> a.getStringsList().stream().map(ByteString::toStringUtf8).toArray(String[]::new);
            default -> throw UnsupportedModelException.of(node, op, "attribute '" + a.getName() + "' of type " + a.getType() + " is not supported");
        };
    }

    static Tensor tensor(Onnx.TensorProto t, String what) {
        int[] shape = new int[t.getDimsCount()];
        for (int i = 0; i < shape.length; i++) shape[i] = Math.toIntExact(t.getDims(i));
        int n = Tensor.size(shape);
        if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
            throw new UnsupportedModelException("tensor '" + what + "' uses external data, which is not supported");
        }
        Onnx.TensorProto.DataType type = Onnx.TensorProto.DataType.forNumber(t.getDataType());
        if (type == null) throw new ModelFormatException("tensor '" + what + "' has unknown data type " + t.getDataType());
        double[] d = t.hasRawData() ? raw(t.getRawData(), type, n, what) : typed(t, type, n, what);
        return new Tensor(shape, d);
    }

    private static double[] raw(ByteString bytes, Onnx.TensorProto.DataType type, int n, String what) {
        int width = switch (type) {
            case FLOAT, INT32, UINT32 -> 4;
            case DOUBLE, INT64, UINT64 -> 8;
            case INT8, UINT8, BOOL -> 1;
            case INT16, UINT16 -> 2;
            default -> throw new UnsupportedModelException("tensor '" + what + "' has unsupported data type " + type);
        };
        if (bytes.size() != (long) width * n) {
            throw new ModelFormatException("tensor '" + what + "' holds " + bytes.size() + " bytes, expected " + (long) width * n);
        }
        ByteBuffer b = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = switch (type) {
                case FLOAT -> b.getFloat();
                case DOUBLE -> b.getDouble();
                case INT32 -> b.getInt();
                case UINT32 -> Integer.toUnsignedLong(b.getInt());
                case INT64, UINT64 -> b.getLong();
                case INT8 -> b.get();
                case UINT8, BOOL -> Byte.toUnsignedInt(b.get());
                case INT16 -> b.getShort();
                default -> Short.toUnsignedInt(b.getShort());
            };
        }
        return d;
    }

    private static double[] typed(Onnx.TensorProto t, Onnx.TensorProto.DataType type, int n, String what) {
        double[] d = new double[n];
        int count = switch (type) {
            case FLOAT -> t.getFloatDataCount();
            case DOUBLE -> t.getDoubleDataCount();
            case INT64 -> t.getInt64DataCount();
            case UINT32, UINT64 -> t.getUint64DataCount();
            case INT32, INT16, INT8, UINT16, UINT8, BOOL -> t.getInt32DataCount();
            default -> throw new UnsupportedModelException("tensor '" + what + "' has unsupported data type " + type);
        };
        if (count != n) throw new ModelFormatException("tensor '" + what + "' holds " + count + " values, expected " + n);
        for (int i = 0; i < n; i++) {
            d[i] = switch (type) {
                case FLOAT -> t.getFloatData(i);
                case DOUBLE -> t.getDoubleData(i);
                case INT64 -> t.getInt64Data(i);
                case UINT32, UINT64 -> t.getUint64Data(i);
                default -> t.getInt32Data(i);
            };
        }
        return d;
    }
}
