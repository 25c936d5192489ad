package dev.verinfer.zkml;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.layout.PaddedShape;
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
        return concatRows(b, scale, bits, 2, 8, sources);
    }

    /** A Gather "concat" of sources [rows, cols] each, stacked along axis 0. */
    private static int concatRows(TestGraphs b, int scale, int bits, int rows, int cols, int... sources) {
        int part = rows * cols;
        int n = part * sources.length;
        int[] srcInput = new int[n];
        int[] srcIndex = new int[n];
        for (int i = 0; i < n; i++) {
            srcInput[i] = i / part;
            srcIndex[i] = i % part;
        }
        return b.node("concat", new QOp.Gather(sources, srcInput, srcIndex), scale, bits, rows * sources.length, cols);
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

    /**
     * Parts with padding, private: q, q2 [3,6] (padded [4,8]) the Rescales of x[3,6]·W + b and x·W2 → concat [6,6] (padded
     * [8,8]) → ×2 (public). Every output is even, so an odd one can only come from a part that is no integer.
     */
    static QuantGraph paddedParts(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 3, 6);
        int z = b.node("gemm", new QOp.MatMul(x, b.weight("w", 8, 200, 6, 6), b.weight("b", 16, 20000, 6)), 16, 30, 3, 6);
        int q = b.node("rescale", new QOp.Rescale(z, 12), 4, 9, 3, 6);
        int z2 = b.node("gemm2", new QOp.MatMul(x, b.weight("w2", 8, 200, 6, 6), -1), 16, 30, 3, 6);
        int q2 = b.node("rescale2", new QOp.Rescale(z2, 12), 4, 9, 3, 6);
        b.output(b.node("doubled", new QOp.MulConst(concatRows(b, 4, 9, 3, 6, q, q2), 2, 0), 4, 10, 6, 6));
        return b.build();
    }

    /**
     * Parts with padding, committed (the classifier's embeddings): a, c [3,6] (padded [4,8]) → concat [6,6] → · 4I → Rescale by 2
     * (public; the classifier's MatMul then Rescale, which zero knowledge covers). Every output is even, 2·v for the part's v.
     */
    static QuantGraph committedPaddedParts(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int a = b.input("a", 4, 9, 3, 6);
        int c = b.input("c", 4, 9, 3, 6);
        long[] four = new long[36];
        for (int i = 0; i < 6; i++) {
            four[7 * i] = 4;
        }
        int z = b.node("gemm", new QOp.MatMul(concatRows(b, 4, 9, 3, 6, a, c), b.weight("four", 0, four, 6, 6), -1), 4, 12, 6, 6);
        b.output(b.node("doubled", new QOp.Rescale(z, 1), 3, 10, 6, 6));
        return b.build();
    }

    /**
     * The adversarial prover's overwrites of a multi-source part, the rest re-derived honestly: slot 0 set to {@code nonInteger}
     * (a field element that is no integer, whose double is an odd integer in the output's bound), and padding slots set to
     * (p + 1)/2 (three one at a time, then all at once).
     */
    private static Map<String, AdversarialProver.Rewrite> partForgeries(ProvingKey key, int part, AdversarialProver.SlotValue nonInteger) {
        long half = Goldilocks.inverse(2); // (p + 1)/2
        PaddedShape shape = key.plan().shapes[part];
        Map<String, AdversarialProver.Rewrite> forged = new java.util.LinkedHashMap<>();
        forged.put("slot 0 no integer", AdversarialProver.overwrite(part, 0, nonInteger));
        List<Integer> padding = java.util.stream.IntStream.range(0, shape.paddedSize()).filter(i -> AdversarialProver.isPadding(shape, i)).boxed().toList();
        assertEquals(shape.paddedSize() - shape.realSize(), padding.size());
        for (int slot : List.of(padding.getFirst(), padding.get(padding.size() / 2), padding.getLast())) {
            forged.put("padding slot " + slot + " = (p+1)/2", AdversarialProver.overwrite(part, slot, (h, tr) -> half));
        }
        forged.put("every padding slot = (p+1)/2", on(part, t -> {
            long[] out = t.clone();
            padding.forEach(i -> out[i] = half);
            return out;
        }));
        return forged;
    }

    /** Plain and zero-knowledge keys of {@code g} (conjectured security; a budget for the bounds proof and 11 proofs). */
    private static Map<String, ProvingKey> plainAndZk(QuantGraph g) {
        return Map.of("plain", Setup.setup(g, PcsSecurity.CONJECTURED), "zk", ZkMatMulProofTest.zkKey(g, PcsSecurity.CONJECTURED, 32));
    }

    /** Asserts that a non-integer forgery makes an output entry odd (no integer parts give one), and that no proof of the trace is accepted. */
    private static void assertRejected(ProvingKey pk, long[][] trace, Visibility inputs, String what) {
        if (what.contains("no integer")) {
            assertTrue(java.util.Arrays.stream(trace[pk.graph().outputs().getFirst()]).map(Goldilocks::toSigned)
                    .anyMatch(v -> Math.abs(v) % 2 == 1 && Math.abs(v) < 1 << 10), what + ": no odd output in bound");
        }
        Proof p = AdversarialProver.prove(pk, trace, inputs, Visibility.PUBLIC);
        assertFalse(Verifier.verify(pk.verifyingKey(), p.bytes()).valid(), what + " accepted");
    }

    /**
     * Private parts with padding: the adversarial prover overwrites a part's padding slots, or makes slot 0 of a part the
     * non-integer quotient (z + 2^11 − r′)/2^12 with r′ = r ± 2^11 in range (so the Rescale's own relation and remainder
     * check hold and the doubled output is an odd integer in its bound), re-deriving the concatenation and the rest honestly.
     * Plain and zero knowledge, every such proof is rejected: the padding by the witness's padding zero-check, the
     * non-integer by the part's range check.
     */
    @Test
    void paddingAndNonIntegersInPrivatePartsAreRejected() {
        QuantGraph g = paddedParts(34);
        var inputs = AdversarialProver.inputsOf(g, ZkMatMulProofTest.run(g, 3));
        for (var key : plainAndZk(g).entrySet()) {
            ProvingKey pk = key.getValue();
            long[][] honest = AdversarialProver.trace(pk, inputs, AdversarialProver.Rewrite.NONE);
            VerificationResult ok = Verifier.verify(pk.verifyingKey(), AdversarialProver.prove(pk, honest, Visibility.PUBLIC, Visibility.PUBLIC).bytes());
            assertTrue(ok.valid(), key.getKey() + ": " + ok.reason());
            for (String part : List.of("rescale", "rescale2")) {
                int z = tensor(g, part.replace("rescale", "gemm"));
                AdversarialProver.SlotValue nonInteger = (h, tr) -> {
                    long r = Math.floorMod(Goldilocks.toSigned(tr[z][0]) + (1 << 11), 1 << 12);
                    return AdversarialProver.nonIntegerQuotient(tr[z][0], 12, (r + (1 << 11)) % (1 << 12));
                };
                for (var forged : partForgeries(pk, tensor(g, part), nonInteger).entrySet()) {
                    assertRejected(pk, AdversarialProver.trace(pk, inputs, forged.getValue()), Visibility.PUBLIC, key.getKey() + ", " + part + ": " + forged.getKey());
                }
            }
        }
    }

    /**
     * Committed parts with padding (the openWakeWord classifier's embeddings): a part's padding slots overwritten, or its slot 0
     * set to v + (p + 1)/2 (the doubled output an odd integer), the concatenation and the rest re-derived honestly and the part
     * committed as forged: rejected, plain and zero knowledge (the committed input's padding zero-check and range check).
     */
    @Test
    void paddingAndNonIntegersInCommittedPartsAreRejected() {
        QuantGraph g = committedPaddedParts(35);
        var inputs = AdversarialProver.inputsOf(g, dev.verinfer.model.quant.IntegerExecutor.execute(g,
                Map.of("a", TestGraphs.randomInput(5, 18, 3.9), "c", TestGraphs.randomInput(6, 18, 3.9))));
        long half = Goldilocks.inverse(2);
        for (var key : plainAndZk(g).entrySet()) {
            ProvingKey pk = key.getValue();
            long[][] honest = AdversarialProver.trace(pk, inputs, AdversarialProver.Rewrite.NONE);
            VerificationResult ok = Verifier.verify(pk.verifyingKey(), AdversarialProver.prove(pk, honest, Visibility.COMMITTED, Visibility.PUBLIC).bytes());
            assertTrue(ok.valid(), key.getKey() + ": " + ok.reason());
            for (String part : List.of("a", "c")) {
                for (var forged : partForgeries(pk, tensor(g, part), (h, tr) -> Goldilocks.add(h, half)).entrySet()) {
                    assertRejected(pk, AdversarialProver.trace(pk, inputs, forged.getValue()), Visibility.COMMITTED, key.getKey() + ", " + part + ": " + forged.getKey());
                }
            }
        }
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
