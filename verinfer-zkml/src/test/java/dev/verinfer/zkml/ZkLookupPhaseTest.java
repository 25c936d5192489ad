package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The look-up phase in a zero-knowledge proof ({@link LookupPhase}): LogUp-GKR runs masked (layer
 * sumchecks, internal layers, blinded roots and layer 0, leaf claims) with its masks behind
 * the proof's hiding mask commitment ({@link LookupProofMasks}); proofs complete and verify, carry fresh masks, and every flipped
 * byte is rejected. Graphs of rescales, activation tables and range checks on a public input (what
 * zero knowledge covers today: {@link ZeroKnowledge#uncovered}).
 */
class ZkLookupPhaseTest {
    private static final byte[] SEED = new byte[SeededMasks.SEED_BYTES];

    /** x[1,16] → Rescale by 2^2 (range-checked remainder) → ReLU table → Max with 0 (16-bit gaps): every look-up kind. */
    static QuantGraph lookupsOnly(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 1, 16);
        int q = b.node("rescale", new QOp.Rescale(x, 2), 6, 10, 1, 16);
        int h = b.node("relu", new QOp.Lookup(q, TestGraphs.table("relu", 6, 6)), 6, 16, 1, 16);
        int zero = b.constant("zero", 6, new long[] {0}, 1);
        int y = b.node("clamp", new QOp.Max(h, zero), 6, 16, 1, 16);
        b.output(y);
        return b.build();
    }

    private static Execution run(QuantGraph g, long seed) {
        return IntegerExecutor.execute(g, Map.of("x", TestGraphs.randomInput(seed, g.tensor(g.inputs().getFirst()).size(), 3.9)));
    }

    @Test
    void zeroKnowledgeLookupsCompleteVerifyAndCarryFreshMasks() {
        for (QuantGraph g : List.of(lookupsOnly(5), TestGraphs.wideMaxima(41))) {
            assertTrue(ZeroKnowledge.uncovered(g).isEmpty(), "a public-only graph is covered");
            assertFalse(new ProofPlan(g).tables.isEmpty(), "the graph has look-ups");
            ProvingKey zk = Setup.setup(g, PcsSecurity.PROVEN, true, ZkMatMulProofTest.SMALL_BUDGET, new HidingStandInPcs(PcsSecurity.PROVEN.pcs()), SEED, w -> w);
            Execution e = run(g, 3);
            Proof a = Prover.prove(zk, e, Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], new SplittableRandom(1));
            Proof b = Prover.prove(zk, e, Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], new SplittableRandom(2));
            assertTrue(Verifier.verify(zk.verifyingKey(), a.bytes()).valid(), Verifier.verify(zk.verifyingKey(), a.bytes()).reason());
            assertTrue(Verifier.verify(zk.verifyingKey(), b.bytes()).valid());
            assertFalse(Arrays.equals(a.bytes(), b.bytes()), "fresh masks per proof");
            assertArrayEquals(a.bytes(), Prover.prove(zk, e, Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], new SplittableRandom(1)).bytes(),
                    "the masks are the only randomness");
            ProvingKey plain = Setup.setup(g);
            assertArrayEquals(Prover.prove(plain, e).bytes(), Prover.prove(plain, e).bytes(), "without zero knowledge nothing is random");
        }
    }

    /** Flipped bytes anywhere in a zero-knowledge proof — look-up phase, its masks and blinding included — are rejected. */
    @Test
    void flippedBytesOfAZeroKnowledgeProofAreRejected() {
        QuantGraph g = lookupsOnly(6);
        ProvingKey zk = Setup.setup(g, PcsSecurity.PROVEN, true, ZkMatMulProofTest.SMALL_BUDGET, new HidingStandInPcs(PcsSecurity.PROVEN.pcs()), SEED, w -> w);
        byte[] proof = Prover.prove(zk, run(g, 4), Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], new SplittableRandom(3)).bytes();
        SplittableRandom rng = new SplittableRandom(8);
        int stride = Math.max(1, proof.length / 400);
        for (int pos = 0; pos < proof.length; pos += stride) {
            byte[] bad = proof.clone();
            bad[pos] ^= (byte) (1 << rng.nextInt(8));
            assertFalse(Verifier.verify(zk.verifyingKey(), bad).valid(), "flip at byte " + pos + " of " + proof.length);
        }
    }
    /**
     * The adversarial prover against the look-up masks in the proof's mask commitment M: M committed with
     * one entry altered — layer masks and blinding values (both halves), the share of look-up sumcheck
     * masks' and the linear claims' sumcheck mask's blocks — while the argument uses the masks as drawn;
     * and the first and last message of each kind of M's altered (mask pieces, the linear claims' final value), the rest re-derived
     * honestly. Each is rejected (or, for an altered M, refused by the honest opening).
     */
    @Test
    void everyAlteredLookupMaskAndMessageIsRejected() {
        QuantGraph g = lookupsOnly(7);
        // Conjectured security: the property (every altered mask or message rejected) does not need proven's queries.
        ProvingKey zk = Setup.setup(g, PcsSecurity.CONJECTURED, true, ZkMatMulProofTest.SMALL_BUDGET, new HidingStandInPcs(PcsSecurity.CONJECTURED.pcs()), SEED, w -> w);
        long[][] trace = AdversarialProver.trace(zk, AdversarialProver.inputsOf(g, run(g, 4)), AdversarialProver.Rewrite.NONE);
        assertTrue(AdversarialProver.assertNoForgery(zk, trace, Visibility.PUBLIC, Visibility.PUBLIC, "honest"), "honest proof rejected");
        ProofMasks.ZkLayout layout = LinearLayers.zkLayout(g, zk.plan(), ZkWitnessBatching.tail(zk.verifyingKey().pcs(), zk.plan(), zk.verifyingKey().weightOpeningBudget()));
        // Both halves of the first and last layer mask and of every blinding value of the first tree; the
        // first entry (the share) of each look-up sumcheck mask's first and last block and of the linear claims' blocks.
        int layerMasks = layout.lookups().totalLayerMasks();
        List<Integer> scalars = new java.util.ArrayList<>(List.of(0, layerMasks - 1));
        for (int k = 0; k < dev.verinfer.logup.LogUpMaskLayout.blindingValues(); k++) {
            scalars.add(layerMasks + k);
        }
        List<Integer> entries = new java.util.ArrayList<>();
        for (int k : scalars) {
            entries.add(layout.scalarIndex(k));
            entries.add(layout.scalarIndex(k) + 1);
        }
        for (int j = 0; j < layout.lookups().sumchecks().size(); j++) {
            int first = layout.firstBlock(layout.lookupSumcheck(j));
            entries.add(first << ProofMasks.BLOCK_VARS);
            entries.add((layout.firstBlock(layout.lookupSumcheck(j) + 1) - 1) << ProofMasks.BLOCK_VARS);
        }
        int linear = layout.firstBlock(layout.linearSumcheck());
        entries.add(linear << ProofMasks.BLOCK_VARS);
        entries.add((linear + layout.minVars() - 1) << ProofMasks.BLOCK_VARS);
        assertTrue(layerMasks > 0 && layout.lookups().blindedTrees() > 0, "the look-up's masks are in M");
        for (int entry : entries) {
            AdversarialProver.assertAlteredMaskRejected(zk, trace, entry);
        }
        List<String> labels = new java.util.ArrayList<>();
        AdversarialProver.prove(zk, trace, Visibility.PUBLIC, Visibility.PUBLIC, (seq, label, v) -> {
            labels.add(label);
            return v;
        });
        assertTrue(labels.contains("mask-pieces") && labels.contains("mask-linear-value"), labels.toString());
        for (int at : AdversarialProver.firstAndLastOfEachLabel(labels)) {
            if (!labels.get(at).startsWith("mask-")) {
                continue; // the other messages: flippedBytesOfAZeroKnowledgeProofIsRejected and the plain proofs' tests
            }
            Proof p = AdversarialProver.prove(zk, trace, Visibility.PUBLIC, Visibility.PUBLIC, (seq, label, v) -> seq == at ? v.add(Ext2.ONE) : v);
            assertFalse(Verifier.verify(zk.verifyingKey(), p.bytes()).valid(), "altered message " + at + " (" + labels.get(at) + ") accepted");
        }
    }
}
