package dev.verinfer.model.graph;

import dev.verinfer.model.UnsupportedModelException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LSTM, GRU and RNN unrolled over their static sequence length into MatMul, Add, Mul, Sub and the
 * gate activations (Sigmoid/Tanh become look-ups, Relu a Max), one set of nodes per time step and
 * direction, following the ONNX equations (gates iofc for LSTM, zrh for GRU). Weights are
 * constants, transposed and split per gate here; each gate's pre-activation is a graph value with
 * its own calibrated range. A zero initial state is left out rather than multiplied.
 */
final class Recurrent {
    private final Node n;
    private final String p;
    private final Map<String, Tensor> values;
    private final Map<String, Tensor> constants;
    private final List<Node> out = new ArrayList<>();
    private int count;

    private Recurrent(Node n, Map<String, Tensor> values, Map<String, Tensor> constants) {
        this.n = n;
        this.p = n.name() + "/";
        this.values = values;
        this.constants = constants;
    }

    /**
     * The nodes replacing {@code n}. {@code constants}: the values known without the inputs (W, R, B...);
     * the new ones (weights per gate, indices, shapes) are added to it, named "n.name()/...".
     * {@code values}: every value before n, computed on zero inputs (for the shapes).
     */
    static List<Node> unroll(Node n, Map<String, Tensor> values, Map<String, Tensor> constants) {
        Recurrent r = new Recurrent(n, values, constants);
        r.build();
        return r.out;
    }

    private UnsupportedModelException unsupported(String what) { return Attrs.unsupported(n, what); }

    private String node(String op, List<String> in, Map<String, Object> attrs) {
        String name = p + op.toLowerCase() + "_" + count++;
        out.add(new Node(name, op, in, List.of(name), attrs));
        return name;
    }

    private String node(String op, String... in) { return node(op, List.of(in), Map.of()); }

    private String constant(String what, Tensor t) {
        String name = p + what + "_" + count++;
        constants.put(name, t);
        return name;
    }

    private Tensor requireConstant(int input, String what) {
        if (!constants.containsKey(n.input(input))) throw unsupported(what + " must be a constant (an initializer)");
        return constants.get(n.input(input));
    }

    /** Rows [from, from + rows) of w[dir] (shape [dirs, R, C]), transposed to [C, rows]. */
    private static Tensor gateMatrix(Tensor w, int dir, int from, int rows) {
        int r = w.shape()[1], c = w.shape()[2];
        double[] d = new double[c * rows];
        for (int i = 0; i < rows; i++) for (int j = 0; j < c; j++) d[j * rows + i] = w.data()[(dir * r + from + i) * c + j];
        return new Tensor(new int[] {c, rows}, d);
    }

    private static Tensor slice(Tensor b, int dir, int from, int len) {
        double[] d = new double[len];
        System.arraycopy(b.data(), dir * b.shape()[1] + from, d, 0, len);
        return Tensor.vector(d);
    }

    private void build() {
        String op = n.opType();
        Attrs.allowOnly(n, Set.of("activations", "activation_alpha", "activation_beta", "clip", "direction", "hidden_size", "input_forget",
                "layout", "linear_before_reset"));
        if (n.attributes().containsKey("clip")) throw unsupported("the clip attribute is not supported");
        if (Attrs.getInt(n, "layout", 0) != 0) throw unsupported("layout=1 is not supported");
        if (Attrs.getInt(n, "input_forget", 0) != 0) throw unsupported("input_forget=1 is not supported");
        int[] xs = values.get(n.input(0)).shape();
        int seq = xs[0], batch = xs[1];
        Tensor w = requireConstant(1, "W"), r = requireConstant(2, "R");
        Tensor b = n.hasInput(3) ? requireConstant(3, "B") : null;
        if (n.hasInput(4)) {
            Tensor lens = values.get(n.input(4));
            if (!constants.containsKey(n.input(4))) throw unsupported("sequence_lens must be a constant");
            for (double l : lens.data()) if (l != seq) throw unsupported("sequence_lens shorter than the sequence (" + (long) l + " < " + seq + ") is not supported");
        }
        String direction = Attrs.getString(n, "direction", "forward");
        int dirs = direction.equals("bidirectional") ? 2 : 1;
        int gates = switch (op) { case "LSTM" -> 4; case "GRU" -> 3; default -> 1; };
        int hidden = w.shape()[1] / gates;
        int perDir = switch (op) { case "LSTM" -> 3; case "GRU" -> 2; default -> 1; };
        String[] acts = activations(perDir * dirs);
        Tensor peep = op.equals("LSTM") && n.hasInput(7) ? requireConstant(7, "P") : null;
        boolean linearBeforeReset = Attrs.getInt(n, "linear_before_reset", 0) != 0;
        String[] initialH = new String[dirs], initialC = new String[dirs];
        for (int d = 0; d < dirs; d++) {
            if (n.hasInput(5)) initialH[d] = directionSlice(n.input(5), d, batch, hidden);
            if (op.equals("LSTM") && n.hasInput(6)) initialC[d] = directionSlice(n.input(6), d, batch, hidden);
        }
        String[][] ys = new String[dirs][seq];
        String[] lastH = new String[dirs], lastC = new String[dirs];
        for (int d = 0; d < dirs; d++) {
            boolean reverse = direction.equals("reverse") || d == 1;
            String h = initialH[d], c = initialC[d];
            String[] wT = new String[gates], rT = new String[gates], bias = new String[gates], rBias = new String[gates];
            for (int g = 0; g < gates; g++) {
                wT[g] = constant("w" + g, gateMatrix(w, d, g * hidden, hidden));
                rT[g] = constant("r" + g, gateMatrix(r, d, g * hidden, hidden));
                if (b != null) {
                    Tensor wb = slice(b, d, g * hidden, hidden), rb = slice(b, d, (gates + g) * hidden, hidden);
                    if (op.equals("GRU") && g == 2 && linearBeforeReset) {
                        bias[g] = constant("wb" + g, wb);
                        rBias[g] = constant("rb" + g, rb);
                    } else {
                        double[] sum = new double[hidden];
                        for (int i = 0; i < hidden; i++) sum[i] = wb.data()[i] + rb.data()[i];
                        bias[g] = constant("b" + g, Tensor.vector(sum));
                    }
                }
            }
            for (int step = 0; step < seq; step++) {
                int t = reverse ? seq - 1 - step : step;
                String xt = node("Gather", List.of(n.input(0), constant("t", Tensor.scalar(t))), Map.of("axis", 0L));
                switch (op) {
                    case "LSTM" -> {
                        String i = gate(xt, h, wT[0], rT[0], bias[0], peep == null || c == null ? null : peephole(peep, d, 0, hidden, c), acts[d * 3]);
                        String f = gate(xt, h, wT[2], rT[2], bias[2], peep == null || c == null ? null : peephole(peep, d, 2, hidden, c), acts[d * 3]);
                        String cand = gate(xt, h, wT[3], rT[3], bias[3], null, acts[d * 3 + 1]);
                        String ic = node("Mul", i, cand);
                        c = c == null ? ic : node("Add", node("Mul", f, c), ic);
                        String o = gate(xt, h, wT[1], rT[1], bias[1], peep == null ? null : peephole(peep, d, 1, hidden, c), acts[d * 3]);
                        h = node("Mul", o, activation(acts[d * 3 + 2], c));
                    }
                    case "GRU" -> {
                        String z = gate(xt, h, wT[0], rT[0], bias[0], null, acts[d * 2]);
                        String rg = gate(xt, h, wT[1], rT[1], bias[1], null, acts[d * 2]);
                        String pre = node("MatMul", xt, wT[2]);
                        if (bias[2] != null) pre = node("Add", pre, bias[2]);
                        if (h != null) {
                            String rec = linearBeforeReset ? node("MatMul", h, rT[2]) : node("MatMul", node("Mul", rg, h), rT[2]);
                            if (linearBeforeReset && rBias[2] != null) rec = node("Add", rec, rBias[2]);
                            pre = node("Add", pre, linearBeforeReset ? node("Mul", rg, rec) : rec);
                        } else if (linearBeforeReset && rBias[2] != null) {
                            pre = node("Add", pre, node("Mul", rg, rBias[2]));
                        }
                        String cand = activation(acts[d * 2 + 1], pre);
                        // H = (1 − z)·h~ + z·H_prev = h~ + z·(H_prev − h~)
                        h = h == null ? node("Sub", cand, node("Mul", z, cand)) : node("Add", cand, node("Mul", z, node("Sub", h, cand)));
                    }
                    default -> h = gate(xt, h, wT[0], rT[0], bias[0], null, acts[d]);
                }
                ys[d][t] = h;
            }
            lastH[d] = h;
            lastC[d] = c;
        }
        emitOutputs(ys, lastH, lastC, dirs, seq, batch, hidden);
    }

    /** act(x·Wᵀ + h·Rᵀ + b (+ peephole term)). */
    private String gate(String xt, String h, String wT, String rT, String bias, String peep, String act) {
        String pre = node("MatMul", xt, wT);
        if (h != null) pre = node("Add", pre, node("MatMul", h, rT));
        if (bias != null) pre = node("Add", pre, bias);
        if (peep != null) pre = node("Add", pre, peep);
        return activation(act, pre);
    }

    private String peephole(Tensor peep, int dir, int gate, int hidden, String c) {
        return node("Mul", c, constant("p" + gate, slice(peep, dir, gate * hidden, hidden)));
    }

    private String activation(String act, String x) {
        return switch (act) {
            case "Sigmoid", "Tanh", "Relu" -> node(act, x);
            default -> throw unsupported("activation '" + act + "' is not supported (Sigmoid, Tanh, Relu)");
        };
    }

    private String[] activations(int count) {
        String[] defaults = switch (n.opType()) {
            case "LSTM" -> new String[] {"Sigmoid", "Tanh", "Tanh"};
            case "GRU" -> new String[] {"Sigmoid", "Tanh"};
            default -> new String[] {"Tanh"};
        };
        Object given = n.attributes().get("activations");
        String[] r = new String[count];
        for (int i = 0; i < count; i++) r[i] = defaults[i % defaults.length];
        if (given instanceof String[] s) {
            if (s.length != count) throw unsupported("activations lists " + s.length + " functions, expected " + count);
            for (int i = 0; i < count; i++) r[i] = s[i].equalsIgnoreCase("sigmoid") ? "Sigmoid" : s[i].equalsIgnoreCase("tanh") ? "Tanh"
                    : s[i].equalsIgnoreCase("relu") ? "Relu" : s[i];
        }
        return r;
    }

    /** initial_h/initial_c [dirs, batch, H] → [batch, H] of one direction. */
    private String directionSlice(String name, int d, int batch, int hidden) {
        if (constants.containsKey(name) && java.util.Arrays.stream(constants.get(name).data()).allMatch(v -> v == 0)) return null; // zero state
        return node("Gather", List.of(name, constant("dir", Tensor.scalar(d))), Map.of("axis", 0L));
    }

    private void emitOutputs(String[][] ys, String[] lastH, String[] lastC, int dirs, int seq, int batch, int hidden) {
        List<String> outs = n.outputs();
        String yShape = constant("y_shape", Tensor.vector(1, 1, batch, hidden));
        String stateShape = constant("state_shape", Tensor.vector(1, batch, hidden));
        if (outs.size() > 0 && !outs.get(0).isEmpty()) {
            List<String> steps = new ArrayList<>();
            for (int t = 0; t < seq; t++) {
                List<String> perDir = new ArrayList<>();
                for (int d = 0; d < dirs; d++) perDir.add(node("Reshape", ys[d][t], yShape));
                steps.add(perDir.size() == 1 ? perDir.getFirst() : node("Concat", perDir, Map.of("axis", 1L)));
            }
            out.add(new Node(p + "y", "Concat", steps, List.of(outs.get(0)), Map.of("axis", 0L)));
        }
        if (outs.size() > 1 && !outs.get(1).isEmpty()) out.add(stack(lastH, stateShape, outs.get(1)));
        if (outs.size() > 2 && !outs.get(2).isEmpty()) {
            if (lastC[0] == null) throw unsupported("Y_c of an empty sequence");
            out.add(stack(lastC, stateShape, outs.get(2)));
        }
    }

    private Node stack(String[] perDir, String shape, String output) {
        List<String> parts = new ArrayList<>();
        for (String s : perDir) parts.add(node("Reshape", s, shape));
        return new Node(p + output, "Concat", parts, List.of(output), Map.of("axis", 0L));
    }
}
