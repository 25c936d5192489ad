package dev.verinfer.zkml;

import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** B inferences in one proof: the stacked graph computes each inference exactly, and its proof verifies against the model's own key. */
class BatchProofTest {
    private static float[] concat(List<float[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static void checkBatch(QuantGraph g, String inputName, List<float[]> inputs) {
        int batch = inputs.size();
        ProvingKey pk = Setup.setup(g);
        ProvingKey batched = pk.batched(batch);
        Execution stacked = IntegerExecutor.execute(batched.graph(), Map.of(inputName, concat(inputs)));
        long[] out = stacked.value(g.outputs().getFirst());
        int perInference = g.tensor(g.outputs().getFirst()).size();
        for (int b = 0; b < batch; b++) {
            long[] single = IntegerExecutor.execute(g, Map.of(inputName, inputs.get(b))).value(g.outputs().getFirst());
            assertArrayEquals(single, java.util.Arrays.copyOfRange(out, b * perInference, (b + 1) * perInference), "batch element " + b);
        }
        Proof proof = Prover.prove(batched, stacked);
        assertArrayEquals(pk.verifyingKey().modelId(), proof.statement().modelId(), "a batch proof names the model itself");
        VerificationResult r = Verifier.verify(pk.verifyingKey(), proof.bytes());
        assertTrue(r.valid(), r.reason());
        // One wrong output anywhere in the batch is caught.
        stacked.values()[g.outputs().getFirst()][(batch - 1) * perInference] += 1;
        assertFalse(Verifier.verify(pk.verifyingKey(), Prover.prove(batched, stacked).bytes()).valid());
    }

    @Test
    void builtGraphsProveInBatches() {
        for (QuantGraph g : List.of(TestGraphs.mlp(91), TestGraphs.conv2d(92), TestGraphs.conv1d(93), TestGraphs.pooling(94))) {
            int n = g.tensor(g.inputs().getFirst()).size();
            List<float[]> inputs = new ArrayList<>();
            for (int b = 0; b < 3; b++) {
                inputs.add(TestGraphs.randomInput(95 + b, n, 3.9));
            }
            checkBatch(g, "x", inputs);
        }
    }

    @Test
    void alexaProvesFourInferencesInOneProof() {
        NamedInput calibration = RealInputs.embeddings(1);
        CompiledModel m = CompiledModel.compile(RealModels.ALEXA.path(), calibration.shapes(), List.of(calibration.values()), QuantConfig.DEFAULT);
        String name = calibration.values().keySet().iterator().next();
        List<float[]> inputs = new ArrayList<>();
        for (long seed = 2; seed < 6; seed++) {
            inputs.add(RealInputs.embeddings(seed).values().get(name));
        }
        checkBatch(m.quant(), name, inputs);
    }

    @Test
    void graphsReducingOverTheBatchAxisCannotBeBatched() {
        QuantGraph g = TestGraphs.arithmetic(96); // its input [2, 6] has no batch axis of size 1
        UnsupportedGraphException e = assertThrows(UnsupportedGraphException.class, () -> BatchStacking.stack(g, 2));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
        assertEquals(g, BatchStacking.stack(g, 1));
    }
}
