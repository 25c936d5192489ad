package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.layout.PaddedShape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
        b.output(mean(b, ZkMaskedLeavesTest.privateRescale(b)));
        return b.build();
    }

    /** q[2,8] → ReduceSum over the last axis ("sum") → MulConst 43/2^8 ("mean_wide") → Rescale ("mean", committed): its output. */
    static int mean(TestGraphs b, int q) {
        int sum = b.node("sum", new QOp.ReduceSum(q, new int[] {1}, true), 4, 13, 2, 1);
        int wide = b.node("mean_wide", new QOp.MulConst(sum, 43, 8), 12, 21, 2, 1);
        return b.node("mean", new QOp.Rescale(wide, 8), 4, 14, 2, 1);
    }

    /** A covered graph with its zero-knowledge key (conjectured), an execution's inputs and its honest trace. */
    /** What {@link Fixture#twoProofs} saw: the watched values of each proof and the last proof's labels. */
    record Revealed(List<List<dev.verinfer.field.Ext2>> values, List<String> labels) {}

    record Fixture(QuantGraph g, ProvingKey key, java.util.Map<Integer, long[]> inputs, long[][] honest) {
        static Fixture of(QuantGraph g, int budget) {
            assertEquals(List.of(), ZeroKnowledge.uncovered(g));
            ProvingKey key = ZkMatMulProofTest.zkKey(g, PcsSecurity.CONJECTURED, budget);
            var inputs = AdversarialProver.inputsOf(g, ZkMatMulProofTest.run(g, 3));
            return new Fixture(g, key, inputs, AdversarialProver.trace(key, inputs, AdversarialProver.Rewrite.NONE));
        }

        /**
         * Two honest proofs of this execution, each verified: per proof, the values sent under the {@code watched} labels (in
         * order), and the labels of every message of the last proof (for {@link #assertAlteredRejected}).
         */
        Revealed twoProofs(java.util.Set<String> watched) {
            List<List<dev.verinfer.field.Ext2>> revealed = new java.util.ArrayList<>();
            List<String> labels = new java.util.ArrayList<>();
            for (int run = 0; run < 2; run++) {
                List<dev.verinfer.field.Ext2> values = new java.util.ArrayList<>();
                labels.clear();
                Proof proof = AdversarialProver.proveRecording(key, honest, labels, watched, values);
                VerificationResult verdict = Verifier.verify(key.verifyingKey(), proof.bytes());
                assertTrue(verdict.valid(), verdict.reason());
                revealed.add(values);
            }
            return new Revealed(revealed, labels);
        }

        /** The message numbered {@code seq} altered (+ 1) with the rest re-derived: rejected. */
        void assertAlteredRejected(int seq, String what) {
            Proof altered = AdversarialProver.prove(key, honest, Visibility.PUBLIC, Visibility.PUBLIC,
                    (n, label, v) -> n == seq ? v.add(dev.verinfer.field.Ext2.ONE) : v);
            assertFalse(Verifier.verify(key.verifyingKey(), altered.bytes()).valid(), "an altered " + what + " accepted");
        }

        /**
         * The adversarial prover overwrites each named tensor and re-derives the rest honestly: no forgery. Three
         * overwrites per tensor: slot 0 + 1, slot 0 + 1/2 (a field element that is not an integer) and, where the
         * tensor's padded layout has one, its first padding slot set to 1/2. {@code committed} names the ones the plan
         * commits (checked, so the test knows which path each overwrite takes).
         */
        void assertOverwritesRejected(List<String> names, List<String> committed) {
            long half = Goldilocks.inverse(2);
            for (String name : names) {
                int t = g.tensors().stream().filter(tensor -> tensor.name().equals(name)).findFirst().orElseThrow().id();
                assertEquals(committed.contains(name), key.plan().isCommitted(t), name);
                assertNoForgery(name, AdversarialProver.overwrite(t, 0, (h, tr) -> Goldilocks.add(h, 1)), "slot 0 + 1");
                assertNoForgery(name, AdversarialProver.overwrite(t, 0, (h, tr) -> Goldilocks.add(h, half)), "slot 0 + 1/2");
                PaddedShape shape = key.plan().shapes[t];
                for (int slot = 0; slot < shape.paddedSize(); slot++) {
                    if (AdversarialProver.isPadding(shape, slot)) {
                        assertNoForgery(name, AdversarialProver.overwrite(t, slot, (h, tr) -> half), "padding slot " + slot + " = 1/2");
                        break;
                    }
                }
            }
        }

        private void assertNoForgery(String name, AdversarialProver.Rewrite rewrite, String how) {
            long[][] forged = AdversarialProver.trace(key, inputs, rewrite);
            assertFalse(AdversarialProver.assertNoForgery(key, forged, Visibility.PUBLIC, Visibility.PUBLIC, name + ": " + how), name + " accepted (" + how + ")");
        }
    }

    /**
     * Covered and proven: the proof verifies and proves the executor's output. The adversarial prover overwrites a hidden
     * value and re-derives the rest honestly — the committed q (a real slot + 1), the uncommitted sum and the uncommitted
     * MulConst output (+ 1 each: the forwarded masked claims must catch them) — and makes no forgery.
     */
    @Test
    void aMeanOfPrivateValuesIsProvenInZeroKnowledgeAndOverwrittenValuesAreRejected() {
        ZkForwardedClaimsTest.Fixture f = ZkForwardedClaimsTest.Fixture.of(mean(1), BUDGET);
        QuantGraph g = f.g();
        ProvingKey key = f.key();
        long[][] honest = f.honest();
        Proof proof = AdversarialProver.prove(key, honest, Visibility.PUBLIC, Visibility.PUBLIC);
        VerificationResult verdict = Verifier.verify(key.verifyingKey(), proof.bytes());
        assertTrue(verdict.valid(), verdict.reason());
        f.assertOverwritesRejected(List.of("rescale", "sum", "mean_wide"), List.of("rescale"));
    }

    /**
     * x[2,8]·W + b → Rescale (committed q) → the mean m as in {@link #mean} (committed) → q − m (two private operands, m broadcast:
     * m is sent masked by a scalar of M, q's claim derived) → Rescale (public); and m + 3 (one private operand: the constant's
     * value sent, m's derived) read by two Rescales (public), so the sum takes two masked claims, each forwarded on its own.
     */
    static QuantGraph centred(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int q = ZkMaskedLeavesTest.privateRescale(b);
        int mean = mean(b, q);
        int diff = b.node("diff", new QOp.Sub(q, mean), 4, 15, 2, 8);
        b.output(b.node("diff_half", new QOp.Rescale(diff, 1), 3, 14, 2, 8));
        int three = b.constant("three", 4, new long[] {3});
        int shifted = b.node("shifted", new QOp.Add(mean, three), 4, 15, 2, 1);
        b.output(b.node("shifted_half", new QOp.Rescale(shifted, 1), 3, 14, 2, 1));
        b.output(b.node("shifted_quarter", new QOp.Rescale(shifted, 2), 2, 13, 2, 1));
        return b.build();
    }

    /**
     * Add and Sub of private values are covered and proven: the proof verifies and proves the executor's outputs, and a second
     * proof sends other "sum-operand" values for the private operands (masked, not functions of the witness; the constant's is
     * the same). The adversarial prover overwrites a hidden value and re-derives the rest honestly — the committed q and m (a
     * real slot + 1), the uncommitted difference and the uncommitted m + 3 (+ 1: the derived and masked claims must catch them)
     * — and makes no forgery.
     */
    @Test
    void addAndSubOfPrivateValuesAreProvenInZeroKnowledgeAndOverwrittenValuesAreRejected() {
        // The bounds proof's 2 units, then up to 2 per proof: the trace, two proofs, one altered, 3 overwrites of 4 tensors.
        ZkForwardedClaimsTest.Fixture f = ZkForwardedClaimsTest.Fixture.of(centred(4), 2 + 2 * 20);
        QuantGraph g = f.g();
        ProvingKey key = f.key();
        long[][] honest = f.honest();
        List<List<Ext2>> sent = new java.util.ArrayList<>();
        for (int run = 0; run < 2; run++) {
            List<Ext2> values = new java.util.ArrayList<>();
            Proof proof = AdversarialProver.prove(key, honest, Visibility.PUBLIC, Visibility.PUBLIC, (seq, label, value) -> {
                if (label.equals("sum-operand")) {
                    values.add(value);
                }
                return value;
            });
            VerificationResult verdict = Verifier.verify(key.verifyingKey(), proof.bytes());
            assertTrue(verdict.valid(), verdict.reason());
            sent.add(values);
        }
        // proving order: shifted's constant (the same in both proofs) for each of its two claims, then diff's masked m
        assertEquals(3, sent.getFirst().size(), sent.toString());
        assertEquals(sent.get(0).subList(0, 2), sent.get(1).subList(0, 2), "the constant's values are public");
        assertNotEquals(sent.get(0).get(2), sent.get(1).get(2), "the masked operand changes with the masks");
        int[] seen = {-1};
        Proof altered = AdversarialProver.prove(key, honest, Visibility.PUBLIC, Visibility.PUBLIC, (seq, label, value) -> {
            if (label.equals("sum-operand") && ++seen[0] == 2) { // the masked m
                return value.add(Ext2.ONE);
            }
            return value;
        });
        assertFalse(Verifier.verify(key.verifyingKey(), altered.bytes()).valid(), "an altered masked sum-operand accepted");
        f.assertOverwritesRejected(List.of("rescale", "mean", "diff", "shifted"), List.of("rescale", "mean"));
    }

    /**
     * A Gemm whose left operand is an uncommitted private value (melspectrogram's MatMul of a sum, ch_ppocr's of a Reshape): q − m
     * (q and the mean m committed) times W2 + b2 → Rescale (public), the Gemm's a′(ρ) claim carried with its hidden offset to the
     * Sub, which forwards it. Covered and verifying; the adversarial prover overwriting the difference (+ 1) makes no forgery.
     */
    @Test
    void aGemmOfAnUncommittedPrivateValueIsProvenInZeroKnowledge() {
        TestGraphs b = new TestGraphs(9);
        int q = ZkMaskedLeavesTest.privateRescale(b);
        int diff = b.node("diff", new QOp.Sub(q, mean(b, q)), 4, 15, 2, 8);
        int z = b.node("gemm2", new QOp.MatMul(diff, b.weight("w2", 8, 100, 8, 4), b.weight("b2", 12, 2000, 4)), 12, 30, 2, 4);
        b.output(b.node("out", new QOp.Rescale(z, 10), 4, 16, 2, 4));
        // The bounds proof's 2 units, then up to 2 per proof: the trace, the proof, the difference's 3 overwrites.
        ZkForwardedClaimsTest.Fixture f = ZkForwardedClaimsTest.Fixture.of(b.build(), 2 + 2 * 6);
        VerificationResult verdict = Verifier.verify(f.key().verifyingKey(),
                AdversarialProver.prove(f.key(), f.honest(), Visibility.PUBLIC, Visibility.PUBLIC).bytes());
        assertTrue(verdict.valid(), verdict.reason());
        f.assertOverwritesRejected(List.of("diff"), List.of());
    }

    /** The committed q[2,8] of {@link ZkMaskedLeavesTest#privateRescale}, transposed to [8,2] (a Gather) → Rescale, an output; returns q. */
    static int transposedPrivateRescale(TestGraphs b) {
        int q = ZkMaskedLeavesTest.privateRescale(b);
        int[] srcIndex = new int[16];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 2; j++) {
                srcIndex[i * 2 + j] = j * 8 + i;
            }
        }
        int transposed = b.node("transpose", new QOp.Gather(new int[] {q}, new int[16], srcIndex), 4, 9, 8, 2);
        b.output(b.node("t_half", new QOp.Rescale(transposed, 1), 3, 8, 8, 2));
        return q;
    }

    /**
     * A Gather of one private source in zero knowledge ({@link ZkGather}; melspectrogram's transposes): the committed q[2,8]
     * transposed to [8,2] (uncommitted) → Rescale (public), and three columns of the uncommitted q − m (its masked claim
     * forwarded by the Sub) → Rescale (public). Covered and verifying; the "gather-eval" values differ between two proofs and the
     * last altered is rejected; the adversarial prover overwriting the transpose, the slice, the difference or the committed q
     * (+ 1) makes no forgery.
     */
    @Test
    void aTransposeOfPrivateValuesIsProvenInZeroKnowledge() {
        TestGraphs b = new TestGraphs(10);
        int q = transposedPrivateRescale(b);
        int diff = b.node("diff", new QOp.Sub(q, mean(b, q)), 4, 15, 2, 8);
        int[] columns = {1, 4, 6, 9, 12, 14}; // diff[:, (1, 4, 6)]
        int slice = b.node("slice", new QOp.Gather(new int[] {diff}, new int[6], columns), 4, 15, 2, 3);
        b.output(b.node("slice_half", new QOp.Rescale(slice, 1), 3, 14, 2, 3));
        // The bounds proof's 2 units, then up to 2 per proof: the trace, the two revealing proofs and altered ones, 3 overwrites of 4 tensors.
        ZkForwardedClaimsTest.Fixture f = ZkForwardedClaimsTest.Fixture.of(b.build(), 2 + 2 * 20);
        assertEquals(2, ZkGather.nodes(f.g(), f.key().plan()).size());
        assertEquals(2, ZkConvProofTest.assertRevealedValuesChangeWithTheMasks(f.key(), f.honest(), List.of("gather-eval")));
        f.assertOverwritesRejected(List.of("transpose", "slice", "diff", "rescale"), List.of("rescale"));
    }

    /** A ReduceSum whose private output has two readers takes two masked claims, each forwarded to the committed input on its own. */
    @Test
    void forwardedClaimsNeedNoMerge() {
        TestGraphs b = new TestGraphs(2);
        int sum = b.node("sum", new QOp.ReduceSum(ZkMaskedLeavesTest.privateRescale(b), new int[] {1}, true), 4, 13, 2, 1);
        b.output(b.node("mean", new QOp.Rescale(sum, 4), 4, 9, 2, 1));
        b.output(b.node("mean2", new QOp.Rescale(sum, 5), 4, 8, 2, 1));
        assertEquals(List.of(), ZeroKnowledge.uncovered(b.build()));
    }
}
