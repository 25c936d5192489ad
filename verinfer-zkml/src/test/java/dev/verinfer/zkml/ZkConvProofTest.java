package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Convolutions in zero knowledge ({@link ZkConv}) on {@link TestGraphs#conv2d}: a standard 3×3 Conv with a weight bias, stride
 * (2, 1) and asymmetric pads on the public input, then a depthwise 3×3 Conv of the committed ReLU output (a private x: its
 * im2col view and its input reduction masked by scalars of M). One key on the real hiding WHIR commitment (conjectured, a
 * small budget).
 */
class ZkConvProofTest {
    /** The bounds proof (two units) and the class's proofs (two units each). */
    private static final int BUDGET = 2 + 2 * 10;

    /**
     * Covered and proven: the proof verifies; the values the Convs reveal — "conv-evals" (W′(ρ), X̂′(ρ), B′(ρ)) and the private
     * input's "conv-input" x′(p) — differ between two proofs of one execution; the last of each altered with the rest re-derived
     * is rejected. The adversarial prover overwrites a hidden value and re-derives the rest honestly — each Conv's uncommitted
     * output and the committed tensors between them (+ 1) — and makes no forgery.
     */
    @Test
    void convolutionsOfPrivateValuesAreProvenInZeroKnowledgeAndOverwrittenValuesAreRejected() {
        QuantGraph g = TestGraphs.conv2d(7);
        ZkForwardedClaimsTest.Fixture f = ZkForwardedClaimsTest.Fixture.of(g, BUDGET);
        ProvingKey key = f.key();
        long[][] honest = f.honest();
        assertEquals(2, ZkConv.nodes(g, key.plan()).size());
        assertEquals(1, ZkConv.privateInputs(g, key.plan()).size(), "the depthwise Conv reads the private ReLU output");
        List<List<Ext2>> revealed = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            List<Ext2> values = new ArrayList<>();
            labels.clear();
            Proof proof = AdversarialProver.proveRecording(key, honest, labels, Set.of("conv-evals", "conv-input"), values);
            VerificationResult verdict = Verifier.verify(key.verifyingKey(), proof.bytes());
            assertTrue(verdict.valid(), verdict.reason());
            revealed.add(values);
        }
        // the depthwise Conv: W′(ρ), X̂′(ρ), then x′(p); the first Conv: W′(ρ), X̂(ρ), B′(ρ), then x(p) (x public: in the clear)
        assertEquals(7, revealed.getFirst().size(), revealed.toString());
        for (int i = 0; i < 7; i++) {
            assertNotEquals(revealed.get(0).get(i), revealed.get(1).get(i), "Conv value " + i + " is fixed by the witness");
        }
        for (String kind : List.of("conv-evals", "conv-input")) {
            int last = labels.lastIndexOf(kind);
            Proof altered = AdversarialProver.prove(key, honest, Visibility.PUBLIC, Visibility.PUBLIC, (seq, label, v) -> seq == last ? v.add(Ext2.ONE) : v);
            assertFalse(Verifier.verify(key.verifyingKey(), altered.bytes()).valid(), "an altered " + kind + " accepted");
        }
        f.assertOverwritesRejected(List.of("conv1", "rescale1", "relu1", "depthwise"), List.of("rescale1", "relu1"));
    }
}
