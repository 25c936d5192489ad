package dev.verinfer.zkml;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batched plan's own table layout ({@link ProofPlan#batched}): a ReLU of 16-bit values, whose 2^17 clamp
 * table is not worth it for a batch of 4 × 8 values, becomes a two-way maximum with one range look-up of
 * d_0 + d_1 = 2y − x; the zero-check's y·(y − x) = 0 must still leave no room for a wrong maximum.
 */
class BatchTablePlanTest {
    private static final int BATCH = 4;
    private static final int N = 6;

    /** x[1, 6] (20 bits) → q = Rescale(x, 4) (16 bits) → y = Max(q, 0) → output y. */
    private static final QuantGraph RELU = relu();
    private static final ProvingKey BASE = Setup.setup(RELU, PcsSecurity.CONJECTURED);
    private static final ProvingKey KEY = BASE.batched(BATCH);

    private static QuantGraph relu() {
        TestGraphs b = new TestGraphs(7);
        int x = b.input("x", 4, 20, 1, N);
        int q = b.node("q", new QOp.Rescale(x, 4), 0, 16, 1, N);
        int zero = b.constant("zero", 0, new long[] {0}, 1);
        int y = b.node("relu", new QOp.Max(q, zero), 0, 16, 1, N);
        b.output(y);
        return b.build();
    }

    private static int tensor(String name) {
        return KEY.graph().id(name);
    }

    /** Inputs whose rescaled values alternate in sign, one batch entry after another. */
    private static Map<Integer, long[]> inputs() {
        long[] x = new long[BATCH * N];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 2 == 0 ? 1 : -1) * (1000L + 37L * i) * 16;
        }
        Map<Integer, long[]> in = new HashMap<>();
        in.put(KEY.graph().inputs().getFirst(), x);
        return in;
    }

    @Test
    void reluOfABatchIsOneRangeLookUpOfTheGapSumAndNoClampTable() {
        ProofPlan plan = KEY.plan();
        assertTrue(plan.tables.stream().allMatch(ProofPlan.Table::isRange), "no clamp table for 32 values");
        assertEquals(1, columnsReading(plan, tensor("relu")), "one range look-up of d0 + d1, not one per gap");
        assertEquals(2, columnsReading(plan, tensor("q")), "q is read by its remainder and the gap sum: bounded by the maximum's gaps, not by a range check of its own");
        assertEquals(ProofPlan.batched(KEY.graph(), false).cost(), plan.cost(), "prover and verifier derive the same plan");
    }

    /** Look-up columns with a term on the tensor, broadcast or not (a column split into limbs keeps the term in its high part). */
    private static long columnsReading(ProofPlan plan, int tensor) {
        return plan.tables.stream().flatMap(t -> t.groups().stream()).flatMap(g -> g.columns().stream())
                .filter(c -> c.terms().stream().anyMatch(term -> switch (term.source()) {
                    case ProofPlan.TensorSource s -> s.tensor() == tensor;
                    case ProofPlan.BroadcastSource s -> s.tensor() == tensor;
                    case ProofPlan.ItemSource s -> false;
                })).count();
    }

    @Test
    void honestBatchVerifiesAndAWrongMaximumThatPassesTheZeroCheckIsRejected() {
        long[][] honest = AdversarialProver.trace(KEY, inputs(), AdversarialProver.Rewrite.NONE);
        assertTrue(Verifier.verify(KEY.verifyingKey(), AdversarialProver.prove(KEY, honest, Visibility.PUBLIC, Visibility.PUBLIC).bytes()).valid());
        int q = tensor("q");
        int y = tensor("relu");
        // Entry 2 of inference 3 has q < 0: y = q keeps y·(y − q) = 0, so only the range look-up of 2y − q = q < 0 can catch it.
        int entry = (BATCH - 1) * N + 1;
        int padded = KEY.plan().shapes[y].paddedIndex(entry);
        assertTrue(Goldilocks.toSigned(honest[q][padded]) < 0, "the chosen entry has a negative input");
        long[][] cheat = AdversarialProver.trace(KEY, inputs(), (tensor, values, trace) -> {
            if (tensor == y) {
                values = values.clone();
                values[padded] = trace[q][padded];
            }
            return values;
        });
        assertFalse(AdversarialProver.assertNoForgery(KEY, cheat, Visibility.PUBLIC, Visibility.PUBLIC, "ReLU output set to its negative input"),
                "a negative maximum in a batch entry is rejected");
        // A padding slot of y (a committed item of the batched witness) set to a non-zero value.
        long[][] padding = AdversarialProver.trace(KEY, inputs(), (tensor, values, trace) -> {
            if (tensor == y) {
                values = values.clone();
                values[KEY.plan().shapes[y].paddedIndex(BATCH * N - 1) + 1] = 5;
            }
            return values;
        });
        assertFalse(AdversarialProver.assertNoForgery(KEY, padding, Visibility.PUBLIC, Visibility.PUBLIC, "ReLU padding slot"),
                "a non-zero padding slot is rejected");
    }

    /** Batched keys are made once per batch size (the verifier's for every batch proof) and shared by concurrent verifiers. */
    @Test
    void batchedKeysAreMadeOncePerBatchSizeAndVerdictsAreUnchanged() throws Exception {
        assertSame(KEY, BASE.batched(BATCH));
        VerifyingKey vk = BASE.verifyingKey();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var keys = pool.invokeAll(java.util.Collections.nCopies(8, () -> vk.batched(3)));
            for (var k : keys) {
                assertSame(keys.getFirst().get(), k.get(), "one key for B = 3, whoever asks first");
            }
        } finally {
            pool.shutdown();
        }
        assertNotSame(vk.batched(BATCH), vk.batched(3));
        assertNotSame(vk.batched(VerifyingKey.MEMO_BATCH + 1), vk.batched(VerifyingKey.MEMO_BATCH + 1), "batches above the bound are not kept");
        byte[] proof = AdversarialProver.prove(KEY, AdversarialProver.trace(KEY, inputs(), AdversarialProver.Rewrite.NONE), Visibility.PUBLIC, Visibility.PUBLIC).bytes();
        assertTrue(Verifier.verify(vk, proof).valid(), "with a fresh key");
        assertTrue(Verifier.verify(vk, proof).valid(), "with the kept key");
        byte[] flipped = proof.clone();
        flipped[flipped.length - 9] ^= 1;
        assertFalse(Verifier.verify(vk, flipped).valid(), "a flipped byte is still rejected with the kept key");
    }
}
