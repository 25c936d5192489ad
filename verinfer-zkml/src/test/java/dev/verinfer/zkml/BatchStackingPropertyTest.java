package dev.verinfer.zkml;

import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stacking is correct by construction: for random small graphs mixing right-aligned broadcasts of
 * lower-rank operands, keepdims=0 reductions and MatMuls against 2-D and leading-1 3-D weights, the
 * stacked graph's run equals B single runs, or the stacking refuses with a message naming the node.
 */
class BatchStackingPropertyTest {
    @Property(tries = 200)
    void stackedRunEqualsSingleRunsOrIsRefused(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE / 2) long seed,
                                              @ForAll @IntRange(min = 0, max = 2) int batchChoice) {
        int batch = new int[] {2, 3, 5}[batchChoice];
        SplittableRandom rng = new SplittableRandom(seed);
        QuantGraph g = randomGraph(rng);
        QuantGraph stacked;
        try {
            stacked = BatchStacking.stack(g, batch);
        } catch (UnsupportedGraphException e) {
            assertTrue(e.getMessage().startsWith("cannot batch: node '") || e.getMessage().startsWith("cannot batch: tensor '"), e.getMessage());
            Statistics.collect("refused");
            return;
        }
        int inputSize = g.tensor(g.inputs().getFirst()).size();
        List<float[]> inputs = new ArrayList<>();
        float[] all = new float[batch * inputSize];
        for (int b = 0; b < batch; b++) {
            float[] x = new float[inputSize];
            for (int i = 0; i < inputSize; i++) {
                x[i] = rng.nextInt(-3, 4);
            }
            inputs.add(x);
            System.arraycopy(x, 0, all, b * inputSize, inputSize);
        }
        Statistics.collect(stacked.nodes().size() > g.nodes().size() ? "stacked with aligned operands" : "stacked as is");
        Execution together = IntegerExecutor.execute(stacked, Map.of("x", all));
        for (int b = 0; b < batch; b++) {
            Execution single = IntegerExecutor.execute(g, Map.of("x", inputs.get(b)));
            for (int o : g.outputs()) {
                int n = g.tensor(o).size();
                assertArrayEquals(single.value(o), Arrays.copyOfRange(together.value(o), b * n, (b + 1) * n),
                        "inference " + b + " of " + batch + ", output '" + g.tensor(o).name() + "'");
            }
        }
    }

    /** The same graphs proven as batches: the proof verifies under the model's own key, and a changed output of the last inference does not. */
    @Property(tries = 25)
    void stackedGraphsProveAndVerify(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE / 2) long seed,
                                     @ForAll @IntRange(min = 0, max = 2) int batchChoice) {
        int batch = new int[] {2, 3, 5}[batchChoice];
        SplittableRandom rng = new SplittableRandom(seed);
        QuantGraph g = randomGraph(rng);
        ProvingKey pk = Setup.setup(g);
        ProvingKey batched;
        try {
            batched = pk.batched(batch);
        } catch (UnsupportedGraphException e) {
            return;
        }
        int inputSize = g.tensor(g.inputs().getFirst()).size();
        float[] all = new float[batch * inputSize];
        for (int i = 0; i < all.length; i++) {
            all[i] = rng.nextInt(-3, 4);
        }
        Execution ex = IntegerExecutor.execute(batched.graph(), Map.of("x", all));
        VerificationResult r = Verifier.verify(pk.verifyingKey(), Prover.prove(batched, ex).bytes());
        assertTrue(r.valid(), r.reason());
        int o = g.outputs().getLast();
        ex.values()[o][ex.values()[o].length - 1] += 1;
        assertTrue(!Verifier.verify(pk.verifyingKey(), Prover.prove(batched, ex).bytes()).valid(), "a changed output of the last inference");
    }

    /** Up to five ops on an input [1, d1(, d2)], each consuming earlier tensors; every tensor is an output. */
    private static QuantGraph randomGraph(SplittableRandom rng) {
        TestGraphs b = new TestGraphs(rng.nextLong());
        List<int[]> shapes = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        int[] inShape = rng.nextBoolean() ? new int[] {1, dim(rng)} : new int[] {1, dim(rng), dim(rng)};
        ids.add(b.input("x", 0, 12, inShape));
        shapes.add(inShape);
        int ops = rng.nextInt(1, 6);
        for (int k = 0; k < ops; k++) {
            int pick = rng.nextInt(ids.size());
            int t = ids.get(pick);
            int[] s = shapes.get(pick);
            String name = "n" + k;
            int[] out;
            int id;
            switch (rng.nextInt(4)) {
                case 0 -> { // reduction over a non-batch axis, keepdims either way
                    if (s.length < 2) {
                        continue;
                    }
                    int axis = rng.nextInt(1, s.length);
                    boolean keep = rng.nextBoolean();
                    out = keep ? s.clone() : remove(s, axis);
                    if (keep) {
                        out[axis] = 1;
                    }
                    id = b.node(name, new QOp.ReduceSum(t, new int[] {axis}, keep), 0, 40, out);
                }
                case 1 -> { // broadcast with another tensor of the graph (either of lower rank)
                    int other = rng.nextInt(ids.size());
                    int[] u = shapes.get(other);
                    out = broadcast(s, u);
                    if (out == null) {
                        continue;
                    }
                    QOp op = switch (rng.nextInt(3)) {
                        case 0 -> new QOp.Add(t, ids.get(other));
                        case 1 -> new QOp.Sub(ids.get(other), t);
                        default -> new QOp.Max(t, ids.get(other));
                    };
                    id = b.node(name, op, 0, 40, out);
                }
                case 2 -> { // broadcast with a constant of a trailing part of the shape
                    int r = rng.nextInt(1, s.length + 1);
                    int[] c = Arrays.copyOfRange(s, s.length - r, s.length);
                    for (int d = 0; d < c.length; d++) {
                        if (rng.nextInt(3) == 0) {
                            c[d] = 1;
                        }
                    }
                    long[] data = new long[Arrays.stream(c).reduce(1, (x, y) -> x * y)];
                    for (int i = 0; i < data.length; i++) {
                        data[i] = rng.nextInt(-3, 4);
                    }
                    int cid = b.constant(name + "_c", 0, data, c);
                    out = broadcast(s, c);
                    id = b.node(name, rng.nextBoolean() ? new QOp.Mul(t, cid) : new QOp.Add(cid, t), 0, 40, out);
                }
                default -> { // MatMul against a weight [K,N] or [1,K,N]
                    int kdim = s[s.length - 1];
                    int n = dim(rng);
                    boolean threeD = rng.nextBoolean();
                    int w = threeD ? b.weight(name + "_w", 0, 3, 1, kdim, n) : b.weight(name + "_w", 0, 3, kdim, n);
                    int[] a = s.length == 1 ? null : s;
                    if (a == null) {
                        continue;
                    }
                    int rank = Math.max(a.length, threeD ? 3 : 2);
                    out = new int[rank];
                    Arrays.fill(out, 1);
                    System.arraycopy(a, 0, out, rank - a.length, a.length - 1);
                    out[rank - 1] = n;
                    id = b.node(name, new QOp.MatMul(t, w, -1), 0, 40, out);
                }
            }
            ids.add(id);
            shapes.add(out);
        }
        for (int k = 1; k < ids.size(); k++) {
            b.output(ids.get(k));
        }
        if (ids.size() == 1) {
            b.output(b.node("copy", new QOp.MulConst(ids.getFirst(), 2, 0), 0, 40, inShape));
        }
        return b.build();
    }

    private static int dim(SplittableRandom rng) {
        return rng.nextInt(1, 5);
    }

    private static int[] remove(int[] s, int axis) {
        int[] out = new int[s.length - 1];
        for (int d = 0, k = 0; d < s.length; d++) {
            if (d != axis) {
                out[k++] = s[d];
            }
        }
        return out;
    }

    /** numpy broadcasting of two shapes, or null when they do not broadcast. */
    private static int[] broadcast(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            int da = d - (rank - a.length) >= 0 ? a[d - (rank - a.length)] : 1;
            int db = d - (rank - b.length) >= 0 ? b[d - (rank - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                return null;
            }
            out[d] = Math.max(da, db);
        }
        return out;
    }
}
