package dev.verinfer.zkml;

import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Gather of several private sources in zero knowledge ({@link ZkGather}; the openWakeWord classifier's concatenation of its
 * committed embeddings): every part but the first sent masked ("gather-partials"), each reduced to its source with a hidden
 * offset. Honest proofs verify and their revealed values change with the masks; a concatenation with its sources swapped or its
 * slice shifted by one, everything after it re-derived, is no forgery.
 */
class ZkConcatTest {
    /** concat(q, q2) along axis 0 of two private Rescale outputs q, q2 [2,8] (of x·W + b and x·W2) → [4,8] → Rescale (public). */
    static QuantGraph concatenated(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 2, 8);
        int z = b.node("gemm", new QOp.MatMul(x, b.weight("w", 8, 200, 8, 8), b.weight("b", 16, 20000, 8)), 16, 30, 2, 8);
        int q = b.node("rescale", new QOp.Rescale(z, 12), 4, 9, 2, 8);
        int z2 = b.node("gemm2", new QOp.MatMul(x, b.weight("w2", 8, 200, 8, 8), -1), 16, 30, 2, 8);
        int q2 = b.node("rescale2", new QOp.Rescale(z2, 12), 4, 9, 2, 8);
        b.output(b.node("cat_half", new QOp.Rescale(concat(b, 4, 9, q, q2), 1), 3, 8, 4, 8));
        return b.build();
    }

    /** A Gather "concat" of sources [2,8] each, stacked along axis 0 (scale and bits those of the sources). */
    private static int concat(TestGraphs b, int scale, int bits, int... sources) {
        int n = 16 * sources.length;
        int[] srcInput = new int[n];
        int[] srcIndex = new int[n];
        for (int i = 0; i < n; i++) {
            srcInput[i] = i / 16;
            srcIndex[i] = i % 16;
        }
        return b.node("concat", new QOp.Gather(sources, srcInput, srcIndex), scale, bits, 2 * sources.length, 8);
    }

    /** Two committed inputs a, c [2,8] → concat [4,8] → · W[8,4] → Rescale (public): the classifier's shape. */
    static QuantGraph committedParts(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int a = b.input("a", 4, 9, 2, 8);
        int c = b.input("c", 4, 9, 2, 8);
        int z = b.node("gemm", new QOp.MatMul(concat(b, 4, 9, a, c), b.weight("w", 8, 200, 8, 4), -1), 12, 30, 4, 4);
        b.output(b.node("rescale", new QOp.Rescale(z, 8), 4, 14, 4, 4));
        return b.build();
    }

    private static AdversarialProver.Rewrite on(int target, java.util.function.UnaryOperator<long[]> f) {
        return (tensor, padded, trace) -> tensor == target ? f.apply(padded) : padded;
    }

    /** The concatenation's table with its two halves swapped (the sources' order exchanged). */
    private static long[] swapHalves(long[] t) {
        long[] out = new long[t.length];
        int half = t.length / 2;
        for (int i = 0; i < t.length; i++) {
            out[i] = t[(i + half) % t.length];
        }
        return out;
    }

    /** Each row of 8 shifted by one column (the slice read one entry off). */
    private static long[] shifted(long[] t) {
        long[] out = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = t[i / 8 * 8 + (i % 8 + 1) % 8];
        }
        return out;
    }

    private static int tensor(QuantGraph g, String name) {
        return g.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().id();
    }

    @Test
    void aConcatenationOfPrivateValuesIsProvenInZeroKnowledge() {
        ZkForwardedClaimsTest.Fixture f = ZkForwardedClaimsTest.Fixture.of(concatenated(31), 2 * 12);
        assertEquals(1, ZkGather.nodes(f.g(), f.key().plan()).size());
        assertEquals(3, ZkConvProofTest.assertRevealedValuesChangeWithTheMasks(f.key(), f.honest(), List.of("gather-partials", "gather-eval")));
        int cat = tensor(f.g(), "concat");
        for (var forged : Map.of("swapped sources", on(cat, ZkConcatTest::swapHalves), "shifted slice", on(cat, ZkConcatTest::shifted)).entrySet()) {
            long[][] trace = AdversarialProver.trace(f.key(), f.inputs(), forged.getValue());
            assertFalse(AdversarialProver.assertNoForgery(f.key(), trace, Visibility.PUBLIC, Visibility.PUBLIC, forged.getKey()), forged.getKey() + " accepted");
        }
        f.assertOverwritesRejected(List.of("rescale", "rescale2"), List.of("rescale", "rescale2"));
    }

    /** concat(q, q) (one source read twice, ZeroKnowledgeModeTest's former refusal): its two masked claims on q merged first. */
    @Test
    void aSourceReadTwiceIsProvenInZeroKnowledge() {
        TestGraphs b = new TestGraphs(33);
        int x = b.input("x", 8, 12, 2, 8);
        int z = b.node("gemm", new QOp.MatMul(x, b.weight("w", 8, 200, 8, 8), -1), 16, 30, 2, 8);
        b.output(b.node("cat_half", new QOp.Rescale(concat(b, 16, 30, z, z), 12), 4, 18, 4, 8));
        ZkForwardedClaimsTest.Fixture f = ZkForwardedClaimsTest.Fixture.of(b.build(), 2 * 12);
        assertEquals(List.of(tensor(f.g(), "gemm")), ZkClaimMerge.tensors(f.g(), f.key().plan()));
        assertEquals(3, ZkConvProofTest.assertRevealedValuesChangeWithTheMasks(f.key(), f.honest(), List.of("gather-partials", "gather-eval")));
        int cat = tensor(f.g(), "concat");
        long[][] trace = AdversarialProver.trace(f.key(), f.inputs(), on(cat, ZkConcatTest::shifted));
        assertFalse(AdversarialProver.assertNoForgery(f.key(), trace, Visibility.PUBLIC, Visibility.PUBLIC, "shifted slice"), "shifted slice accepted");
    }

    @Test
    void committedPartsAreConcatenatedInZeroKnowledge() {
        QuantGraph g = committedParts(32);
        ProvingKey key = ZkMatMulProofTest.zkKey(g, PcsSecurity.CONJECTURED, 2 * 8);
        var inputs = AdversarialProver.inputsOf(g, dev.verinfer.model.quant.IntegerExecutor.execute(g,
                Map.of("a", TestGraphs.randomInput(5, 16, 3.9), "c", TestGraphs.randomInput(6, 16, 3.9))));
        long[][] honest = AdversarialProver.trace(key, inputs, AdversarialProver.Rewrite.NONE);
        Proof ok = AdversarialProver.prove(key, honest, Visibility.COMMITTED, Visibility.PUBLIC);
        VerificationResult r = Verifier.verify(key.verifyingKey(), ok.bytes());
        assertTrue(r.valid(), r.reason());
        int cat = tensor(g, "concat");
        for (var forged : Map.of("swapped sources", on(cat, ZkConcatTest::swapHalves), "shifted slice", on(cat, ZkConcatTest::shifted)).entrySet()) {
            long[][] trace = AdversarialProver.trace(key, inputs, forged.getValue());
            Proof p = AdversarialProver.prove(key, trace, Visibility.COMMITTED, Visibility.PUBLIC);
            assertFalse(Verifier.verify(key.verifyingKey(), p.bytes()).valid(), forged.getKey() + " accepted");
        }
    }
}
