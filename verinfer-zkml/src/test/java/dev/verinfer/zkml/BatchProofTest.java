package dev.verinfer.zkml;

import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
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

    private static QuantGraph broadcastOfReduction() {
        return BatchForgery.broadcastOfReduction();
    }

    private static final float[] VICTIM = {1, 2, 3, 4, 5, 6, 7, 8};
    private static final float[] ATTACKER = {1000, 1000, 1000, 1000, 0, 0, 0, 0};

    @Test
    void lowerRankBroadcastOperandIsAlignedOnTheBatchAxis() {
        QuantGraph g = broadcastOfReduction();
        QuantGraph stacked = BatchStacking.stack(g, 2);
        // s [2,4] is read by the Add through an explicit [2,1,4] view.
        QNode add = stacked.nodes().getLast();
        QOp.Add op = (QOp.Add) add.op();
        assertArrayEquals(new int[] {2, 1, 4}, stacked.tensor(op.b()).shape());
        assertEquals(g.id("s"), ((QOp.Reshape) stacked.nodes().get(stacked.nodes().size() - 2).op()).x());
        checkBatch(g, "x", List.of(VICTIM, ATTACKER));
        long[] victim = IntegerExecutor.execute(stacked, Map.of("x", concat(List.of(VICTIM, ATTACKER)))).value(g.outputs().getFirst());
        assertArrayEquals(new long[] {7, 10, 13, 16, 11, 14, 17, 20}, Arrays.copyOfRange(victim, 0, 8), "the victim's true output");
    }

    @Test
    void theIssuesForgedBatchProofIsRejected() {
        QuantGraph g = broadcastOfReduction();
        ProvingKey pk = Setup.setup(g);
        // B = 2: the attacker picks B to match the misaligned axis (of size 2).
        List<float[]> inputs = List.of(VICTIM, ATTACKER);
        long[] forged = BatchForgery.misStackedRun(pk, inputs).value(g.outputs().getFirst());
        assertArrayEquals(new long[] {7, 10, 13, 16, 1005, 1006, 1007, 1008}, Arrays.copyOfRange(forged, 0, 8),
                "the mis-stacked graph adds the attacker's sums to the victim's second row");
        // The honest prover on the mis-stacked graph, under the model's own weights, id and key.
        Proof proof = BatchForgery.misStackedProof(pk, inputs, new byte[0]);
        VerificationResult r = Verifier.verify(pk.verifyingKey(), proof.bytes());
        assertFalse(r.valid(), "the forged batch proof was accepted");
    }

    /** x[1,2,4] · w[1,4,3] (a 3-D weight with a leading 1) → rescale → · w2[3,4] → rescale. */
    static QuantGraph matMulWithLeadingOneWeight(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 1, 2, 4);
        int w = b.weight("w", 8, 100, 1, 4, 3);
        int w2 = b.weight("w2", 8, 100, 3, 4);
        int z = b.node("matmul", new QOp.MatMul(x, w, -1), 16, 30, 1, 2, 3);
        int q = b.node("rescale", new QOp.Rescale(z, 8), 8, 15, 1, 2, 3);
        int z2 = b.node("matmul2", new QOp.MatMul(q, w2, -1), 16, 30, 1, 2, 4);
        int y = b.node("rescale2", new QOp.Rescale(z2, 8), 8, 15, 1, 2, 4);
        b.output(y);
        return b.build();
    }

    @Test
    void batchedMatMulWithALeadingOneWeightProvesAndVerifies() {
        QuantGraph g = matMulWithLeadingOneWeight(181);
        List<float[]> inputs = List.of(TestGraphs.randomInput(182, 8, 3.9), TestGraphs.randomInput(183, 8, 3.9));
        checkBatch(g, "x", inputs);
        // A left operand of rank 2 against the 3-D weight: [1,4]·[1,4,3] → [1,1,3]; stacked, the operand is aligned to [B,1,4].
        TestGraphs b = new TestGraphs(184);
        int x = b.input("x", 8, 12, 1, 4);
        int w = b.weight("w", 8, 100, 1, 4, 3);
        int z = b.node("matmul", new QOp.MatMul(x, w, -1), 16, 30, 1, 1, 3);
        b.output(b.node("rescale", new QOp.Rescale(z, 8), 8, 15, 1, 1, 3));
        checkBatch(b.build(), "x", List.of(TestGraphs.randomInput(185, 4, 3.9), TestGraphs.randomInput(186, 4, 3.9), TestGraphs.randomInput(187, 4, 3.9)));
        // A weight on the left, broadcast over the batch: w[3,2]·x[1,2,4] → [1,3,4]; w's claim has no batch variables.
        TestGraphs left = new TestGraphs(188);
        int xl = left.input("x", 8, 12, 1, 2, 4);
        int wl = left.weight("w", 8, 100, 3, 2);
        int zl = left.node("matmul", new QOp.MatMul(wl, xl, -1), 16, 30, 1, 3, 4);
        left.output(left.node("rescale", new QOp.Rescale(zl, 8), 8, 15, 1, 3, 4));
        checkBatch(left.build(), "x", List.of(TestGraphs.randomInput(189, 8, 3.9), TestGraphs.randomInput(190, 8, 3.9)));
    }

    @Test
    void batchedMatMulReadingTheNeighbouringWeightIsRejected() {
        QuantGraph g = matMulWithLeadingOneWeight(191);
        ProvingKey batched = Setup.setup(g).batched(2);
        List<float[]> inputs = List.of(TestGraphs.randomInput(192, 8, 3.9), TestGraphs.randomInput(193, 8, 3.9));
        Execution honest = IntegerExecutor.execute(batched.graph(), Map.of("x", concat(inputs)));
        // The forgery of issue 17: inference 1's product taken with the weight packed next to w (here w2's values as [4,3]).
        QTensor w = g.tensor(g.id("w"));
        List<QTensor> tensors = new ArrayList<>(g.tensors());
        tensors.set(w.id(), new QTensor(w.id(), w.name(), w.shape(), w.scale(), w.bits(), w.kind(), g.tensor(g.id("w2")).data()));
        QuantGraph shifted = new QuantGraph(tensors, g.nodes(), g.inputs(), g.outputs());
        Execution other = IntegerExecutor.execute(shifted, Map.of("x", inputs.get(1)));
        for (String name : List.of("matmul", "rescale", "matmul2", "rescale2")) {
            int t = g.id(name);
            int per = g.tensor(t).size();
            System.arraycopy(other.value(t), 0, honest.values()[t], per, per);
        }
        assertFalse(Verifier.verify(batched.verifyingKey(), Prover.prove(batched, honest).bytes()).valid());
        // A claim on the weight with batch variables it does not have is refused outright, never placed in the packing.
        ProofPlan plan = batched.plan();
        ClaimBook book = new ClaimBook(batched.graph().tensors().size(), plan.items.size());
        int vars = plan.shapes[w.id()].numVars();
        book.onTensor(w.id(), new Claim(java.util.Collections.nCopies(vars + 1, dev.verinfer.field.Ext2.ZERO).toArray(dev.verinfer.field.Ext2[]::new), dev.verinfer.field.Ext2.ZERO));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Protocol.weightClaims(plan, book));
        assertTrue(e.getMessage().contains("variables"), e.getMessage());
    }

    @Test
    void batchWithEveryInputAndOutputCommittedCarriesItsSize() throws Exception {
        QuantGraph g = TestGraphs.mlp(201);
        ProvingKey pk = Setup.setup(g);
        ProvingKey batched = pk.batched(2);
        assertEquals(2, batched.batch());
        Execution ex = IntegerExecutor.execute(batched.graph(),
                Map.of("x", concat(List.of(TestGraphs.randomInput(202, 8, 3.9), TestGraphs.randomInput(203, 8, 3.9)))));
        Proof proof = Prover.prove(batched, ex, Visibility.COMMITTED, Visibility.COMMITTED);
        assertEquals(2, proof.statement().batch());
        VerificationResult r = Verifier.verify(pk.verifyingKey(), proof.bytes());
        assertTrue(r.valid(), r.reason());
        for (int other : new int[] {1, 3, 4}) {
            byte[] relabelled = ProofSoundnessTest.withStatement(proof.bytes(), proof.statement().withBatch(other));
            assertFalse(Verifier.verify(pk.verifyingKey(), relabelled).valid(), "claimed B = " + other);
        }
        // A public batch claiming another B no longer matches its tensors' lengths.
        Proof open = Prover.prove(batched, ex);
        assertTrue(Verifier.verify(pk.verifyingKey(), open.bytes()).valid());
        VerificationResult wrongB = Verifier.verify(pk.verifyingKey(), ProofSoundnessTest.withStatement(open.bytes(), open.statement().withBatch(1)));
        assertFalse(wrongB.valid());
    }

    @Test
    void proofIsBoundToItsContext() throws Exception {
        QuantGraph g = TestGraphs.mlp(211);
        ProvingKey pk = Setup.setup(g);
        Execution ex = IntegerExecutor.execute(g, Map.of("x", TestGraphs.randomInput(212, 8, 3.9)));
        byte[] a = "request 7, prover alice".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] b = "request 8, prover mallory".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Proof proof = Prover.prove(pk, ex, a);
        VerificationResult r = Verifier.verify(pk.verifyingKey(), proof.bytes());
        assertTrue(r.valid(), r.reason());
        assertArrayEquals(a, r.statement().context());
        assertTrue(Verifier.verify(pk.verifyingKey(), proof.bytes(), a).valid());
        VerificationResult expectedB = Verifier.verify(pk.verifyingKey(), proof.bytes(), b);
        assertFalse(expectedB.valid());
        assertTrue(expectedB.reason().contains("context"), expectedB.reason());
        // Relabelling the statement with context B breaks the transcript.
        assertFalse(Verifier.verify(pk.verifyingKey(), ProofSoundnessTest.withStatement(proof.bytes(), proof.statement().withContext(b))).valid());
        assertFalse(Verifier.verify(pk.verifyingKey(), ProofSoundnessTest.withStatement(proof.bytes(), proof.statement().withContext(new byte[0]))).valid());
        // And a proof without context is not one with context A.
        assertFalse(Verifier.verify(pk.verifyingKey(), Prover.prove(pk, ex).bytes(), a).valid());
    }
}
