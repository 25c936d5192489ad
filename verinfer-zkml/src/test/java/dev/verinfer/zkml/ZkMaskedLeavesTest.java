package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Look-ups on private values in zero knowledge ({@link LookupPhase} with masked leaves): the leaf claims
 * are masked by scalars of the proof's mask commitment M, the claims they leave carry hidden offsets
 * ({@link HiddenOffset}), and their consumers take them without revealing them — the MatMul producing the
 * looked-up value by a sumcheck with a hidden offset, the witness opening by {@link ZkWitnessBatching}.
 * One key on the real hiding WHIR commitment for the class (conjectured security and a small weight budget: the properties
 * depend on neither); the graph x·W + b → Rescale → ReLU table → clamp.
 */
class ZkMaskedLeavesTest {
    private static QuantGraph graph;
    private static ProvingKey key;
    private static long[][] trace;

    /**
     * x[2,8] · W[8,8] + b → Rescale by 2^12 → ReLU table of 2^10 entries → Max with 0 (a clamp look-up) → y
     * (public): every look-up reads a private value. Small on purpose (each zero-knowledge proof opens the hiding weight commitment); W's mask
     * face covers 64 off-face claims, the class's proofs spend 2 each (and two units of the weight budget, {@link #BUDGET}).
     */
    static QuantGraph privateLookups(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int q = privateRescale(b);
        int h = b.node("relu", new QOp.Lookup(q, dev.verinfer.model.quant.LookupTable.build("relu", 4, 4, 9, -512, 1024)), 4, 9, 2, 8);
        int zero = b.constant("zero", 4, new long[] {0}, 1);
        b.output(b.node("clamp", new QOp.Max(h, zero), 4, 9, 2, 8)); // a clamp look-up of the private h
        return b.build();
    }

    /** x[2,8] · W[8,8] + b → Rescale by 2^12 ("rescale", committed, private): its output. */
    static int privateRescale(TestGraphs b) {
        int x = b.input("x", 8, 12, 2, 8);
        int w = b.weight("w", 8, 200, 8, 8);
        int bias = b.weight("b", 16, 20000, 8);
        int z = b.node("gemm", new QOp.MatMul(x, w, bias), 16, 30, 2, 8);
        return b.node("rescale", new QOp.Rescale(z, 12), 4, 9, 2, 8);
    }

    /**
     * The class's proofs on {@link #key}: two honest, three with an altered message, one with an altered mask and up
     * to three with overwritten hidden values, each spending two units of the weight budget (its off-face claims).
     */
    private static final int BUDGET = 2 * 10;

    @BeforeAll
    static void setUp() {
        graph = privateLookups(1);
        key = ZkMatMulProofTest.zkKey(graph, PcsSecurity.CONJECTURED, BUDGET);
        trace = AdversarialProver.trace(key, AdversarialProver.inputsOf(graph, ZkMatMulProofTest.run(graph, 7)), AdversarialProver.Rewrite.NONE);
    }

    /**
     * The private look-ups are covered and their zero-knowledge proofs verify (a flipped byte is rejected). The values a
     * proof reveals about the look-up leaves — the masked column terms and the witness's W′(ρ) — are not functions of the
     * witness: two honest proofs of one witness (fresh masks each, both accepted) send different ones (docs/proof-system.md,
     * "Masked leaf claims": uniform through M). Each of them, and M's linear claims' value, altered with the rest
     * re-derived honestly, is rejected.
     */
    @Test
    void theRevealedLeafValuesChangeWithTheMasksAndAlteredOnesAreRejected() {
        assertTrue(ZeroKnowledge.uncovered(graph).isEmpty(), ZeroKnowledge.uncovered(graph).toString());
        assertTrue(ZeroKnowledge.masksLeaves(graph));
        ProofMasks.ZkLayout layout = LinearLayers.zkLayout(graph, key.plan(), ZkWitnessBatching.tail(key.verifyingKey().pcs(), key.plan(), key.verifyingKey().weightOpeningBudget()));
        assertTrue(layout.leafScalars() > 0 && layout.index(ProofMasks.ZkLayout.WITNESS) >= 0, "the leaf masks and the witness batching are in M");
        List<String> labels = new ArrayList<>();
        List<List<Ext2>> revealed = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            List<Ext2> r = new ArrayList<>();
            labels.clear();
            Proof honest = AdversarialProver.proveRecording(key, trace, labels, java.util.Set.of("column-terms", "witness-eval"), r);
            VerificationResult verdict = Verifier.verify(key.verifyingKey(), honest.bytes());
            assertTrue(verdict.valid(), verdict.reason());
            revealed.add(r);
            if (run == 0) {
                byte[] flipped = honest.bytes().clone();
                for (int at = 0; at < flipped.length; at += Math.max(1, flipped.length / 8)) {
                    flipped[at] ^= 1;
                    assertFalse(Verifier.verify(key.verifyingKey(), flipped).valid(), "byte " + at + " flipped");
                    flipped[at] ^= 1;
                }
            }
        }
        assertFalse(revealed.getFirst().isEmpty());
        assertEquals(revealed.getFirst().size(), revealed.get(1).size());
        for (int i = 0; i < revealed.getFirst().size(); i++) {
            assertNotEquals(revealed.getFirst().get(i), revealed.get(1).get(i), "revealed value " + i + " is fixed by the witness");
        }
        assertTrue(labels.contains("column-terms") && labels.contains("witness-eval") && labels.contains("mask-linear-value"), labels.toString());
        for (String kind : List.of("column-terms", "witness-eval", "mask-linear-value")) { // a proof each: the class must stay cheap
            int at = labels.lastIndexOf(kind);
            Proof p = AdversarialProver.prove(key, trace, Visibility.PUBLIC, Visibility.PUBLIC, (seq, l, v) -> seq == at ? v.add(Ext2.ONE) : v);
            assertFalse(Verifier.verify(key.verifyingKey(), p.bytes()).valid(), "altered message " + at + " (" + kind + ") accepted");
        }
    }

    /** M committed with a leaf scalar altered while the argument uses the masks as drawn: rejected (or refused by the honest opening). */
    @Test
    void anAlteredLeafMaskInTheMaskCommitmentIsRejected() {
        ProofMasks.ZkLayout layout = LinearLayers.zkLayout(graph, key.plan(), ZkWitnessBatching.tail(key.verifyingKey().pcs(), key.plan(), key.verifyingKey().weightOpeningBudget()));
        AdversarialProver.assertAlteredMaskRejected(key, trace, layout.scalarIndex(layout.firstLeafScalar() + layout.leafScalars() - 1));
    }

    /**
     * The adversarial prover overwrites a hidden value — the Rescale's committed output (real slot ± 1, a
     * padding slot) or the MatMul's uncommitted output — and re-derives everything downstream: no forgery.
     */
    @Test
    void overwrittenHiddenValuesAreNotForgeries() {
        int q = graph.tensors().stream().filter(t -> t.name().equals("rescale")).findFirst().orElseThrow().id();
        int z = graph.tensors().stream().filter(t -> t.name().equals("gemm")).findFirst().orElseThrow().id();
        var inputs = AdversarialProver.inputsOf(graph, ZkMatMulProofTest.run(graph, 7));
        int padding = -1;
        for (int s = 0; s < key.plan().shapes[q].paddedSize() && padding < 0; s++) {
            padding = AdversarialProver.isPadding(key.plan().shapes[q], s) ? s : -1;
        }
        List<AdversarialProver.Rewrite> rewrites = new ArrayList<>(List.of(
                AdversarialProver.overwrite(q, 0, (h, t) -> Goldilocks.add(h, 1)),
                AdversarialProver.overwrite(z, 0, (h, t) -> Goldilocks.add(h, 256))));
        if (padding >= 0) {
            rewrites.add(AdversarialProver.overwrite(q, padding, (h, t) -> 5));
        }
        for (AdversarialProver.Rewrite rewrite : rewrites) {
            long[][] forged = AdversarialProver.trace(key, inputs, rewrite);
            AdversarialProver.assertNoForgery(key, forged, Visibility.PUBLIC, Visibility.PUBLIC, "overwritten hidden value"); // throws on a forgery
        }
    }

    /**
     * A two-layer MLP (Gemm → Rescale → ReLU table → Gemm → Rescale → sigmoid table) proven end to end in zero
     * knowledge: the second Gemm's left operand is private (the ReLU's committed output, masked by a scalar of M,
     * its claim a′(ρ) carried with a hidden offset to the witness opening). Its a′(ρ) altered: rejected.
     */
    @Test
    void aTwoLayerMlpWithAPrivateLeftOperandIsProvenInZeroKnowledge() {
        QuantGraph mlp = TestGraphs.mlp(3);
        assertTrue(ZeroKnowledge.uncovered(mlp).isEmpty(), ZeroKnowledge.uncovered(mlp).toString());
        ProvingKey pk = ZkMatMulProofTest.zkKey(mlp, PcsSecurity.CONJECTURED);
        long[][] t = AdversarialProver.trace(pk, AdversarialProver.inputsOf(mlp, ZkMatMulProofTest.run(mlp, 2)), AdversarialProver.Rewrite.NONE);
        List<String> labels = new ArrayList<>();
        Proof honest = AdversarialProver.prove(pk, t, Visibility.PUBLIC, Visibility.PUBLIC, (seq, label, v) -> {
            labels.add(label);
            return v;
        });
        VerificationResult verdict = Verifier.verify(pk.verifyingKey(), honest.bytes());
        assertTrue(verdict.valid(), verdict.reason());
        int first = labels.indexOf("matmul-evals"); // the second Gemm's (proven first): a′(ρ)
        Proof p = AdversarialProver.prove(pk, t, Visibility.PUBLIC, Visibility.PUBLIC, (seq, l, v) -> seq == first ? v.add(Ext2.ONE) : v);
        assertFalse(Verifier.verify(pk.verifyingKey(), p.bytes()).valid(), "the private left operand's a′(ρ) altered and accepted");
    }
}
