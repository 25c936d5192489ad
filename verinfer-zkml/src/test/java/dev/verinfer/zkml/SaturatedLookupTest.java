package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.LookupTable;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Arrays;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A look-up of a saturating function ({@link SaturatedLookups}), in a single proof and in a batch: y = T[x] over T's
 * 2^12-entry domain becomes y = W[min(max(x, lo), hi)] with W T's 2^11-entry window, and a prover who puts an input on
 * the wrong side of a saturation bound, claims a saturated input is inside the window, changes a saturated output or
 * fills a padding slot is rejected — in zero knowledge too, where the clamps are maxima of private values ({@link ZkMaxLayers}).
 */
class SaturatedLookupTest {
    private static final int BATCH = 4;
    private static final int N = 6;
    /** sigmoid(q / 2^7)·2^8 over q ∈ [−2^11, 2^11): 0 below −799, 256 above 799. */
    private static final LookupTable SIGMOID = LookupTable.build("sigmoid", 7, 8, 9, -(1L << 11), 1 << 12);
    private static final QuantGraph GRAPH = graph();
    private static final ProvingKey BASE = Setup.setup(GRAPH, PcsSecurity.CONJECTURED);
    private static final ProvingKey KEY = BASE.batched(BATCH);
    /** Rescaled inputs of each batch entry: saturated low, window, saturated high, the window's edges. */
    private static final long[] Q = {-2000, -900, -50, 300, 1200, 2040};

    /** x[1, 6] (14 bits) → q = Rescale(x, 3) (11 bits) → y = sigmoid table[q] → output y. */
    private static QuantGraph graph() {
        TestGraphs b = new TestGraphs(3);
        int x = b.input("x", 10, 14, 1, N);
        int q = b.node("q", new QOp.Rescale(x, 3), 7, 11, 1, N);
        int y = b.node("sig", new QOp.Lookup(q, SIGMOID), 8, 10, 1, N);
        b.output(y);
        return b.build();
    }

    /** Batch entry b holds Q + b, times 8 (the Rescale's divisor). */
    private static Map<Integer, long[]> inputs() {
        return inputs(KEY, BATCH);
    }

    private static Map<Integer, long[]> inputs(ProvingKey key, int batch) {
        return Map.of(key.graph().inputs().getFirst(), java.util.stream.IntStream.range(0, batch * N).mapToLong(i -> (Q[i % N] + i / N) * 8).toArray());
    }

    @Test
    void theWindowTableEqualsTheFullTableOnEveryInputOfTheDeclaredRange() {
        SaturatedLookups.Window w = SaturatedLookups.Window.of(GRAPH.tensor(1), SIGMOID);
        assertNotNull(w);
        assertEquals(1 << 11, w.table().size());
        for (long x = -(1L << 11) + 1; x < 1L << 11; x++) {
            long z = Math.min(Math.max(x, w.lo()), w.hi());
            assertEquals(SIGMOID.values()[(int) (x - SIGMOID.inMin())], w.table().values()[(int) (z - w.table().inMin())], "x = " + x);
        }
        QTensor wider = new QTensor(0, "wide", new int[] {1}, 7, 12, QTensor.Kind.ACTIVATION, null);
        assertNull(SaturatedLookups.Window.of(wider, SIGMOID), "a table that does not cover its input's declared range is not cut");
        assertNull(SaturatedLookups.Window.of(GRAPH.tensor(1), LookupTable.build("identity", 0, 0, 12, -(1L << 11), 1 << 12)), "nothing saturates");
    }

    @Test
    void aBatchLooksUpTheWindowAfterAClampAndComputesWhatTheModelDoes() {
        ProofPlan plan = KEY.plan();
        assertTrue(plan.tables.stream().noneMatch(t -> !t.isRange() && t.numVars() > 11), "no 2^12 sigmoid table, no clamp table");
        assertTrue(plan.tables.stream().anyMatch(t -> !t.isRange() && t.numVars() == 11), "the 2^11 window");
        assertEquals(KEY.verifyingKey().batched(BATCH).plan().cost(), plan.cost(), "prover and verifier derive the same plan");
        assertTrue(plan.cost() < ProofPlan.batched(BatchStacking.stack(GRAPH, BATCH), false).cost(), "chosen because it is cheaper");
        Map<String, float[]> floats = new HashMap<>();
        long[] x = inputs().values().iterator().next();
        floats.put("x", IntegerExecutor.dequantise(KEY.graph().tensor(KEY.graph().inputs().getFirst()), x));
        QuantGraph plain = BatchStacking.stack(GRAPH, BATCH);
        assertArrayEquals(IntegerExecutor.execute(plain, floats).value(plain.outputs().getFirst()),
                IntegerExecutor.execute(KEY.graph(), floats).value(KEY.graph().outputs().getFirst()));
    }

    @Test
    void aSingleProofLooksUpTheWindowTooUnderTheSameKey() {
        ProofPlan plan = BASE.plan();
        assertTrue(plan.tables.stream().noneMatch(t -> !t.isRange() && t.numVars() > 11), "no 2^12 sigmoid table, no clamp table");
        assertTrue(plan.tables.stream().anyMatch(t -> !t.isRange() && t.numVars() == 11), "the 2^11 window");
        assertEquals(BASE.verifyingKey().plan().cost(), plan.cost(), "prover and verifier derive the same plan");
        assertTrue(plan.cost() < ProofPlan.batched(GRAPH, false).cost(), "chosen because it is cheaper");
        assertArrayEquals(Digests.sha256("verinfer-architecture-v1", GraphCodec.encode(GRAPH, false)), BASE.verifyingKey().architectureDigest(),
                "the key names the model's graph (its bytes and model id are unchanged), not the cut one");
        // A run of the model's own graph (no clamp tensors) proves too: the prover completes it.
        Proof p = Prover.prove(BASE, IntegerExecutor.execute(GRAPH, Map.of("x", IntegerExecutor.dequantise(GRAPH.tensor(GRAPH.inputs().getFirst()),
                inputs(BASE, 1).values().iterator().next()))), Visibility.PUBLIC, Visibility.PUBLIC);
        assertTrue(Verifier.verify(BASE.verifyingKey(), p.bytes()).valid());
    }

    @Test
    void aCutIsKeptOnlyWhereItShrinksTheWitnessOrSavesMoreThanATenthOfTheCost() {
        ProofPlan uncut = ProofPlan.batched(GRAPH, false);
        ProofPlan cut = BASE.verifyingKey().plan();
        assertTrue(cut.cost() * 100 < uncut.cost() * (100 - SaturatedLookups.CUT_MIN_GAIN_PERCENT)
                || cut.witnessPacking.numVars() < uncut.witnessPacking.numVars(), "this graph's cut pays");
        assertTrue(SaturatedLookups.worthCutting(uncut, cut));
        assertFalse(SaturatedLookups.worthCutting(uncut, uncut), "no saving and the same witness: the uncut, smaller proof");
        assertFalse(SaturatedLookups.worthCutting(cut, uncut), "a dearer plan is never worth cutting for");
    }

    @Test
    void completeFillsExactlyTheCutsClampsAndRefusesAnyOtherMissingValue() {
        QuantGraph g = BASE.graph();
        long[][] run = IntegerExecutor.execute(GRAPH, Map.of("x", IntegerExecutor.dequantise(GRAPH.tensor(GRAPH.inputs().getFirst()),
                inputs(BASE, 1).values().iterator().next()))).values();
        long[][] values = Arrays.copyOf(run, g.tensors().size());
        for (QTensor t : g.tensors()) {
            if (t.data() != null) {
                values[t.id()] = t.data();
            }
        }
        long[][] complete = values.clone();
        SaturatedLookups.complete(g, complete);
        assertNotNull(complete[g.id("sig/raised")]);
        assertNotNull(complete[g.id("sig/clamped")]);
        long[][] gap = values.clone();
        gap[g.id("q")] = null; // a Rescale's output, not a clamp of the cut
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SaturatedLookups.complete(g, gap));
        assertTrue(e.getMessage().contains("'q'"), e.getMessage());
    }

    @Test
    void aKeyLoadedAgainReusesTheCutSearchAndDerivesTheSamePlan() throws MalformedProofException {
        VerifyingKey loaded = VerifyingKey.fromBytes(BASE.verifyingKey().toBytes());
        assertEquals(BASE.verifyingKey().saturatedCut(), loaded.saturatedCut());
        assertEquals(BASE.verifyingKey().plan().cost(), loaded.plan().cost());
        assertArrayEquals(GraphCodec.encode(BASE.verifyingKey().graph(), false), GraphCodec.encode(loaded.graph(), false));
        assertEquals(KEY.verifyingKey().batched(BATCH).saturatedCut(), loaded.batched(BATCH).saturatedCut());
        assertEquals(KEY.verifyingKey().batched(BATCH).plan().cost(), loaded.batched(BATCH).plan().cost());
    }

    @Test
    void honestBatchVerifiesAndEveryWrongBranchIsRejected() {
        rejectsEveryWrongBranch(KEY, BATCH, 2 * N, 3 * N + 3, N + 4);
    }

    @Test
    void honestSingleProofVerifiesAndEveryWrongBranchIsRejected() {
        rejectsEveryWrongBranch(BASE, 1, 0, 3, 4);
    }

    /**
     * The honest proof of {@code batch} entries verifies; each cheat is rejected. Entries: {@code low} saturated low,
     * {@code window} inside the window, {@code high} saturated high.
     */
    private static void rejectsEveryWrongBranch(ProvingKey key, int batch, int low, int window, int high) {
        rejectsEveryWrongBranch(key, inputs(key, batch), batch * N, low, window, high);
    }

    /** As above for a key whose graph has {@code entries} looked-up values, proven on {@code inputs}. */
    private static void rejectsEveryWrongBranch(ProvingKey key, Map<Integer, long[]> inputs, int entries, int low, int window, int high) {
        long[][] honest = AdversarialProver.trace(key, inputs, AdversarialProver.Rewrite.NONE);
        VerificationResult verdict = Verifier.verify(key.verifyingKey().batched(key.batch()),
                AdversarialProver.prove(key, honest, Visibility.PUBLIC, Visibility.PUBLIC).bytes());
        assertTrue(verdict.valid(), verdict.reason());
        SaturatedLookups.Window w = SaturatedLookups.Window.of(GRAPH.tensor(1), SIGMOID);
        QuantGraph g = key.graph();
        int raised = g.id("sig/raised");
        int clamped = g.id("sig/clamped");
        int y = g.id("sig");
        int saturatedLow = slot(key, y, low);
        int inWindow = slot(key, y, window);
        int saturatedHigh = slot(key, y, high);
        rejected(key, inputs, y, saturatedLow, 1, "a saturated output changed");
        rejected(key, inputs, y, saturatedHigh, Goldilocks.fromSigned(255), "a saturated output changed (high)");
        rejected(key, inputs, clamped, inWindow, Goldilocks.fromSigned(w.hi()), "an input of the window placed in the high saturation");
        rejected(key, inputs, raised, inWindow, Goldilocks.fromSigned(w.lo()), "an input of the window placed in the low saturation");
        rejected(key, inputs, raised, saturatedLow, Goldilocks.fromSigned(w.lo() + 100), "a saturated input placed inside the window");
        rejected(key, inputs, clamped, saturatedHigh, Goldilocks.fromSigned(w.hi() - 1), "a saturated input placed inside the window (high)");
        rejected(key, inputs, raised, slot(key, raised, entries - 1) + 1, 7, "a padding slot of the clamp");
        rejected(key, inputs, clamped, slot(key, clamped, entries - 1) + 1, 7, "a padding slot of the clamped input");
        rejected(key, inputs, y, slot(key, y, entries - 1) + 1, 7, "a padding slot of the window's output");
        assertEquals(0, Goldilocks.toSigned(honest[y][saturatedLow]));
        assertEquals(256, Goldilocks.toSigned(honest[y][saturatedHigh]));
    }

    /**
     * x[1, k] · I[k, n] → q = Rescale(·, 3) (11 bits) → y = sigmoid table[q]: the MatMul by a weight (an identity, so q is the
     * rescaled input) makes q private, so a zero-knowledge key proves the cut's clamps as maxima of private values ({@link ZkMaxLayers};
     * for n = 1 on one lifted variable) and the window's look-up with masked leaves. k = n, or {@link #ONE_VALUE_INNER} for n = 1.
     */
    private static QuantGraph privateGraph(int n) {
        int k = n == 1 ? ONE_VALUE_INNER : n;
        long[] identity = new long[k * n];
        for (int i = 0; i < n; i++) {
            identity[i * n + i] = 1;
        }
        TestGraphs b = new TestGraphs(5);
        int x = b.input("x", 10, 14, 1, k);
        int w = b.weight("w", 0, identity, k, n);
        int z = b.node("gemm", new QOp.MatMul(x, w, -1), 10, 15, 1, n);
        int q = b.node("q", new QOp.Rescale(z, 3), 7, 11, 1, n);
        b.output(b.node("sig", new QOp.Lookup(q, SIGMOID), 8, 10, 1, n));
        return b.build();
    }

    /** The inner dimension of {@link #privateGraph}(1): a weight of 64 entries, whose hiding commitment's face covers 32 off-face claims, one a proof. */
    private static final int ONE_VALUE_INNER = 64;

    /** A zero-knowledge key of {@link #privateGraph} on the real hiding WHIR commitment: its plan takes the cut, as a plain key's does. */
    private static ProvingKey privateKey(int n, int proofs) {
        QuantGraph g = privateGraph(n);
        ProvingKey key = ZkMatMulProofTest.zkKey(g, PcsSecurity.CONJECTURED, 2 + 4 * proofs); // up to 4 units a proof (its off-face weight claims)
        assertEquals(Set.of(SIGMOID), key.verifyingKey().saturatedCut(), "the zero-knowledge key cuts the sigmoid");
        assertEquals(SaturatedLookups.plan(g, false).plan().cost(), key.plan().cost(), "the plain key's plan");
        assertTrue(key.plan().tables.stream().noneMatch(t -> !t.isRange() && t.numVars() > 11), "no 2^12 sigmoid table, no clamp table");
        assertTrue(ZkMaxLayers.masked(key.plan()).size() >= 2, "the clamps are maxima of private values");
        assertEquals(java.util.List.of(), ZeroKnowledge.uncoveredNodes(key.plan()));
        return key;
    }

    /** The input of {@link #privateGraph}: q + offset per looked-up entry, times 8, then zeros. */
    private static Map<Integer, long[]> privateInputs(ProvingKey key, int k, long... q) {
        long[] x = new long[k];
        for (int i = 0; i < q.length; i++) {
            x[i] = q[i] * 8;
        }
        return Map.of(key.graph().inputs().getFirst(), x);
    }

    /** The single-proof adversary of {@link #rejectsEveryWrongBranch} on a zero-knowledge key: each cheat rejected in zero knowledge too. */
    @Test
    void zeroKnowledgeProofsCutTooAndEveryWrongBranchIsRejected() {
        ProvingKey key = privateKey(N, 11);
        rejectsEveryWrongBranch(key, privateInputs(key, N, Q), N, 0, 3, 4);
    }

    /**
     * One looked-up value (alexa_v0.1's sigmoid input): the clamps are maxima of one value, lifted to one variable
     * ({@link ZkMaxLayers#lifted}). Per branch (an input saturated low, in the window, saturated high) the honest proof verifies
     * and its cheats are rejected.
     */
    @Test
    void zeroKnowledgeProofsOfOneValueCutTooAndEveryWrongBranchIsRejected() {
        ProvingKey key = privateKey(1, 9);
        assertTrue(ZkMaxLayers.masked(key.plan()).stream().allMatch(m -> ZkMaxLayers.lifted(key.plan(), m.check())));
        SaturatedLookups.Window w = SaturatedLookups.Window.of(GRAPH.tensor(1), SIGMOID);
        QuantGraph g = key.graph();
        int raised = g.id("sig/raised");
        int clamped = g.id("sig/clamped");
        int y = g.id("sig");
        Map<Integer, long[]> low = privateInputs(key, ONE_VALUE_INNER, -2000);
        Map<Integer, long[]> window = privateInputs(key, ONE_VALUE_INNER, 300);
        Map<Integer, long[]> high = privateInputs(key, ONE_VALUE_INNER, 2040);
        for (Map<Integer, long[]> in : java.util.List.of(low, window, high)) {
            VerificationResult verdict = Verifier.verify(key.verifyingKey(),
                    AdversarialProver.prove(key, AdversarialProver.trace(key, in, AdversarialProver.Rewrite.NONE), Visibility.PUBLIC, Visibility.PUBLIC).bytes());
            assertTrue(verdict.valid(), verdict.reason());
        }
        rejected(key, low, y, 0, 1, "a saturated output changed");
        rejected(key, high, y, 0, Goldilocks.fromSigned(255), "a saturated output changed (high)");
        rejected(key, window, clamped, 0, Goldilocks.fromSigned(w.hi()), "an input of the window placed in the high saturation");
        rejected(key, window, raised, 0, Goldilocks.fromSigned(w.lo()), "an input of the window placed in the low saturation");
        rejected(key, low, raised, 0, Goldilocks.fromSigned(w.lo() + 100), "a saturated input placed inside the window");
        rejected(key, high, clamped, 0, Goldilocks.fromSigned(w.hi() - 1), "a saturated input placed inside the window (high)");
    }

    private static int slot(ProvingKey key, int tensor, int entry) {
        return key.plan().shapes[tensor].paddedIndex(entry);
    }

    /** Sets one slot of a tensor as the trace reaches it, re-derives the rest honestly: the proof must be rejected. */
    private static void rejected(ProvingKey key, Map<Integer, long[]> inputs, int tensor, int slot, long value, String what) {
        long[][] cheat = AdversarialProver.trace(key, inputs, (t, values, trace) -> {
            if (t == tensor) {
                values = values.clone();
                values[slot] = value;
            }
            return values;
        });
        assertFalse(AdversarialProver.assertNoForgery(key, cheat, Visibility.PUBLIC, Visibility.PUBLIC, what), what + ": accepted");
    }
}
