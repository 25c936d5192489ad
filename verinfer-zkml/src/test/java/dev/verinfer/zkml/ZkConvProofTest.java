package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.QOp;
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
    private static final int BUDGET = 2 + 2 * 20;

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
        // the depthwise Conv: W′(ρ), X̂′(ρ), then x′(p); the first Conv: W′(ρ), X̂(ρ), B′(ρ), then x(p) (x public: in the clear)
        assertEquals(7, assertRevealedValuesChangeWithTheMasks(key, honest, List.of("conv-evals", "conv-input")));
        f.assertOverwritesRejected(List.of("conv1", "rescale1", "relu1", "depthwise"), List.of("rescale1", "relu1"));
    }

    /**
     * Two proofs of one execution verify and every value of the given kinds differs between them (none is a function of the
     * witness: each is masked, or read at challenges that follow the fresh masks); the last value of each kind altered, the rest
     * re-derived honestly, is rejected. Returns how many such values a proof sends.
     */
    static int assertRevealedValuesChangeWithTheMasks(ProvingKey key, long[][] honest, List<String> kinds) {
        List<List<Ext2>> revealed = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            List<Ext2> values = new ArrayList<>();
            labels.clear();
            Proof proof = AdversarialProver.proveRecording(key, honest, labels, Set.copyOf(kinds), values);
            VerificationResult verdict = Verifier.verify(key.verifyingKey(), proof.bytes());
            assertTrue(verdict.valid(), verdict.reason());
            revealed.add(values);
        }
        for (int i = 0; i < revealed.getFirst().size(); i++) {
            assertNotEquals(revealed.get(0).get(i), revealed.get(1).get(i), kinds + " value " + i + " is fixed by the witness");
        }
        for (String kind : kinds) {
            int last = labels.lastIndexOf(kind);
            Proof altered = AdversarialProver.prove(key, honest, Visibility.PUBLIC, Visibility.PUBLIC, (seq, label, v) -> seq == last ? v.add(Ext2.ONE) : v);
            assertFalse(Verifier.verify(key.verifyingKey(), altered.bytes()).valid(), "an altered " + kind + " accepted");
        }
        return revealed.getFirst().size();
    }

    /**
     * embedding_model's block: x[1,2,6,4] → Conv 3×3 (pads 1) → Rescale → leaky ReLU table → MaxPool 2×2/2 → Conv 1×2 + bias → Rescale
     * → Reshape keeping the padded layout (public), the pooled tensor committed and read by the second Conv.
     */
    static QuantGraph pooled(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 1, 2, 6, 4);
        int w = b.weight("w", 8, 100, 3, 2, 3, 3);
        int z = b.node("conv", new QOp.Conv(x, w, -1, new int[] {1, 1}, new int[] {1, 1, 1, 1}, new int[] {1, 1}, 1), 16, 30, 1, 3, 6, 4);
        int q = b.node("rescale", new QOp.Rescale(z, 8), 8, 15, 1, 3, 6, 4);
        int leaky = b.node("leaky", new QOp.Lookup(q, TestGraphs.table("leaky_relu(0.2)", 8, 8)), 8, 15, 1, 3, 6, 4);
        int p = b.node("pool", new QOp.MaxPool(leaky, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0, 0, 0}, new int[] {1, 1}), 8, 15, 1, 3, 3, 2);
        int w2 = b.weight("w2", 8, 100, 2, 3, 1, 2);
        int z2 = b.node("conv2", new QOp.Conv(p, w2, b.weight("b2", 16, 20000, 2), new int[] {1, 1}, new int[] {0, 0, 0, 0}, new int[] {1, 1}, 1),
                16, 30, 1, 2, 3, 1);
        int r2 = b.node("rescale2", new QOp.Rescale(z2, 8), 8, 15, 1, 2, 3, 1);
        b.output(b.node("flat", new QOp.Reshape(r2), 8, 15, 1, 2, 3)); // the padded layout kept: forwarded (embedding_model's last node)
        return b.build();
    }

    /**
     * A MaxPool of private values in zero knowledge ({@link ZkMaxLayers}: its committed gaps masked by scalars of M, its window
     * reduction a masked sumcheck with the views' hidden offset; 2×2 split in two passes, {@link ZkPooling}) between two Convs:
     * covered and proven, the pooling's revealed
     * "max-values" and "tap-input" differ between two proofs, the last of each altered is rejected; the adversarial prover
     * overwriting the pooled output, the leaky ReLU's output or the second Conv's output (+ 1) makes no forgery.
     */
    @Test
    void aMaxPoolBetweenConvolutionsIsProvenInZeroKnowledgeAndOverwrittenValuesAreRejected() {
        QuantGraph g = pooled(8);
        ZkForwardedClaimsTest.Fixture f = ZkForwardedClaimsTest.Fixture.of(g, BUDGET);
        ProvingKey key = f.key();
        long[][] honest = f.honest();
        assertEquals(2, ZkMaxLayers.pooled(key.plan()).size(), "the 2×2 pooling split into a width pass and a height pass (ZkPooling)");
        assertEquals(g.nodes().size() + 1, key.graph().nodes().size());
        assertEquals(8, assertRevealedValuesChangeWithTheMasks(key, honest, List.of("max-values", "tap-input")), "per pass y′ and two gaps, then x′(p)");
        f.assertOverwritesRejected(List.of("pool", "leaky", "conv2", "rescale2"), List.of("pool", "leaky", "rescale2"));
    }
}
