package dev.verinfer.model;

import dev.verinfer.model.graph.FloatExecutor;
import dev.verinfer.model.graph.Tensor;
import dev.verinfer.model.onnx.OnnxImporter;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantConfig;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data movement lowered to Gather is exact: the integer output, dequantised, equals the float op
 * applied to the dequantised integer input (no rounding can enter a pure copy).
 */
class MovementLoweringPropertyTest {

    static void assertExact(OnnxBuilder b, long seed) {
        Map<String, int[]> shapes = new java.util.HashMap<>();
        Map<String, float[]> in = new java.util.HashMap<>();
        for (int i = 0; i < b.inputNames.size(); i++) {
            shapes.put(b.inputNames.get(i), b.inputShapes.get(i));
            in.put(b.inputNames.get(i), OnnxBuilder.uniform(seed + i, OnnxBuilder.size(b.inputShapes.get(i)), -3, 3));
        }
        CompiledModel m = CompiledModel.compile(OnnxImporter.parse(b.build()), shapes, List.of(in), QuantConfig.DEFAULT);
        assertTrue(m.quant().nodes().stream().anyMatch(n -> n.op() instanceof QOp.Gather), "lowered to Gather");
        Execution e = IntegerExecutor.execute(m.quant(), in);
        Map<String, float[]> dequantisedInputs = new java.util.HashMap<>();
        for (int id : m.quant().inputs()) {
            QTensor t = m.quant().tensor(id);
            dequantisedInputs.put(t.name(), IntegerExecutor.dequantise(t, e.value(id)));
        }
        Map<String, Tensor> f = FloatExecutor.run(m.prepared().graph(), CompiledModel.toTensors(m.prepared(), dequantisedInputs));
        for (String out : m.onnx().outputs()) assertArrayEquals(f.get(out).toFloats(), e.outputs().get(out), out);
    }

    @Property(tries = 30) void transpose(@ForAll @IntRange(min = 1, max = 4) int rank, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] shape = r.ints(rank, 1, 5).toArray();
        List<Integer> perm = new ArrayList<>();
        for (int i = 0; i < rank; i++) perm.add(i);
        Collections.shuffle(perm, new java.util.Random(seed));
        assertExact(new OnnxBuilder(13).input("x", shape).node("Transpose", "x", "y", "perm", perm.stream().mapToInt(Integer::intValue).toArray()).output("y"), seed);
    }

    @Property(tries = 30) void slice(@ForAll @IntRange(min = 2, max = 7) int n, @ForAll @IntRange(min = -8, max = 8) int start,
                                     @ForAll @IntRange(min = -8, max = 8) int end, @ForAll @IntRange(min = -3, max = 3) int step, @ForAll long seed) {
        if (step == 0) return;
        OnnxBuilder b = new OnnxBuilder(13).input("x", 3, n).ints("s", start).ints("e", end).ints("a", 1).ints("p", step);
        int len = Math.max(0, step > 0 ? Math.ceilDiv(Math.clamp(end < 0 ? end + n : end, 0, n) - Math.clamp(start < 0 ? start + n : start, 0, n), step)
                : Math.ceilDiv(Math.clamp(start < 0 ? start + n : start, 0, n - 1) - Math.clamp(end < 0 ? end + n : end, -1, n - 1), -step));
        if (len == 0) return;
        assertExact(b.node("Slice", "x,s,e,a,p", "y").output("y"), seed);
    }

    @Property(tries = 30) void concat(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int axis = r.nextInt(rank);
        int[] a = r.ints(rank, 1, 4).toArray(), b = a.clone();
        b[axis] = 1 + r.nextInt(3);
        assertExact(new OnnxBuilder(13).input("x", a).input("z", b).node("Concat", "x,z", "y", "axis", axis).output("y"), seed);
    }
}
