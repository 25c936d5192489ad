package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Look-ups on private values in zero knowledge ({@link LookupPhase} with masked leaves): the leaf claims
 * are masked by scalars of the proof's mask commitment M, the claims they leave carry hidden offsets
 * ({@link HiddenOffset}), and their consumers take them without revealing them — the MatMul producing the
 * looked-up value by a sumcheck with a hidden offset, the witness opening by {@link ZkWitnessBatching}.
 * One key on the real hiding WHIR commitment for the class; the graph x·W + b → Rescale → ReLU table.
 */
class ZkMaskedLeavesTest {
    private static QuantGraph graph;
    private static ProvingKey key;
    private static long[][] trace;

    /**
     * x[2,16] · W[16,16] + b → Rescale by 2^8 → ReLU table → y (public): every look-up reads a private value
     * (W large enough that its mask face covers the class's proofs: two off-face claims each).
     */
    static QuantGraph privateLookups(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 2, 16);
        int w = b.weight("w", 8, 200, 16, 16);
        int bias = b.weight("b", 16, 20000, 16);
        int z = b.node("gemm", new QOp.MatMul(x, w, bias), 16, 30, 2, 16);
        int q = b.node("rescale", new QOp.Rescale(z, 8), 8, 15, 2, 16);
        b.output(b.node("relu", new QOp.Lookup(q, TestGraphs.table("relu", 8, 8)), 8, 16, 2, 16));
        return b.build();
    }

    @BeforeAll
    static void setUp() {
        graph = privateLookups(1);
        key = ZkMatMulProofTest.zkKey(graph, PcsSecurity.PROVEN);
        trace = AdversarialProver.trace(key, AdversarialProver.inputsOf(graph, ZkMatMulProofTest.run(graph, 7)), AdversarialProver.Rewrite.NONE);
    }

    @Test
    void privateLookupsAreCoveredAndTheirZeroKnowledgeProofsVerify() {
        assertTrue(ZeroKnowledge.uncovered(graph).isEmpty(), ZeroKnowledge.uncovered(graph).toString());
        assertTrue(ZeroKnowledge.masksLeaves(graph));
        ProofMasks.ZkLayout layout = LinearLayers.zkLayout(graph, key.plan());
        assertTrue(layout.leafScalars() > 0 && layout.index(ProofMasks.ZkLayout.WITNESS) >= 0, "the leaf masks and the witness batching are in M");
        Proof a = Prover.prove(key, ZkMatMulProofTest.run(graph, 3), Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], new SplittableRandom(1));
        Proof b = Prover.prove(key, ZkMatMulProofTest.run(graph, 3), Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], new SplittableRandom(2));
        VerificationResult r = Verifier.verify(key.verifyingKey(), a.bytes());
        assertTrue(r.valid(), r.reason());
        assertTrue(Verifier.verify(key.verifyingKey(), b.bytes()).valid());
        byte[] flipped = a.bytes().clone();
        for (int at = 0; at < flipped.length; at += Math.max(1, flipped.length / 48)) {
            flipped[at] ^= 1;
            assertFalse(Verifier.verify(key.verifyingKey(), flipped).valid(), "byte " + at + " flipped");
            flipped[at] ^= 1;
        }
    }

    /**
     * The values a proof reveals about the look-up leaves — the masked column terms and the witness's W′(ρ) —
     * change with the masks for one witness (they are not functions of it), and every one of them, altered
     * with the rest re-derived honestly, is rejected; so is every message of M and the MatMul's.
     */
    @Test
    void everyAlteredMaskedLeafMessageIsRejected() {
        assertTrue(AdversarialProver.assertNoForgery(key, trace, Visibility.PUBLIC, Visibility.PUBLIC, "honest"), "honest proof rejected");
        List<String> labels = new ArrayList<>();
        List<Ext2> values = new ArrayList<>();
        AdversarialProver.prove(key, trace, Visibility.PUBLIC, Visibility.PUBLIC, (seq, label, v) -> {
            labels.add(label);
            values.add(v);
            return v;
        });
        assertTrue(labels.contains("column-terms") && labels.contains("witness-eval") && labels.contains("mask-linear-value"), labels.toString());
        // The first and last of each kind (a proof each: the class must stay cheap).
        java.util.Set<Integer> targets = new java.util.TreeSet<>();
        for (String kind : List.of("column-terms", "witness-eval", "matmul-evals", "mask-linear-value", "mask-pieces")) {
            targets.add(labels.indexOf(kind));
            targets.add(labels.lastIndexOf(kind));
        }
        int checked = 0;
        for (int target : targets) {
            String label = labels.get(target);
            int at = target;
            Proof p = AdversarialProver.prove(key, trace, Visibility.PUBLIC, Visibility.PUBLIC, (seq, l, v) -> seq == at ? v.add(Ext2.ONE) : v);
            assertFalse(Verifier.verify(key.verifyingKey(), p.bytes()).valid(), "altered message " + at + " (" + label + ") accepted");
            checked++;
        }
        assertTrue(checked >= 5, checked + " messages altered");
    }

    /** M committed with a leaf scalar altered while the argument uses the masks as drawn: rejected (or refused by the honest opening). */
    @Test
    void anAlteredLeafMaskInTheMaskCommitmentIsRejected() {
        ProofMasks.ZkLayout layout = LinearLayers.zkLayout(graph, key.plan());
        int first = layout.firstLeafScalar();
        for (int k : new int[] {first, first + layout.leafScalars() - 1}) {
            for (int half = 0; half < 2; half++) {
                int entry = layout.scalarIndex(k) + half;
                ProverChannel.Tamper edit = new ProverChannel.Tamper() {
                    @Override
                    public Ext2 message(int sequence, String label, Ext2 value) {
                        return value;
                    }

                    @Override
                    public void masks(long[] table) {
                        table[entry] = Goldilocks.add(table[entry], 1);
                    }
                };
                try {
                    Proof p = AdversarialProver.prove(key, trace, Visibility.PUBLIC, Visibility.PUBLIC, edit);
                    assertFalse(Verifier.verify(key.verifyingKey(), p.bytes()).valid(), "M altered at leaf scalar " + k + " accepted");
                } catch (IllegalArgumentException refused) {
                    assertTrue(refused.getMessage().contains("not the polynomial's value"), refused.getMessage());
                }
            }
        }
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
                AdversarialProver.overwrite(q, 1, (h, t) -> Goldilocks.sub(h, 1)),
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
     * What the masked leaves reveal is not a function of the witness: for one witness, two proofs (fresh masks
     * each) send different column terms and W′(ρ) (docs/proof-system.md, "Masked leaf claims": uniform through M).
     */
    @Test
    void theRevealedLeafValuesChangeWithTheMasksAlone() {
        List<List<Ext2>> revealed = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            List<Ext2> r = new ArrayList<>();
            AdversarialProver.prove(key, trace, Visibility.PUBLIC, Visibility.PUBLIC, (seq, label, v) -> {
                if (label.equals("column-terms") || label.equals("witness-eval")) {
                    r.add(v);
                }
                return v;
            });
            revealed.add(r);
        }
        assertFalse(revealed.getFirst().isEmpty());
        assertEquals(revealed.getFirst().size(), revealed.get(1).size());
        for (int i = 0; i < revealed.getFirst().size(); i++) {
            assertNotEquals(revealed.getFirst().get(i), revealed.get(1).get(i), "revealed value " + i + " is fixed by the witness");
        }
    }
}
