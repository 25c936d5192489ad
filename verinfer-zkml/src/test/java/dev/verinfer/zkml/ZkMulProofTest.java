package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mul of private values in zero knowledge ({@link ZkElementwise}; a spelled-out LayerNorm's Pow, Div and scale): x·x, a private
 * activation times a broadcast private activation, and an uncommitted private value times a weight. One key on the real
 * hiding WHIR commitment (conjectured, a small budget).
 */
class ZkMulProofTest {
    /** The bounds proof (two units) and the class's thirteen proofs (two units each). */
    private static final int BUDGET = 2 + 2 * 13;

    /**
     * x[2,8]·W + b → Rescale (committed q) → the mean m of {@link ZkForwardedClaimsTest#mean} (committed); q·q, q·m (m
     * broadcast) and (q − m)·g (g a weight[8]; q − m uncommitted, its masked claim forwarded by the Sub), each → Rescale (public).
     */
    static QuantGraph products(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int q = ZkMaskedLeavesTest.privateRescale(b);
        int mean = ZkForwardedClaimsTest.mean(b, q);
        int square = b.node("square", new QOp.Mul(q, q), 8, 19, 2, 8);
        b.output(b.node("square_r", new QOp.Rescale(square, 4), 4, 15, 2, 8));
        int product = b.node("product", new QOp.Mul(q, mean), 8, 24, 2, 8);
        b.output(b.node("product_r", new QOp.Rescale(product, 8), 0, 16, 2, 8));
        int diff = b.node("diff", new QOp.Sub(q, mean), 4, 15, 2, 8);
        int scaled = b.node("scaled", new QOp.Mul(diff, b.weight("g", 8, 200, 8)), 12, 24, 2, 8);
        b.output(b.node("scaled_r", new QOp.Rescale(scaled, 8), 4, 16, 2, 8));
        return b.build();
    }

    /**
     * Covered and proven: the proof verifies; every "elementwise-evals" value (all operands private: masked by scalars of M or by the
     * weight face) differs between two proofs of one execution; the last one altered with the rest re-derived is rejected.
     * The adversarial prover overwrites a hidden value and re-derives the rest honestly — the committed q and m (a real slot
     * + 1) and each uncommitted product and the difference (+ 1) — and makes no forgery.
     */
    @Test
    void productsOfPrivateValuesAreProvenInZeroKnowledgeAndOverwrittenValuesAreRejected() {
        ZkForwardedClaimsTest.Fixture f = ZkForwardedClaimsTest.Fixture.of(products(5), BUDGET);
        ZkForwardedClaimsTest.Revealed seen = f.twoProofs(java.util.Set.of("elementwise-evals"));
        List<List<Ext2>> revealed = seen.values();
        assertEquals(6, revealed.getFirst().size(), revealed.toString());
        for (int i = 0; i < 6; i++) {
            assertNotEquals(revealed.get(0).get(i), revealed.get(1).get(i), "elementwise-evals value " + i + " is fixed by the witness");
        }
        f.assertAlteredRejected(seen.labels().lastIndexOf("elementwise-evals"), "elementwise-evals");
        f.assertOverwritesRejected(List.of("rescale", "mean", "square", "product", "diff", "scaled"),
                List.of("rescale", "mean"));
    }

    /**
     * Several masked claims on one uncommitted tensor, merged in zero knowledge ({@link ZkClaimMerge}): the Gemm's output z read by
     * two Rescales (the committed q and a public output), and d = q − m (m the committed mean; d sent through the Sub's masked
     * operand) read by d·d (twice) and d·g, each → Rescale (public), and by d + β (β a weight, {@link ZkElementwise}) → ReLU
     * (public; its operand d + β uncommitted).
     */
    static QuantGraph merged(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 2, 8);
        int z = b.node("gemm", new QOp.MatMul(x, b.weight("w", 8, 200, 8, 8), b.weight("b", 16, 20000, 8)), 16, 30, 2, 8);
        int q = b.node("rescale", new QOp.Rescale(z, 12), 4, 9, 2, 8);
        b.output(b.node("coarse", new QOp.Rescale(z, 13), 3, 8, 2, 8));
        int mean = ZkForwardedClaimsTest.mean(b, q);
        int diff = b.node("diff", new QOp.Sub(q, mean), 4, 15, 2, 8);
        b.output(b.node("square_r", new QOp.Rescale(b.node("square", new QOp.Mul(diff, diff), 8, 21, 2, 8), 4), 4, 17, 2, 8));
        b.output(b.node("scaled_r", new QOp.Rescale(b.node("scaled", new QOp.Mul(diff, b.weight("g", 8, 200, 8)), 12, 24, 2, 8), 8), 4, 16, 2, 8));
        int biased = b.node("biased", new QOp.Add(diff, b.weight("beta", 4, 3000, 8)), 4, 16, 2, 8);
        b.output(b.node("relu", new QOp.Max(biased, b.constant("zero", 4, new long[] {0})), 4, 16, 2, 8));
        return b.build();
    }

    /**
     * Covered and proven with the merges (the Gemm's output, the difference, the ReLU's operand); the adversarial prover overwriting
     * the merged tensors (+ 1) or a product and re-deriving the rest honestly makes no forgery. A one-value tensor read twice has no variable to
     * merge on: refused, naming the look-up reading it.
     */
    @Test
    void severalMaskedClaimsOnOneTensorAreMergedInZeroKnowledge() {
        ZkForwardedClaimsTest.Fixture f = ZkForwardedClaimsTest.Fixture.of(merged(6), BUDGET);
        QuantGraph g = f.g();
        ProvingKey key = f.key();
        long[][] honest = f.honest();
        assertEquals(1, ZkMaxLayers.masked(key.plan()).size(), "the ReLU is a zero-knowledge maximum, not a clamp look-up");
        assertEquals(List.of("biased", "diff", "gemm"), ZkClaimMerge.tensors(g, key.plan()).stream().map(t -> g.tensor(t).name()).toList());
        VerificationResult verdict = Verifier.verify(key.verifyingKey(), AdversarialProver.prove(key, honest, Visibility.PUBLIC, Visibility.PUBLIC).bytes());
        assertTrue(verdict.valid(), verdict.reason());
        f.assertOverwritesRejected(List.of("gemm", "diff", "square", "biased"), List.of());
        TestGraphs c = new TestGraphs(3);
        int x = c.input("x", 8, 12, 1, 8);
        int z = c.node("gemm", new QOp.MatMul(x, c.weight("w", 8, 200, 8, 1), -1), 16, 30, 1, 1);
        c.output(c.node("r1", new QOp.Rescale(z, 12), 4, 9, 1, 1));
        c.output(c.node("r2", new QOp.Rescale(z, 13), 4, 8, 1, 1));
        List<String> uncovered = ZeroKnowledge.uncovered(c.build());
        assertTrue(uncovered.stream().anyMatch(s -> s.startsWith("node 'r1' (Rescale) reads private 'gemm'")), uncovered.toString());
    }
}
