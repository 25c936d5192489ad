package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.poly.Mle;
import dev.verinfer.zkml.layout.Padding;
import dev.verinfer.zkml.layout.PaddedShape;
import dev.verinfer.zkml.layout.PolyPacking;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, forgeries 1 and 3: a prover writing garbage into the padding of a committed tensor, and
 * deriving everything after it honestly, is rejected by the padding zero-check.
 */
class PaddingSoundnessTest {
    /** The verifier's closed form for the padding term equals the sum over the cube. */
    @Property(tries = 60)
    void paddingWeightedSumMatchesTheCube(@ForAll @LongRange(min = 1, max = 1_000_000) long seed, @ForAll @IntRange(min = 1, max = 4) int count) {
        SplittableRandom rng = new SplittableRandom(seed);
        PaddedShape[] shapes = new PaddedShape[count];
        int[] vars = new int[count];
        for (int i = 0; i < count; i++) {
            int rank = 1 + rng.nextInt(3);
            int[] dims = new int[rank];
            for (int d = 0; d < rank; d++) {
                dims[d] = 1 + rng.nextInt(6);
            }
            shapes[i] = rng.nextInt(4) == 0 ? null : new PaddedShape(dims);
            vars[i] = shapes[i] == null ? rng.nextInt(4) : shapes[i].numVars();
        }
        PolyPacking packing = new PolyPacking(vars);
        Padding padding = Padding.of(packing, shapes);
        int n = packing.numVars();
        long[] table = new long[1 << n];
        padding.forEachSlot(i -> table[i] = 1);
        // Exactly the slots outside every item's real region are padding.
        for (int i = 0; i < count; i++) {
            long[] real = shapes[i] == null ? ones(1 << vars[i]) : dev.verinfer.zkml.layout.Indicators.realRegionTable(shapes[i]);
            for (int j = 0; j < real.length; j++) {
                assertEquals(1 - real[j], table[(int) packing.offset(i) + j]);
            }
        }
        Ext2[] tau = random(rng, n);
        Ext2[] rho = random(rng, n);
        dev.verinfer.field.ExtVector eq = Mle.eqTable(tau);
        long[] c0 = new long[table.length];
        long[] c1 = new long[table.length];
        for (int i = 0; i < table.length; i++) {
            c0[i] = table[i] == 1 ? eq.c0()[i] : 0;
            c1[i] = table[i] == 1 ? eq.c1()[i] : 0;
        }
        Ext2 expected = Mle.evaluate(new dev.verinfer.field.ExtVector(c0, c1), rho);
        assertEquals(expected, padding.weightedSum(tau, rho));
    }

    private static long[] ones(int n) {
        long[] o = new long[n];
        Arrays.fill(o, 1);
        return o;
    }

    private static Ext2[] random(SplittableRandom rng, int n) {
        Ext2[] p = new Ext2[n];
        for (int i = 0; i < n; i++) {
            p[i] = new Ext2(Goldilocks.reduce(rng.nextLong()), Goldilocks.reduce(rng.nextLong()));
        }
        return p;
    }

    /** x[1,3] → Rescale → ReduceSum: honest 256, the forger claims 261 with 5 in q's padding slot. */
    @Test
    void garbageInRescalePaddingDoesNotReachAReduceSum() {
        TestGraphs b = new TestGraphs(1);
        int x = b.input("x", 4, 12, 1, 3);
        int q = b.node("rescale", new QOp.Rescale(x, 4), 0, 8, 1, 3);
        int y = b.node("sum", new QOp.ReduceSum(q, new int[] {1}, false), 0, 10, 1);
        b.output(y);
        QuantGraph g = b.build();
        ProvingKey pk = Setup.setup(g);
        Execution honest = runQuantised(g, Map.of("x", new long[] {1360, 1376, 1360}));
        assertEquals(256, honest.value(y)[0]);
        assertTrue(Verifier.verify(pk.verifyingKey(), Prover.prove(pk, honest).bytes()).valid());

        Execution forged = runQuantised(g, Map.of("x", new long[] {1360, 1376, 1360}));
        forged.values()[y][0] = 261;
        WitnessTamper padding = (tensor, table) -> {
            if (tensor == q) {
                table[3] = Goldilocks.fromSigned(5); // [1,3] is padded to [1,4]: slot 3 is padding
            }
        };
        assertPaddingForgeryRejected(pk, forged, padding, Visibility.PUBLIC, Visibility.PUBLIC);
    }

    /** ReLU → global average pool over 3×3 (ReduceSum, MulConst 57/2^9, Rescale): the mean moves by 100. */
    @Test
    void garbageInReluPaddingDoesNotReachAGlobalAveragePool() {
        TestGraphs b = new TestGraphs(2);
        int x = b.input("x", 8, 12, 1, 1, 3, 3);
        int zero = b.constant("zero", 8, new long[] {0}, 1);
        int relu = b.node("relu", new QOp.Max(x, zero), 8, 12, 1, 1, 3, 3);
        int sum = b.node("sum", new QOp.ReduceSum(relu, new int[] {2, 3}, true), 8, 16, 1, 1, 1, 1);
        int wide = b.node("mean_wide", new QOp.MulConst(sum, 57, 9), 17, 23, 1, 1, 1, 1);
        int mean = b.node("mean", new QOp.Rescale(wide, 9), 8, 14, 1, 1, 1, 1);
        b.output(mean);
        QuantGraph g = b.build();
        ProvingKey pk = Setup.setup(g);
        long[] input = {100, -50, 300, 200, 250, -7, 400, 180, 98};
        Execution honest = runQuantised(g, Map.of("x", input));
        assertTrue(Verifier.verify(pk.verifyingKey(), Prover.prove(pk, honest).bytes()).valid());

        long[] sums = honest.value(sum).clone();
        sums[0] += 900;
        Execution forged = cut(g, Map.of("x", input), sum, sums);
        assertNotEquals(honest.value(mean)[0], forged.value(mean)[0]);
        WitnessTamper padding = (tensor, table) -> {
            if (tensor == relu) {
                table[3] = Goldilocks.fromSigned(900); // [3,3] padded to [4,4]: (row 0, column 3)
            }
        };
        assertPaddingForgeryRejected(pk, forged, padding, Visibility.PUBLIC, Visibility.PUBLIC);
    }

    /** The proof of a forged execution with tampered padding verifies only if the padding check is skipped; it must fail on it. */
    static void assertPaddingForgeryRejected(ProvingKey pk, Execution forged, WitnessTamper tamper, Visibility in, Visibility out) {
        VerificationResult r = Verifier.verify(pk.verifyingKey(), Prover.prove(pk, forged, in, out, tamper).bytes());
        assertFalse(r.valid(), "a proof with garbage in the padding was accepted");
        assertTrue(r.reason().contains("padding zero-check"), r.reason());
    }

    static Execution runQuantised(QuantGraph g, Map<String, long[]> inputs) {
        try (IntegerExecutor ex = new IntegerExecutor(1)) {
            return ex.runQuantised(g, inputs);
        }
    }

    /**
     * The execution of {@code g} on {@code inputs} in which tensor {@code tensor} holds {@code altered}
     * and every later tensor is recomputed from it (the graph cut at that tensor, which becomes an input).
     */
    static Execution cut(QuantGraph g, Map<String, long[]> inputs, int tensor, long[] altered) {
        List<QTensor> tensors = new ArrayList<>(g.tensors());
        QTensor t = g.tensor(tensor);
        tensors.set(tensor, new QTensor(t.id(), t.name(), t.shape(), t.scale(), t.bits(), QTensor.Kind.INPUT, null));
        List<QNode> nodes = g.nodes().stream().filter(n -> n.output() != tensor).toList();
        List<Integer> cutInputs = new ArrayList<>(g.inputs());
        cutInputs.add(tensor);
        Map<String, long[]> all = new HashMap<>(inputs);
        all.put(t.name(), altered);
        Execution e = runQuantised(new QuantGraph(tensors, nodes, cutInputs, g.outputs()), all);
        assertTrue(Arrays.equals(altered, e.value(tensor)));
        return e;
    }
}
