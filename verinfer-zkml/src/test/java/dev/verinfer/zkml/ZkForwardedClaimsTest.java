package dev.verinfer.zkml;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MulConst and ReduceSum of private values in zero knowledge (the mean of a spelled-out LayerNorm, hey_mycroft_v0.1's
 * ReduceMean = ReduceSum → MulConst → Rescale): they send nothing, and the masked leaf claim of the Rescale reading their
 * result is forwarded to their input with its hidden offset scaled ({@code LinearLayers.forward}), down to the committed
 * tensor the witness opening takes it on. One key on the real hiding WHIR commitment (conjectured, a small budget).
 */
class ZkForwardedClaimsTest {
    /** The class's proofs: one honest, three with an overwritten hidden value (two units of the weight budget each). */
    private static final int BUDGET = 2 * 6;

    /** x[2,8]·W + b → Rescale (committed q) → ReduceSum over the last axis → MulConst 43/2^8 → Rescale (the mean, public output). */
    static QuantGraph mean(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int sum = b.node("sum", new QOp.ReduceSum(ZkMaskedLeavesTest.privateRescale(b), new int[] {1}, true), 4, 13, 2, 1);
        int wide = b.node("mean_wide", new QOp.MulConst(sum, 43, 8), 12, 21, 2, 1);
        b.output(b.node("mean", new QOp.Rescale(wide, 8), 4, 14, 2, 1));
        return b.build();
    }

    /**
     * Covered and proven: the proof verifies and proves the executor's output. The adversarial prover overwrites a hidden
     * value and re-derives the rest honestly — the committed q (a real slot + 1), the uncommitted sum and the uncommitted
     * MulConst output (+ 1 each: the forwarded masked claims must catch them) — and makes no forgery.
     */
    @Test
    void aMeanOfPrivateValuesIsProvenInZeroKnowledgeAndOverwrittenValuesAreRejected() {
        QuantGraph g = mean(1);
        assertEquals(List.of(), ZeroKnowledge.uncovered(g));
        ProvingKey key = ZkMatMulProofTest.zkKey(g, PcsSecurity.CONJECTURED, BUDGET);
        var inputs = AdversarialProver.inputsOf(g, ZkMatMulProofTest.run(g, 3));
        long[][] honest = AdversarialProver.trace(key, inputs, AdversarialProver.Rewrite.NONE);
        Proof proof = AdversarialProver.prove(key, honest, Visibility.PUBLIC, Visibility.PUBLIC);
        VerificationResult verdict = Verifier.verify(key.verifyingKey(), proof.bytes());
        assertTrue(verdict.valid(), verdict.reason());
        for (String name : List.of("rescale", "sum", "mean_wide")) {
            int t = g.tensors().stream().filter(tensor -> tensor.name().equals(name)).findFirst().orElseThrow().id();
            assertEquals(name.equals("rescale"), key.plan().isCommitted(t), name);
            long[][] forged = AdversarialProver.trace(key, inputs, AdversarialProver.overwrite(t, 0, (h, tr) -> Goldilocks.add(h, 1)));
            assertFalse(AdversarialProver.assertNoForgery(key, forged, Visibility.PUBLIC, Visibility.PUBLIC, "overwritten " + name), name + " accepted");
        }
    }

    /** A ReduceSum whose private output has a second reader would leave two masked claims on it to merge: refused, naming it. */
    @Test
    void aForwardedClaimThatIsNotItsTensorsOnlyOneIsRefused() {
        TestGraphs b = new TestGraphs(2);
        int sum = b.node("sum", new QOp.ReduceSum(ZkMaskedLeavesTest.privateRescale(b), new int[] {1}, true), 4, 13, 2, 1);
        b.output(b.node("mean", new QOp.Rescale(sum, 4), 4, 9, 2, 1));
        b.output(b.node("mean2", new QOp.Rescale(sum, 5), 4, 8, 2, 1));
        List<String> uncovered = ZeroKnowledge.uncovered(b.build());
        assertTrue(uncovered.stream().anyMatch(s -> s.startsWith("node 'sum' (ReduceSum) reads private 'rescale'")), uncovered.toString());
    }
}
