package dev.verinfer.model.graph;

import dev.verinfer.model.UnsupportedModelException;

import java.util.List;
import java.util.Set;

import static dev.verinfer.model.graph.Attrs.allowOnly;
import static dev.verinfer.model.graph.Attrs.getFloat;
import static dev.verinfer.model.graph.Attrs.getInt;
import static dev.verinfer.model.graph.Attrs.getInts;
import static dev.verinfer.model.graph.Attrs.getString;
import static dev.verinfer.model.graph.Attrs.unsupported;

/**
 * Float reference semantics of every supported ONNX operator (double precision). This is also
 * the authority on what is supported: an op or attribute it rejects is unsupported everywhere.
 */
public final class FloatOps {
    /** Every op type this module imports. */
    public static final Set<String> SUPPORTED = Set.of(
            "Gemm", "MatMul", "Conv", "ConvTranspose", "BatchNormalization", "Add", "Sub", "Mul", "Div", "Relu",
            "LeakyRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Gelu", "Erf", "Softmax",
            "LayerNormalization", "ReduceMean", "ReduceSum", "ReduceMax", "Max", "Min", "MaxPool", "AveragePool",
            "GlobalAveragePool", "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Concat", "Slice",
            "Split", "Gather", "Pad", "Resize", "Identity", "Cast", "Log", "Exp", "Sqrt", "Pow", "Where", "Dropout",
            "Shape", "ConstantOfShape", "Expand", "Neg", "Reciprocal",
            "Softplus", "Elu", "Selu", "Celu", "PRelu", "Abs", "Sign", "Round", "Floor", "Ceil",
            "Less", "Greater", "Equal", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor",
            "ReduceMin", "ReduceL1", "ReduceL2", "ReduceLogSumExp", "ReduceSumSquare", "InstanceNormalization", "LpPool",
            "GlobalMaxPool", "Trilu", "Tile", "GatherElements", "GatherND", "ScatterElements", "ScatterND", "NonZero",
            "ArgMax", "ArgMin", "TopK");

    private static final Set<String> NONE = Set.of();
    private static final Set<String> CONV_ATTRS = Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");

    private FloatOps() {}

    /** Evaluates one node; absent optional inputs are null. */
    public static List<Tensor> eval(Node n, List<Tensor> in, int opset) {
        if (!SUPPORTED.contains(n.opType()) && !n.opType().equals(UnaryChains.OP)) throw unsupported(n, "operator '" + n.opType() + "' is not supported");
        Tensor x = in.isEmpty() ? null : in.getFirst();
        return switch (n.opType()) {
            case "Gemm", "MatMul", "Conv", "ConvTranspose", "BatchNormalization" -> List.of(linear(n, in));
            case "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Where" -> List.of(binary(n, in));
            case "Less", "Greater", "Equal", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "PRelu" -> List.of(compare(n, in));
            case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceL1", "ReduceL2", "ReduceLogSumExp", "ReduceSumSquare" ->
                    List.of(reduce(n, in, opset));
            case "InstanceNormalization" -> {
                allowOnly(n, Set.of("epsilon"));
                yield List.of(IndexOps.instanceNorm(x, in.get(1), in.get(2), getFloat(n, "epsilon", 1e-5)));
            }
            case "LpPool" -> List.of(lpPool(n, x));
            case "GlobalMaxPool" -> {
                allowOnly(n, NONE);
                yield List.of(ReduceOps.reduce(x, java.util.stream.IntStream.range(2, x.rank()).toArray(), true, ReduceOps.Kind.MAX));
            }
            case "Trilu", "Tile", "GatherElements", "GatherND", "ScatterElements", "ScatterND", "NonZero", "ArgMax", "ArgMin", "TopK" -> indexed(n, in, x);
            case "Softmax" -> {
                allowOnly(n, Set.of("axis"));
                int axis = MovementOps.axis(getInt(n, "axis", opset < 13 ? 1 : -1), x.rank());
                yield List.of(ReduceOps.softmax(x, axis, opset < 13));
            }
            case "LayerNormalization" -> {
                allowOnly(n, Set.of("axis", "epsilon", "stash_type"));
                if (n.outputs().size() > 1) throw unsupported(n, "only the first output (Y) is supported");
                int axis = MovementOps.axis(getInt(n, "axis", -1), x.rank());
                yield List.of(ReduceOps.layerNorm(x, in.get(1), arg(in, 2), axis, getFloat(n, "epsilon", 1e-5)));
            }
            case "MaxPool", "AveragePool", "GlobalAveragePool" -> List.of(pool(n, x));
            case "Split" -> split(n, in, opset);
            default -> List.of(single(n, in, x, opset));
        };
    }

    private static Tensor arg(List<Tensor> in, int i) { return i < in.size() ? in.get(i) : null; }

    private static Tensor linear(Node n, List<Tensor> in) {
        Tensor x = in.get(0);
        switch (n.opType()) {
            case "Gemm" -> {
                allowOnly(n, Set.of("alpha", "beta", "transA", "transB"));
                return LinearOps.gemm(x, in.get(1), arg(in, 2), getInt(n, "transA", 0) != 0, getInt(n, "transB", 0) != 0,
                        getFloat(n, "alpha", 1), getFloat(n, "beta", 1));
            }
            case "MatMul" -> {
                allowOnly(n, NONE);
                return LinearOps.matmul(x, in.get(1));
            }
            case "Conv" -> {
                allowOnly(n, CONV_ATTRS);
                Tensor w = in.get(1);
                WindowGeometry g = WindowGeometry.of(n, x.shape(), kernel(w), false);
                return LinearOps.conv(x, w, arg(in, 2), g, (int) getInt(n, "group", 1), x.rank());
            }
            case "ConvTranspose" -> {
                allowOnly(n, Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides", "output_padding"));
                return ConvTranspose.eval(n, x, in.get(1), arg(in, 2));
            }
            default -> {
                allowOnly(n, Set.of("epsilon", "momentum", "spatial", "training_mode"));
                if (getInt(n, "training_mode", 0) != 0) throw unsupported(n, "training_mode=1 is not supported");
                if (n.outputs().size() > 1) throw unsupported(n, "only the first output (Y) is supported");
                return ReduceOps.batchNorm(x, in.get(1), in.get(2), in.get(3), in.get(4), getFloat(n, "epsilon", 1e-5));
            }
        }
    }

    static int[] kernel(Tensor w) {
        return java.util.Arrays.copyOfRange(w.shape(), 2, w.rank());
    }

    private static Tensor binary(Node n, List<Tensor> in) {
        Tensor a = in.get(0);
        switch (n.opType()) {
            case "Max", "Min" -> {
                allowOnly(n, NONE);
                return ElementwiseOps.variadic(in, n.opType().equals("Max") ? Math::max : Math::min);
            }
            case "Where" -> {
                allowOnly(n, NONE);
                return ElementwiseOps.where(a, in.get(1), in.get(2));
            }
            case "Pow" -> {
                allowOnly(n, NONE);
                return ElementwiseOps.pow(a, in.get(1));
            }
            default -> {
                allowOnly(n, Set.of("broadcast", "axis"));
                if (n.attributes().containsKey("axis")) throw unsupported(n, "legacy broadcast axis attribute is not supported");
                return ElementwiseOps.binary(a, in.get(1), switch (n.opType()) {
                    case "Add" -> Double::sum;
                    case "Sub" -> (p, q) -> p - q;
                    case "Mul" -> (p, q) -> p * q;
                    default -> (p, q) -> p / q;
                });
            }
        }
    }

    private static Tensor reduce(Node n, List<Tensor> in, int opset) {
        allowOnly(n, Set.of("axes", "keepdims", "noop_with_empty_axes"));
        Tensor x = in.get(0);
        long[] axes = getInts(n, "axes");
        if (arg(in, 1) != null) axes = in.get(1).toLongs();
        if ((axes == null || axes.length == 0) && getInt(n, "noop_with_empty_axes", 0) != 0) return x;
        int[] ax = ReduceOps.axes(axes, x.rank());
        boolean keep = getInt(n, "keepdims", 1) != 0;
        return switch (n.opType()) {
            case "ReduceSum" -> ReduceOps.reduce(x, ax, keep, ReduceOps.Kind.SUM);
            case "ReduceMean" -> ReduceOps.reduce(x, ax, keep, ReduceOps.Kind.MEAN);
            case "ReduceMax" -> ReduceOps.reduce(x, ax, keep, ReduceOps.Kind.MAX);
            case "ReduceMin" -> ElementwiseOps.unary(ReduceOps.reduce(ElementwiseOps.unary(x, v -> -v), ax, keep, ReduceOps.Kind.MAX), v -> -v);
            case "ReduceL1" -> ReduceOps.reduce(ElementwiseOps.unary(x, Math::abs), ax, keep, ReduceOps.Kind.SUM);
            case "ReduceL2" -> ElementwiseOps.unary(ReduceOps.reduce(ElementwiseOps.unary(x, v -> v * v), ax, keep, ReduceOps.Kind.SUM), StrictMath::sqrt);
            case "ReduceSumSquare" -> ReduceOps.reduce(ElementwiseOps.unary(x, v -> v * v), ax, keep, ReduceOps.Kind.SUM);
            default -> { // ReduceLogSumExp = m + log Σ exp(x − m), m the maximum
                Tensor m = ReduceOps.reduce(x, ax, true, ReduceOps.Kind.MAX);
                Tensor e = ElementwiseOps.unary(ElementwiseOps.binary(x, m, (p, r) -> p - r), StrictMath::exp);
                Tensor l = ElementwiseOps.binary(ElementwiseOps.unary(ReduceOps.reduce(e, ax, true, ReduceOps.Kind.SUM), StrictMath::log), m, Double::sum);
                yield l.reshape(ReduceOps.reducedShape(x.shape(), ax, keep));
            }
        };
    }

    /** Comparisons and logic give 1 or 0 (ONNX booleans); PRelu is x or slope·x. */
    private static Tensor compare(Node n, List<Tensor> in) {
        allowOnly(n, NONE);
        return ElementwiseOps.binary(in.get(0), in.get(1), switch (n.opType()) {
            case "Less" -> (a, b) -> a < b ? 1 : 0;
            case "Greater" -> (a, b) -> a > b ? 1 : 0;
            case "Equal" -> (a, b) -> a == b ? 1 : 0;
            case "LessOrEqual" -> (a, b) -> a <= b ? 1 : 0;
            case "GreaterOrEqual" -> (a, b) -> a >= b ? 1 : 0;
            case "And" -> (a, b) -> a != 0 && b != 0 ? 1 : 0;
            case "Or" -> (a, b) -> a != 0 || b != 0 ? 1 : 0;
            case "Xor" -> (a, b) -> (a != 0) != (b != 0) ? 1 : 0;
            default -> (a, s) -> a >= 0 ? a : s * a;
        });
    }

    /** LpPool: (Σ over the window of |x|^p)^(1/p), padding contributing 0. */
    private static Tensor lpPool(Node n, Tensor x) {
        allowOnly(n, Set.of("auto_pad", "ceil_mode", "dilations", "kernel_shape", "p", "pads", "strides"));
        long p = getInt(n, "p", 2);
        if (p != 1 && p != 2) throw unsupported(n, "LpPool p=" + p + " is not supported (only 1 and 2)");
        WindowGeometry g = WindowGeometry.of(n, x.shape(), null, getInt(n, "ceil_mode", 0) != 0);
        Tensor powered = ElementwiseOps.unary(x, p == 1 ? Math::abs : v -> v * v);
        Tensor sum = ElementwiseOps.unary(ReduceOps.pool(powered, g, false, true), v -> v * g.kh() * g.kw());
        return p == 1 ? sum : ElementwiseOps.unary(sum, StrictMath::sqrt);
    }

    private static List<Tensor> indexed(Node n, List<Tensor> in, Tensor x) {
        return switch (n.opType()) {
            case "Trilu" -> {
                allowOnly(n, Set.of("upper"));
                long k = arg(in, 1) == null ? 0 : (long) in.get(1).data()[0];
                yield List.of(IndexOps.trilu(x, k, getInt(n, "upper", 1) != 0));
            }
            case "Tile" -> {
                allowOnly(n, NONE);
                yield List.of(IndexOps.tile(x, in.get(1).toLongs()));
            }
            case "GatherElements" -> {
                allowOnly(n, Set.of("axis"));
                yield List.of(IndexOps.gatherElements(x, in.get(1), MovementOps.axis(getInt(n, "axis", 0), x.rank())));
            }
            case "GatherND" -> {
                allowOnly(n, Set.of("batch_dims"));
                yield List.of(IndexOps.gatherND(x, in.get(1), (int) getInt(n, "batch_dims", 0)));
            }
            case "ScatterElements", "ScatterND" -> {
                allowOnly(n, Set.of("axis", "reduction"));
                if (!getString(n, "reduction", "none").equals("none")) throw unsupported(n, "reduction='" + getString(n, "reduction", "") + "' is not supported");
                yield List.of(n.opType().equals("ScatterND") ? IndexOps.scatterND(x, in.get(1), in.get(2))
                        : IndexOps.scatterElements(x, in.get(1), in.get(2), MovementOps.axis(getInt(n, "axis", 0), x.rank())));
            }
            case "NonZero" -> {
                allowOnly(n, NONE);
                yield List.of(IndexOps.nonZero(x));
            }
            case "ArgMax", "ArgMin" -> {
                allowOnly(n, Set.of("axis", "keepdims", "select_last_index"));
                yield List.of(IndexOps.argExtreme(x, MovementOps.axis(getInt(n, "axis", 0), x.rank()), getInt(n, "keepdims", 1) != 0,
                        n.opType().equals("ArgMax"), getInt(n, "select_last_index", 0) != 0));
            }
            default -> { // TopK
                allowOnly(n, Set.of("axis", "largest", "sorted", "k"));
                if (getInt(n, "sorted", 1) == 0) throw unsupported(n, "sorted=0 is not supported");
                int k = arg(in, 1) != null ? (int) in.get(1).data()[0] : (int) getInt(n, "k", 1);
                yield IndexOps.topK(x, k, MovementOps.axis(getInt(n, "axis", -1), x.rank()), getInt(n, "largest", 1) != 0);
            }
        };
    }

    private static Tensor pool(Node n, Tensor x) {
        if (n.opType().equals("GlobalAveragePool")) {
            allowOnly(n, NONE);
            int[] axes = java.util.stream.IntStream.range(2, x.rank()).toArray();
            return ReduceOps.reduce(x, axes, true, ReduceOps.Kind.MEAN);
        }
        allowOnly(n, Set.of("auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "storage_order", "strides"));
        if (getInt(n, "storage_order", 0) != 0) throw unsupported(n, "storage_order=1 is not supported");
        if (n.outputs().size() > 1) throw unsupported(n, "the Indices output is not supported");
        WindowGeometry g = WindowGeometry.of(n, x.shape(), null, getInt(n, "ceil_mode", 0) != 0);
        return ReduceOps.pool(x, g, n.opType().equals("MaxPool"), getInt(n, "count_include_pad", 0) != 0);
    }

    private static List<Tensor> split(Node n, List<Tensor> in, int opset) {
        allowOnly(n, Set.of("axis", "split", "num_outputs"));
        Tensor x = in.get(0);
        int axis = MovementOps.axis(getInt(n, "axis", 0), x.rank());
        int parts = n.outputs().size();
        int[] sizes;
        if (arg(in, 1) != null) sizes = toInts(in.get(1));
        else if (getInts(n, "split") != null) sizes = Attrs.getIntArray(n, "split", null);
        else {
            int dim = x.shape()[axis], each = Math.ceilDiv(dim, parts);
            sizes = new int[parts];
            for (int i = 0; i < parts; i++) sizes[i] = Math.min(each, dim - i * each);
        }
        return MovementOps.split(x, axis, sizes);
    }

    static int[] toInts(Tensor t) {
        int[] r = new int[t.size()];
        for (int i = 0; i < r.length; i++) r[i] = (int) t.data()[i];
        return r;
    }

    private static Tensor single(Node n, List<Tensor> in, Tensor x, int opset) {
        return switch (n.opType()) {
            case "Relu" -> unary(n, x, NONE, v -> Math.max(v, 0));
            case "LeakyRelu" -> {
                double alpha = getFloat(n, "alpha", 0.01);
                yield unary(n, x, Set.of("alpha"), v -> v >= 0 ? v : alpha * v);
            }
            case "Sigmoid" -> unary(n, x, NONE, Functions::sigmoid);
            case "HardSigmoid" -> {
                double alpha = getFloat(n, "alpha", 0.2), beta = getFloat(n, "beta", 0.5);
                yield unary(n, x, Set.of("alpha", "beta"), v -> Functions.hardSigmoid(v, alpha, beta));
            }
            case "HardSwish" -> unary(n, x, NONE, Functions::hardSwish);
            case UnaryChains.OP -> unary(n, x, Set.of(UnaryChains.EXPRESSION), UnaryExpression.compile(getString(n, UnaryChains.EXPRESSION, "")));
            case "Tanh" -> unary(n, x, NONE, StrictMath::tanh);
            case "Erf" -> unary(n, x, NONE, Functions::erf);
            case "Gelu" -> {
                String approx = getString(n, "approximate", "none");
                if (!approx.equals("none") && !approx.equals("tanh")) throw unsupported(n, "approximate='" + approx + "' is not supported");
                yield unary(n, x, Set.of("approximate"), approx.equals("tanh") ? Functions::geluTanh : Functions::gelu);
            }
            case "Exp" -> unary(n, x, NONE, StrictMath::exp);
            case "Softplus" -> unary(n, x, NONE, Functions::softplus);
            case "Elu" -> {
                double alpha = getFloat(n, "alpha", 1);
                yield unary(n, x, Set.of("alpha"), v -> Functions.elu(v, alpha));
            }
            case "Selu" -> {
                double alpha = getFloat(n, "alpha", 1.67326319217681884765625), gamma = getFloat(n, "gamma", 1.05070102214813232421875);
                yield unary(n, x, Set.of("alpha", "gamma"), v -> Functions.selu(v, alpha, gamma));
            }
            case "Celu" -> {
                double alpha = getFloat(n, "alpha", 1);
                yield unary(n, x, Set.of("alpha"), v -> Functions.celu(v, alpha));
            }
            case "Abs" -> unary(n, x, NONE, Math::abs);
            case "Sign" -> unary(n, x, NONE, Math::signum);
            case "Round" -> unary(n, x, NONE, Math::rint); // half to even, as ONNX
            case "Floor" -> unary(n, x, NONE, Math::floor);
            case "Ceil" -> unary(n, x, NONE, Math::ceil);
            case "Not" -> unary(n, x, NONE, v -> v == 0 ? 1 : 0);
            case "Log" -> unary(n, x, NONE, StrictMath::log);
            case "Sqrt" -> unary(n, x, NONE, StrictMath::sqrt);
            case "Neg" -> unary(n, x, NONE, v -> -v);
            case "Reciprocal" -> unary(n, x, NONE, v -> 1 / v);
            case "Identity" -> unary(n, x, NONE, v -> v);
            case "Dropout" -> {
                allowOnly(n, Set.of("ratio", "seed"));
                if (n.outputs().size() > 1) throw unsupported(n, "the mask output is not supported");
                yield x;
            }
            case "Cast" -> {
                allowOnly(n, Set.of("to", "saturate"));
                yield cast(n, x, getInt(n, "to", 1));
            }
            case "Clip" -> {
                allowOnly(n, Set.of("min", "max"));
                Tensor lo = arg(in, 1), hi = arg(in, 2);
                if (opset < 11) {
                    lo = Tensor.scalar(getFloat(n, "min", Double.NEGATIVE_INFINITY));
                    hi = Tensor.scalar(getFloat(n, "max", Double.POSITIVE_INFINITY));
                }
                Tensor y = lo == null ? x : ElementwiseOps.binary(x, lo, Math::max);
                yield hi == null ? y : ElementwiseOps.binary(y, hi, Math::min);
            }
            case "Shape" -> {
                allowOnly(n, Set.of("start", "end"));
                int r = x.rank();
                int s = MovementOps.axis(getInt(n, "start", 0), r), e = Math.min(r, MovementOps.axis(getInt(n, "end", r), r));
                double[] d = new double[Math.max(0, e - s)];
                for (int i = 0; i < d.length; i++) d[i] = x.shape()[s + i];
                yield Tensor.vector(d);
            }
            case "ConstantOfShape" -> {
                allowOnly(n, Set.of("value"));
                Tensor v = (Tensor) n.attributes().get("value");
                Tensor out = Tensor.zeros(toInts(x));
                if (v != null) java.util.Arrays.fill(out.data(), v.data()[0]);
                yield out;
            }
            case "Flatten" -> {
                allowOnly(n, Set.of("axis"));
                yield MovementOps.flatten(x, MovementOps.axis(getInt(n, "axis", 1), x.rank()));
            }
            case "Reshape" -> {
                allowOnly(n, Set.of("allowzero", "shape"));
                Tensor target = arg(in, 1) != null ? in.get(1) : Tensor.vector(java.util.Arrays.stream(getInts(n, "shape")).asDoubleStream().toArray());
                yield MovementOps.reshape(x, target, getInt(n, "allowzero", 0) != 0);
            }
            case "Squeeze", "Unsqueeze" -> {
                allowOnly(n, Set.of("axes"));
                long[] axes = arg(in, 1) != null ? in.get(1).toLongs() : getInts(n, "axes");
                if (n.opType().equals("Squeeze")) yield MovementOps.squeeze(x, axes);
                if (axes == null) throw unsupported(n, "Unsqueeze needs axes");
                yield MovementOps.unsqueeze(x, axes);
            }
            case "Transpose" -> {
                allowOnly(n, Set.of("perm"));
                yield MovementOps.transpose(x, Attrs.getIntArray(n, "perm", null));
            }
            case "Concat" -> {
                allowOnly(n, Set.of("axis"));
                yield MovementOps.concat(in, MovementOps.axis(getInt(n, "axis", 0), x.rank()));
            }
            case "Slice" -> slice(n, in, x, opset);
            case "Gather" -> {
                allowOnly(n, Set.of("axis"));
                yield MovementOps.gather(x, in.get(1), MovementOps.axis(getInt(n, "axis", 0), x.rank()));
            }
            case "Pad" -> pad(n, in, x, opset);
            case "Expand" -> {
                allowOnly(n, NONE);
                yield MovementOps.expand(x, toInts(in.get(1)));
            }
            case "Resize" -> resize(n, in, x, opset);
            default -> throw unsupported(n, "operator '" + n.opType() + "' is not supported");
        };
    }

    private static Tensor unary(Node n, Tensor x, Set<String> attrs, java.util.function.DoubleUnaryOperator f) {
        allowOnly(n, attrs);
        return ElementwiseOps.unary(x, f);
    }

    private static Tensor cast(Node n, Tensor x, long to) {
        return switch ((int) to) {
            case 1, 10, 11, 16 -> x; // float types: values already held exactly as doubles
            case 6, 7, 3, 5, 2, 4, 12, 13 -> ElementwiseOps.unary(x, v -> (double) (long) v); // truncation toward zero
            case 9 -> ElementwiseOps.unary(x, v -> v != 0 ? 1 : 0);
            default -> throw unsupported(n, "Cast to data type " + to + " is not supported");
        };
    }

    private static Tensor slice(Node n, List<Tensor> in, Tensor x, int opset) {
        allowOnly(n, Set.of("starts", "ends", "axes"));
        if (opset < 10) return MovementOps.slice(x, getInts(n, "starts"), getInts(n, "ends"), getInts(n, "axes"), null);
        Tensor axes = arg(in, 3), steps = arg(in, 4);
        return MovementOps.slice(x, in.get(1).toLongs(), in.get(2).toLongs(), axes == null ? null : axes.toLongs(), steps == null ? null : steps.toLongs());
    }

    private static Tensor pad(Node n, List<Tensor> in, Tensor x, int opset) {
        allowOnly(n, Set.of("mode", "pads", "value"));
        String mode = getString(n, "mode", "constant");
        if (!Set.of("constant", "edge", "reflect").contains(mode)) throw unsupported(n, "Pad mode '" + mode + "' is not supported");
        if (opset < 11) return MovementOps.pad(x, getInts(n, "pads"), mode, getFloat(n, "value", 0));
        if (arg(in, 3) != null) throw unsupported(n, "the axes input of Pad is not supported");
        Tensor value = arg(in, 2);
        return MovementOps.pad(x, in.get(1).toLongs(), mode, value == null ? 0 : value.data()[0]);
    }

    private static Tensor resize(Node n, List<Tensor> in, Tensor x, int opset) {
        allowOnly(n, Set.of("mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside", "extrapolation_value", "antialias", "keep_aspect_ratio_policy", "axes"));
        String mode = getString(n, "mode", "nearest");
        if (!mode.equals("nearest")) throw unsupported(n, "Resize mode '" + mode + "' is not supported (only nearest)");
        if (n.attributes().containsKey("axes")) throw unsupported(n, "the axes attribute of Resize is not supported");
        Tensor scalesT = opset < 11 ? arg(in, 1) : arg(in, 2), sizesT = opset < 11 ? null : arg(in, 3);
        int r = x.rank();
        int[] out = new int[r];
        double[] scales = new double[r];
        for (int a = 0; a < r; a++) {
            if (sizesT != null && sizesT.size() == r) {
                out[a] = (int) sizesT.data()[a];
                scales[a] = (double) out[a] / x.shape()[a];
            } else if (scalesT != null && scalesT.size() == r) {
                scales[a] = scalesT.data()[a];
                out[a] = (int) Math.floor(x.shape()[a] * scales[a]);
            } else throw unsupported(n, "Resize needs scales or sizes for every axis");
        }
        String coord = opset < 11 ? "asymmetric" : getString(n, "coordinate_transformation_mode", "half_pixel");
        String nearest = opset < 11 ? "floor" : getString(n, "nearest_mode", "round_prefer_floor");
        if (coord.equals("tf_crop_and_resize")) throw unsupported(n, "coordinate_transformation_mode tf_crop_and_resize is not supported");
        return MovementOps.resizeNearest(x, out, scales, coord, nearest);
    }
}
