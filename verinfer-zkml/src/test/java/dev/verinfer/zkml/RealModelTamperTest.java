package dev.verinfer.zkml;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.layout.PaddedShape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The adversarial prover on the five real models: the padding of a committed tensor that a sum reads
 * (issue 10's OCR forgery: garbage in the padding of a global average pool's input), then random
 * committed slots, real or padding, with random, neighbouring and small values, everything downstream
 * re-derived. Also each model's weight bounds proof (made and checked once). Few cases per model to
 * keep CI short (one tamper per model, the bounds proof of alexa only, melspectrogram and the embedding
 * model skipped); {@code -Dverinfer.soundness.scale=N} (N ≥ 2) runs all five, adds 2N random tampers per
 * model and every model's bounds proof.
 */
class RealModelTamperTest {
    @ParameterizedTest
    @EnumSource(RealModelProofTest.Case.class)
    void tamperedRealModelProofsAreRejected(RealModelProofTest.Case c) throws Exception {
        boolean slow = c == RealModelProofTest.Case.MELSPECTROGRAM || c == RealModelProofTest.Case.EMBEDDING;
        org.junit.jupiter.api.Assumptions.assumeTrue(!slow || RandomGraphSoundnessTest.SCALE > 1,
                "melspectrogram and the embedding model (≈ 25 s each) are tampered with outside CI: -Dverinfer.soundness.scale=2");
        NamedInput calibration = c.input(1);
        CompiledModel m = CompiledModel.compile(c.model.path(), calibration.shapes(), List.of(calibration.values()), QuantConfig.DEFAULT);
        ProvingKey pk = Setup.setup(m.quant(), PcsSecurity.CONJECTURED);
        if (c == RealModelProofTest.Case.ALEXA || RandomGraphSoundnessTest.SCALE > 1) { // 5–20 s per model: one in CI
            long t0 = System.nanoTime();
            byte[] key = pk.verifyingKey().toBytes();
            long t1 = System.nanoTime();
            VerifyingKey loaded = VerifyingKey.fromBytes(key);
            long t2 = System.nanoTime();
            assertArrayEquals(pk.verifyingKey().modelId(), loaded.modelId());
            System.out.printf("%s weight bounds proof: %d bytes, made in %.0f ms, checked in %.0f ms%n", c.model.modelName,
                    pk.verifyingKey().boundsProof().length, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        }

        QuantGraph g = pk.graph();
        NamedInput input = c.input(2);
        Execution honest;
        try (IntegerExecutor e = new IntegerExecutor()) {
            honest = e.run(g, input.values());
        }
        Map<Integer, long[]> inputs = AdversarialProver.inputsOf(g, honest);
        long sumPadding = summedPadding(pk);
        if (sumPadding >= 0) {
            int target = (int) (sumPadding >>> 32);
            int slot = (int) (sumPadding & 0xFFFFFFFFL);
            long[][] forged = AdversarialProver.trace(pk, inputs, AdversarialProver.overwrite(target, slot, (h, tr) -> Goldilocks.fromSigned(1000)));
            AdversarialProver.assertNoForgery(pk, forged, Visibility.PUBLIC, Visibility.PUBLIC,
                    c + ": padding of the summed committed tensor '" + g.tensor(target).name() + "'");
        }
        SplittableRandom r = new SplittableRandom(c.ordinal());
        List<Integer> targets = AdversarialProver.committedTensors(pk, Visibility.PUBLIC, Visibility.PUBLIC);
        int tampers = (sumPadding >= 0 ? 0 : 1) + (RandomGraphSoundnessTest.SCALE > 1 ? 2 * RandomGraphSoundnessTest.SCALE : 0);
        for (int i = 0; i < tampers; i++) {
            int target = targets.get(r.nextInt(targets.size()));
            PaddedShape shape = pk.plan().shapes[target];
            int slot = RandomGraphSoundnessTest.slot(r, shape);
            long t0 = System.nanoTime();
            long[][] forged = AdversarialProver.trace(pk, inputs, AdversarialProver.overwrite(target, slot, RandomGraphSoundnessTest.value(r, g, target, slot)));
            System.out.printf("%s trace in %.0f ms%n", c.model.modelName, (System.nanoTime() - t0) / 1e6);
            AdversarialProver.assertNoForgery(pk, forged, Visibility.PUBLIC, Visibility.PUBLIC,
                    c + ": tensor '" + g.tensor(target).name() + "' slot " + slot + (AdversarialProver.isPadding(shape, slot) ? " (padding)" : ""));
        }
    }

    /**
     * A committed tensor that a ReduceSum reads over a non-power-of-two axis, and a padding slot of it
     * inside the summed range (first padding index on that axis, 0 elsewhere): (tensor << 32) | slot, or −1.
     */
    private static long summedPadding(ProvingKey pk) {
        java.util.Set<Integer> committed = new java.util.HashSet<>(AdversarialProver.committedTensors(pk, Visibility.PUBLIC, Visibility.PUBLIC));
        for (QNode n : pk.graph().nodes()) {
            if (n.op() instanceof QOp.ReduceSum rs && committed.contains(rs.x())) {
                PaddedShape x = pk.plan().shapes[rs.x()];
                for (int a : rs.axes()) {
                    int d = a < 0 ? a + x.rank() : a;
                    if (Integer.bitCount(x.dim(d)) != 1) {
                        return ((long) rs.x() << 32) | ((long) x.dim(d) << x.firstVar(d));
                    }
                }
            }
        }
        return -1;
    }
}
