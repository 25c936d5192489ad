package dev.verinfer.model.quant;

import dev.verinfer.model.graph.FloatOps;
import dev.verinfer.model.graph.Node;
import dev.verinfer.model.graph.PreparedGraph;

import java.util.ArrayList;
import java.util.List;

/**
 * Lowers a prepared float graph to the {@link QuantGraph} contract using calibrated ranges and a
 * {@link QuantConfig}. Every float node becomes a few quantised ops; the ops' declared bounds are
 * worst cases (linear layers, exact from the weights) or calibrated (Rescale and table outputs,
 * checked by the executor).
 */
public final class Quantiser {
    private Quantiser() {}

    /** The quantised graph and, for every float value, the id of the tensor that carries it. */
    public record Result(QuantGraph graph, java.util.Map<String, Integer> valueIds) {
        public Result { valueIds = java.util.Map.copyOf(valueIds); }
    }

    public static QuantGraph quantise(PreparedGraph pg, Calibration cal, QuantConfig cfg) {
        return lower(pg, cal, cfg).graph();
    }

    public static Result lower(PreparedGraph pg, Calibration cal, QuantConfig cfg) {
        return lower(pg, cal, cfg, java.util.Map.of());
    }

    /**
     * Like {@link #lower(PreparedGraph, Calibration, QuantConfig)}, with the inputs named in
     * {@code fixedInputs} quantised in the given format instead of the calibrated one (every other
     * tensor is still calibrated).
     */
    public static Result lower(PreparedGraph pg, Calibration cal, QuantConfig cfg, java.util.Map<String, TensorFormat> fixedInputs) {
        for (String name : fixedInputs.keySet()) {
            if (!pg.graph().inputNames().contains(name)) {
                throw new IllegalArgumentException("a format is fixed for '" + name + "', which is not an input; inputs are " + pg.graph().inputNames());
            }
        }
        Lowering q = new Lowering(pg, cal, cfg);
        int opset = pg.graph().opset();
        List<Integer> inputs = new ArrayList<>();
        for (dev.verinfer.model.graph.ValueInfo vi : pg.graph().inputs()) {
            String name = vi.name();
            TensorFormat f = fixedInputs.getOrDefault(name, inputFormat(vi, cal, cfg));
            int id = q.add(name, pg.shape(name), f.scale(), f.bits(), QTensor.Kind.INPUT, null);
            inputs.add(id);
            if (vi.isBoolean() && !fixedInputs.containsKey(name)) {
                // a public input bounded by |v| < 2: Max(v, 0) makes it a 0/1 boolean, as every boolean is
                q.node = new Node(name, "Input", List.of(), List.of(name), java.util.Map.of());
                id = q.emit(new QOp.Max(id, q.scalar(0, 0)), q.fresh("boolean"), pg.shape(name), 0, 1);
            }
            q.bind(name, id);
        }
        LinearLowering linear = new LinearLowering(q);
        PointwiseLowering pointwise = new PointwiseLowering(q);
        ReduceLowering reduce = new ReduceLowering(q);
        LogicLowering logic = new LogicLowering(q);
        MovementLowering movement = new MovementLowering(q, opset, logic);
        // Every node that cannot be lowered is collected (nodes reading its outputs are skipped), then all are reported at once.
        List<dev.verinfer.model.UnsupportedModelException> problems = new ArrayList<>();
        java.util.Set<String> blocked = new java.util.HashSet<>();
        for (Node n : pg.graph().nodes()) {
            q.node = n;
            if (n.inputs().stream().anyMatch(blocked::contains)) {
                blocked.addAll(n.outputs());
                continue;
            }
            try {
                lowerNode(q, n, opset, linear, pointwise, reduce, logic, movement);
            } catch (dev.verinfer.model.UnsupportedModelException e) {
                problems.add(e);
                blocked.addAll(n.outputs());
            }
        }
        if (!problems.isEmpty()) throw dev.verinfer.model.UnsupportedModelException.all(problems);
        List<Integer> outputs = new ArrayList<>();
        for (String o : pg.graph().outputs()) outputs.add(outputTensor(q, o));
        for (QNode n : q.nodes) {
            if (n.op() instanceof QOp.Rescale && q.t(n.output()).bits() > QuantGraph.MAX_RESCALE_BITS) {
                throw dev.verinfer.model.UnsupportedModelException.of(n.onnxName(), "Rescale", "output '" + q.t(n.output()).name()
                        + "' would need " + q.t(n.output()).bits() + " bits (> " + QuantGraph.MAX_RESCALE_BITS + ")");
            }
        }
        return new Result(new QuantGraph(q.tensors, q.nodes, inputs, outputs), q.values);
    }

    private static void lowerNode(Lowering q, Node n, int opset, LinearLowering linear, PointwiseLowering pointwise, ReduceLowering reduce,
                                  LogicLowering logic, MovementLowering movement) {
        if (!FloatOps.SUPPORTED.contains(n.opType()) && !n.opType().equals(dev.verinfer.model.graph.UnaryChains.OP)) throw q.unsupported("operator '" + n.opType() + "' is not supported");
        switch (n.opType()) {
            case "Gemm" -> linear.gemm(n);
            case "MatMul" -> linear.matmul(n);
            case "Conv" -> linear.conv(n);
            case "ConvTranspose" -> linear.convTranspose(n);
            case "BatchNormalization" -> linear.batchNorm(n);
            case "Add", "Sub" -> pointwise.addSub(n);
            case "Mul" -> pointwise.mul(n);
            case "Div" -> pointwise.div(n);
            case "Max", "Min" -> pointwise.maxMin(n);
            case "Pow" -> pointwise.pow(n);
            case "Clip" -> pointwise.clip(n, opset);
            case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceL1" -> reduce.reduce(n);
            case "GlobalMaxPool" -> reduce.globalMaxPool(n);
            case "Abs" -> q.bind(n.output(), logic.abs(q.value(n.input(0))));
            case "Sign" -> q.bind(n.output(), logic.sign(q.value(n.input(0))));
            case "Floor" -> q.bind(n.output(), logic.floor(q.value(n.input(0))));
            case "Ceil" -> q.bind(n.output(), logic.ceil(q.value(n.input(0))));
            case "Round" -> q.bind(n.output(), logic.round(q.value(n.input(0))));
            case "Less", "Greater", "Equal", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor" -> logic.compare(n);
            case "PRelu" -> logic.prelu(n);
            case "ArgMax", "ArgMin" -> logic.argExtreme(n);
            case "TopK" -> logic.topK(n);
            case "NonZero" -> throw q.unsupported("NonZero of an activation has a data-dependent output shape (only NonZero of a constant is supported; it is folded)");
            case "Softmax" -> reduce.softmax(n, opset);
            case "GlobalAveragePool" -> reduce.globalAveragePool(n);
            case "AveragePool" -> reduce.averagePool(n);
            case "MaxPool" -> reduce.maxPool(n);
            case "Flatten", "Reshape", "Squeeze", "Unsqueeze" -> movement.reshape(n);
            case "Identity", "Dropout" -> q.bind(n.output(), q.value(n.input(0)));
            case "Cast" -> movement.cast(n);
            case "Where" -> {
                if (q.isConst(n.input(0))) movement.gather(n);
                else logic.where(n);
            }
            case "Transpose", "Concat", "Slice", "Split", "Gather", "Pad", "Resize", "Expand", "Trilu", "Tile", "GatherElements",
                 "GatherND", "ScatterElements", "ScatterND" -> movement.gather(n);
            default -> pointwise.unary(n);
        }
    }

    /**
     * Float inputs at their calibrated scale; integer inputs exactly (scale 0, bits for the calibrated
     * range with headroom); boolean inputs as 0/1 at scale 0.
     */
    private static TensorFormat inputFormat(dev.verinfer.model.graph.ValueInfo vi, Calibration cal, QuantConfig cfg) {
        if (vi.isBoolean()) return new TensorFormat(0, 1);
        if (vi.isInteger()) return new TensorFormat(0, Lowering.bitsFor((long) Math.ceil(cal.maxAbs(vi.name()) * cfg.headroom())));
        return new TensorFormat(Lowering.scaleFor(cal.maxAbs(vi.name()) * cfg.headroom(), cfg.inputBits()), cfg.inputBits());
    }

    /** Graph outputs keep their ONNX name: the activation carrying it is relabelled, an input is copied by a Reshape. */
    private static int outputTensor(Lowering q, String name) {
        if (q.isConst(name)) { // an output computed from constants alone (a model without inputs, say): a public constant, copied
            q.node = new dev.verinfer.model.graph.Node(name, "Constant", List.of(), List.of(name), java.util.Map.of());
            q.bind(name, q.quantConst(name + "/constant", q.constant(name), q.target(name)));
        }
        int id = q.value(name);
        QTensor t = q.t(id);
        if (t.kind() != QTensor.Kind.ACTIVATION) return q.emit(new QOp.Reshape(id), name, t.shape(), t.scale(), t.bits());
        q.tensors.set(id, new QTensor(id, name, t.shape(), t.scale(), t.bits(), t.kind(), t.data()));
        return id;
    }
}
