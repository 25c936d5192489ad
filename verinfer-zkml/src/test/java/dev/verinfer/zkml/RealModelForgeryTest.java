package dev.verinfer.zkml;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Issue 10, forgery 1 on a real model: ch_ppocr_mobile_v2.0_cls on the text line "Hello, world 2026",
 * garbage in a padding slot of the input of a squeeze-excitation GlobalAveragePool (a committed
 * HardSwish/ReLU output whose width is no power of two), everything downstream re-derived honestly.
 */
class RealModelForgeryTest {
    @Test
    void ocrClassifierWithGarbageInAGlobalAveragePoolsPaddingIsRejected() {
        NamedInput calibration = RealInputs.textLine("verinfer proves 42", false);
        CompiledModel m = CompiledModel.compile(RealModels.OCR_CLS.path(), calibration.shapes(), List.of(calibration.values()), QuantConfig.DEFAULT);
        QuantGraph g = m.quant();
        ProvingKey pk = Setup.setup(g);
        ProofPlan plan = pk.plan();
        Execution honest;
        try (IntegerExecutor ex = new IntegerExecutor()) {
            honest = ex.run(g, RealInputs.textLine("Hello, world 2026", false).values());
        }
        Map<String, long[]> quantisedInputs = new HashMap<>();
        for (int in : g.inputs()) {
            quantisedInputs.put(g.tensor(in).name(), honest.value(in));
        }
        int out = g.outputs().getFirst();
        // The first global average pool (ReduceSum over H, W) of a committed tensor whose width is padded.
        QNode pool = g.nodes().stream().filter(n -> n.op() instanceof QOp.ReduceSum r
                && Arrays.equals(r.axes(), new int[] {2, 3}) && plan.isCommitted(r.x())
                && Integer.bitCount(g.tensor(r.x()).shape()[3]) != 1).findFirst().orElseThrow();
        int x = ((QOp.ReduceSum) pool.op()).x();
        int width = g.tensor(x).shape()[3];
        int sum = pool.output();
        // x also feeds the block's excitation product x·s (s per channel, an uncommitted Mul whose
        // output's padding the forger re-derives as garbage·s[0]), then a Rescale that ignores padding.
        Map<Integer, Integer> scales = new HashMap<>();
        for (QNode n : g.nodes()) {
            if (n == pool || Arrays.stream(n.inputs()).noneMatch(i -> i == x)) {
                continue;
            }
            if (!(n.op() instanceof QOp.Mul mul) || plan.isCommitted(n.output())) {
                throw new AssertionError("'" + g.tensor(x).name() + "' also feeds " + n + ": this forger re-derives only an excitation Mul");
            }
            int scale = mul.a() == x ? mul.b() : mul.a();
            scales.put(n.output(), scale);
        }
        // The smallest garbage (in powers of two) whose sum, added to channel 0, changes the output.
        for (int bits = 4; bits < g.tensor(sum).bits() - 1; bits++) {
            long garbage = 1L << bits;
            long[] sums = honest.value(sum).clone();
            sums[0] += garbage;
            Execution forged = PaddingSoundnessTest.cut(g, quantisedInputs, sum, sums);
            if (Arrays.equals(forged.value(out), honest.value(out))) {
                continue;
            }
            System.out.printf("garbage %d in '%s' padding: honest output %s, forged %s%n", garbage, g.tensor(x).name(),
                    Arrays.toString(honest.value(out)), Arrays.toString(forged.value(out)));
            // Channel 0, row 0, column `width`: the first padding column of the pool's input.
            PaddingSoundnessTest.assertPaddingForgeryRejected(pk, forged, (tensor, table) -> {
                if (tensor == x) {
                    table[width] = Goldilocks.fromSigned(garbage);
                } else if (scales.containsKey(tensor)) { // s is downstream of the pool: the forged run's s
                    table[width] = Goldilocks.fromSigned(garbage * forged.value(scales.get(tensor))[0]);
                }
            }, Visibility.PUBLIC, Visibility.PUBLIC);
            return;
        }
        assertFalse(true, "no garbage in the padding of '" + g.tensor(x).name() + "' changes the output");
    }
}
