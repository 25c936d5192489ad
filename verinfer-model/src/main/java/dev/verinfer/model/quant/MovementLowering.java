package dev.verinfer.model.quant;

import dev.verinfer.model.graph.FloatOps;
import dev.verinfer.model.graph.Node;
import dev.verinfer.model.graph.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Data movement. Reshape-like ops become {@code Reshape}; every other movement op becomes a
 * {@code Gather} whose index map is found by running the float op itself on tensors of element
 * ids (id = offset of the source + flat index + 1; a 0 in the result is a padded zero). This makes
 * the lowering exactly the float op's semantics, whatever its attributes.
 */
final class MovementLowering {
    private final Lowering q;
    private final int opset;
    private final LogicLowering logic;

    MovementLowering(Lowering q, int opset, LogicLowering logic) {
        this.q = q;
        this.opset = opset;
        this.logic = logic;
    }

    void reshape(Node n) {
        int x = q.value(n.input(0));
        QTensor t = q.t(x);
        q.bind(n.output(), q.emit(new QOp.Reshape(x), q.fresh("reshape"), q.shape(n.output()), t.scale(), t.bits()));
    }

    /** Cast to a float type: no op; to an integer type: truncation toward zero; to bool: [x ≠ 0]. */
    void cast(Node n) {
        long to = dev.verinfer.model.graph.Attrs.getInt(n, "to", 1);
        int x = q.value(n.input(0));
        q.bind(n.output(), switch ((int) to) {
            case 1, 10, 11, 16 -> x;
            case 2, 3, 4, 5, 6, 7, 12, 13 -> logic.truncate(x);
            case 9 -> logic.nonZero(x);
            default -> throw q.unsupported("Cast of an activation to data type " + to + " is not supported");
        });
    }

    /** The data inputs of a movement op (the others must be constants: shapes, indices, pads...). */
    private static int[] dataInputs(Node n) {
        return switch (n.opType()) {
            case "Concat" -> java.util.stream.IntStream.range(0, n.inputs().size()).toArray();
            case "Where" -> new int[] {1, 2};
            case "ScatterElements", "ScatterND" -> new int[] {0, 2};
            default -> new int[] {0};
        };
    }

    void gather(Node n) {
        int[] data = dataInputs(n);
        List<Integer> sources = new ArrayList<>();
        List<Tensor> in = new ArrayList<>();
        for (int i = 0; i < n.inputs().size(); i++) in.add(n.hasInput(i) ? q.constant(n.input(i)) : null);
        if (n.opType().equals("Pad") && padValue(n) != 0) throw q.unsupported("Pad with a non-zero constant value is not supported");
        for (int i = 0; i < n.inputs().size(); i++) {
            boolean isData = contains(data, i);
            if (!isData && n.hasInput(i) && !q.isConst(n.input(i))) throw q.unsupported("input " + i + " ('" + n.input(i) + "') must be constant");
        }
        // quantised sources, at one common scale
        int scale = Integer.MIN_VALUE;
        for (int d : data) if (!q.isConst(n.input(d))) scale = Math.max(scale, q.t(q.value(n.input(d))).scale());
        if (scale == Integer.MIN_VALUE) throw q.unsupported("no activation input");
        long offset = 0;
        List<Long> offsets = new ArrayList<>();
        int bits = 1, activationBits = 1;
        Long masked = null; // a Where selecting a "−∞" fill: the integer of the masked entries
        for (int d : data) {
            if (!q.isConst(n.input(d))) {
                QTensor t = q.t(q.value(n.input(d)));
                activationBits = Math.max(activationBits, t.bits() + scale - t.scale());
            }
        }
        for (int d : data) {
            String name = n.input(d);
            // a constant holding mask fills (a Where's −1e9 branch): fills one below the activations' range
            boolean fill = q.isConst(name) && Lowering.hasFill(q.constant(name));
            if (fill) masked = -(1L << activationBits);
            int id = !q.isConst(name) ? q.align(q.value(name), scale)
                    : fill ? q.maskConst(q.constant(name), scale, activationBits, masked) : q.quantConst(q.fresh("const"), q.constant(name), scale);
            sources.add(id);
            bits = Math.max(bits, q.t(id).bits());
            int[] shape = q.t(id).shape();
            double[] ids = new double[Tensor.size(shape)];
            for (int k = 0; k < ids.length; k++) ids[k] = offset + k + 1;
            in.set(d, new Tensor(shape, ids));
            offsets.add(offset);
            offset += ids.length;
        }
        List<Tensor> outs = FloatOps.eval(n, in, opset);
        int[] src = sources.stream().mapToInt(Integer::intValue).toArray();
        for (int o = 0; o < n.outputs().size(); o++) {
            Tensor map = outs.get(o);
            int[] srcInput = new int[map.size()], srcIndex = new int[map.size()];
            for (int k = 0; k < map.size(); k++) {
                long id = (long) map.data()[k];
                if (id == 0) { srcIndex[k] = -1; continue; }
                int s = offsets.size() - 1;
                while (offsets.get(s) >= id) s--;
                srcInput[k] = s;
                srcIndex[k] = (int) (id - 1 - offsets.get(s));
            }
            int r = q.emit(new QOp.Gather(src, srcInput, srcIndex), q.fresh(n.opType().toLowerCase()), map.shape(), scale, bits);
            if (masked != null && n.opType().equals("Where")) q.maskValue.put(r, masked);
            q.bind(n.outputs().get(o), r);
        }
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

    private double padValue(Node n) {
        if (opset < 11) return dev.verinfer.model.graph.Attrs.getFloat(n, "value", 0);
        return n.hasInput(2) && q.isConst(n.input(2)) ? q.constant(n.input(2)).data()[0] : 0;
    }
}
