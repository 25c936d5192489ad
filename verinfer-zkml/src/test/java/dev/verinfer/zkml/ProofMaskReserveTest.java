package dev.verinfer.zkml;

import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.HidingCommitment;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offline/online split ({@link ProofMaskReserve}): a proof made with a reserve prepared from randomness R is the proof R gives
 * without one (the zero-knowledge pin's digest, a carried layout too); a reserve serves one proof; a reserve for another key, batch
 * or visibility is refused; two reserves draw different masks.
 */
class ProofMaskReserveTest {
    /** {@link ZkProofBytesPinTest}'s Gemm: witness and M each in their own tree, the weights' fresh g (prepared from their stream). */
    @Test
    void aProofFromAReserveIsTheProofItsRandomnessGivesWithoutOne() throws Exception {
        QuantGraph g = ZkMatMulProofTest.gemm(1);
        ProvingKey pk = ZkMatMulProofTest.zkKey(g, PcsSecurity.PROVEN);
        assertFalse(carries(pk), "the Gemm's witness is not carried");
        byte[] reserved = withReserve(pk, ZkMatMulProofTest.run(g, 3), Visibility.PUBLIC, Visibility.PUBLIC);
        assertArrayEquals(without(pk, ZkMatMulProofTest.run(g, 3), Visibility.PUBLIC, Visibility.PUBLIC), reserved);
        assertEquals(ZkProofBytesPinTest.PIN, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(reserved)));
        VerificationResult r = Verifier.verify(pk.verifyingKey(), reserved);
        assertTrue(r.valid(), r.reason());
    }

    /** A layer whose weights top the witness's run: witness, M and the weights' g in one carrier tree, all prepared in one stream. */
    @Test
    void aCarriedProofFromAReserveIsTheProofItsRandomnessGivesWithoutOne() {
        QuantGraph g = wideLayer();
        ProvingKey pk = ZkMatMulProofTest.zkKey(g, PcsSecurity.PROVEN, ZeroKnowledge.WEIGHT_OPENING_BUDGET);
        assertTrue(carries(pk), "the wide layer's witness is carried");
        byte[] plain = without(pk, ZkMatMulProofTest.run(g, 5), Visibility.PUBLIC, Visibility.PUBLIC);
        byte[] reserved = withReserve(pk, ZkMatMulProofTest.run(g, 5), Visibility.PUBLIC, Visibility.PUBLIC);
        assertArrayEquals(plain, reserved);
        VerificationResult r = Verifier.verify(pk.verifyingKey(), reserved);
        assertTrue(r.valid(), r.reason());
    }

    /**
     * A witness on top of its run (carrier28: the witness, the weights' g and M in one carrier), and the wide layer at a budget of 16,
     * whose weights the batching rule leaves out of the witness's run (so the carrier holds the witness and M only): prepared ahead,
     * each proof is the one its randomness gives without a reserve, and verifies.
     */
    @Test
    void aCarrierOfThePredictedRunFromAReserveIsTheProofItsRandomnessGivesWithoutOne() {
        QuantGraph wide = wideLayer();
        for (ProvingKey pk : java.util.List.of(ZkMatMulProofTest.zkKey(TestGraphs.mlp(1), PcsSecurity.PROVEN),
                ZkMatMulProofTest.zkKey(TestGraphs.conv2d(1), PcsSecurity.PROVEN), ZkMatMulProofTest.zkKey(wide, PcsSecurity.PROVEN, 16))) {
            QuantGraph g = pk.graph();
            assertTrue(carries(pk), "the witness is carried");
            byte[] plain = without(pk, ZkMatMulProofTest.run(g, 3), Visibility.PUBLIC, Visibility.PUBLIC);
            byte[] reserved = withReserve(pk, ZkMatMulProofTest.run(g, 3), Visibility.PUBLIC, Visibility.PUBLIC);
            assertArrayEquals(plain, reserved);
            VerificationResult r = Verifier.verify(pk.verifyingKey(), reserved);
            assertTrue(r.valid(), r.reason());
        }
    }

    /** Committed inputs and outputs: their commitments' stream keys drawn first, in graph order, as the proof draws them. */
    @Test
    void aProofWithCommittedTensorsFromAReserveIsTheProofItsRandomnessGivesWithoutOne() {
        QuantGraph g = ZkCommittedIoTest.producer(21);
        ProvingKey pk = ZkMatMulProofTest.zkKey(g, PcsSecurity.CONJECTURED, 64);
        byte[] reserved = withReserve(pk, ZkMatMulProofTest.run(g, 3), Visibility.COMMITTED, Visibility.COMMITTED);
        assertArrayEquals(without(pk, ZkMatMulProofTest.run(g, 3), Visibility.COMMITTED, Visibility.COMMITTED), reserved);
    }

    @Test
    void aReserveServesOneProof() {
        QuantGraph g = ZkMatMulProofTest.gemm(1);
        ProvingKey pk = ZkMatMulProofTest.zkKey(g, PcsSecurity.PROVEN);
        ProofMaskReserve reserve = ProofMaskReserve.prepare(pk, Visibility.PUBLIC, Visibility.PUBLIC);
        Execution run = ZkMatMulProofTest.run(g, 3);
        assertTrue(Verifier.verify(pk.verifyingKey(), Prover.prove(pk, run, Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], reserve).bytes()).valid());
        assertTrue(reserve.spent());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Prover.prove(pk, run, Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], reserve));
        assertTrue(e.getMessage().contains("spent by a proof already"), e.getMessage());
    }

    @Test
    void aReserveForAnotherKeyBatchOrVisibilityIsRefused() {
        QuantGraph g = ZkMatMulProofTest.gemm(1);
        ProvingKey pk = ZkMatMulProofTest.zkKey(g, PcsSecurity.PROVEN);
        Execution run = ZkMatMulProofTest.run(g, 3);
        ProofMaskReserve reserve = ProofMaskReserve.prepare(pk, Visibility.PUBLIC, Visibility.PUBLIC);
        QuantGraph other = ZkMatMulProofTest.gemm(2);
        ProvingKey otherKey = ZkMatMulProofTest.zkKey(other, PcsSecurity.PROVEN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Prover.prove(otherKey, ZkMatMulProofTest.run(other, 3), Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], reserve));
        assertTrue(e.getMessage().contains("prepared for model " + pk.verifyingKey().modelIdHex()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Prover.prove(ZkMatMulProofTest.zkKey(g, PcsSecurity.PROVEN), run, Visibility.PUBLIC,
                Visibility.PUBLIC, new byte[0], reserve));
        assertTrue(e.getMessage().contains("another key of model " + pk.verifyingKey().modelIdHex()), e.getMessage());
        QuantGraph mlp = TestGraphs.mlp(1);
        ProvingKey one = ZkMatMulProofTest.zkKey(mlp, PcsSecurity.PROVEN);
        ProofMaskReserve single = ProofMaskReserve.prepare(one, Visibility.PUBLIC, Visibility.PUBLIC);
        e = assertThrows(IllegalArgumentException.class,
                () -> Prover.prove(one.batched(2), ZkMatMulProofTest.run(mlp, 3), Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], single));
        assertTrue(e.getMessage().contains("(batch 1)") && e.getMessage().contains("batch 2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Prover.prove(pk, run, Visibility.COMMITTED, Visibility.PUBLIC, new byte[0], reserve));
        assertTrue(e.getMessage().contains("PUBLIC inputs and PUBLIC outputs, not for COMMITTED inputs"), e.getMessage());
        assertFalse(reserve.spent(), "a refused reserve is not spent");
        assertTrue(Verifier.verify(pk.verifyingKey(), Prover.prove(pk, run, Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], reserve).bytes()).valid());
        ProvingKey plain = Setup.setup(g, PcsSecurity.PROVEN);
        assertThrows(IllegalArgumentException.class, () -> ProofMaskReserve.prepare(plain, Visibility.PUBLIC, Visibility.PUBLIC));
    }

    @Test
    void twoReservesDrawDifferentMasks() {
        QuantGraph g = ZkMatMulProofTest.gemm(1);
        ProvingKey pk = ZkMatMulProofTest.zkKey(g, PcsSecurity.PROVEN);
        ProofMaskReserve.Masks a = ProofMaskReserve.prepare(pk, Visibility.PUBLIC, Visibility.PUBLIC).take(pk, Visibility.PUBLIC, Visibility.PUBLIC);
        ProofMaskReserve.Masks b = ProofMaskReserve.prepare(pk, Visibility.PUBLIC, Visibility.PUBLIC).take(pk, Visibility.PUBLIC, Visibility.PUBLIC);
        assertFalse(java.util.Arrays.equals(a.prover().masks().committedTable(), b.prover().masks().committedTable()), "M's tables");
        assertNotEquals(a.prover().weights(), b.prover().weights(), "the weights' per-proof views");
        Execution run = ZkMatMulProofTest.run(g, 3);
        byte[] p = Prover.prove(pk, run, Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], ProofMaskReserve.prepare(pk, Visibility.PUBLIC, Visibility.PUBLIC)).bytes();
        byte[] q = Prover.prove(pk, run, Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], ProofMaskReserve.prepare(pk, Visibility.PUBLIC, Visibility.PUBLIC)).bytes();
        assertFalse(java.util.Arrays.equals(p, q), "two proofs of one input from two reserves differ (fresh masks)");
        assertTrue(Verifier.verify(pk.verifyingKey(), p).valid());
        assertTrue(Verifier.verify(pk.verifyingKey(), q).valid());
    }

    /** x[1,256] → MatMul(256→512) → rescale → ReLU: weights of 2^17 entries, at least the witness's arity (they top its run). */
    static QuantGraph wideLayer() {
        TestGraphs b = new TestGraphs(3);
        int x = b.input("x", 8, 12, 1, 256);
        int w = b.weight("w", 8, 200, 256, 512);
        int z = b.node("gemm", new QOp.MatMul(x, w, -1), 16, 30, 1, 512);
        int q = b.node("rescale", new QOp.Rescale(z, 8), 8, 15, 1, 512);
        b.output(b.node("relu", new QOp.Lookup(q, TestGraphs.table("relu", 8, 8)), 8, 16, 1, 512));
        return b.build();
    }

    private static boolean carries(ProvingKey pk) {
        ProofPlan plan = pk.plan().withExternal(java.util.Set.of());
        dev.verinfer.pcs.MultilinearPcs pcs = pk.verifyingKey().pcs();
        int budget = pk.verifyingKey().weightOpeningBudget();
        int tail = ZkWitnessBatching.tail(pcs, plan, budget);
        return tail >= 0 && pcs.carriesLeaves()
                && Prover.carriedRun(pcs, plan, tail, budget, Prover.zkProver(pk, plan, tail, new SplittableRandom(0), ProverChannel.Tamper.NONE)).contains(0);
    }

    /** The key with its weights' openings drawn from their own seeded stream (as {@link ZkProofBytesPinTest}): a fresh view each call. */
    private static ProvingKey seededView(ProvingKey pk) {
        HidingCommitment weights = ((HidingCommitment) pk.weightCommitment()).withOpeningRandomness(new SplittableRandom(7));
        return new ProvingKey(pk.graph(), pk.plan(), pk.packedWeights(), weights, pk.verifyingKey());
    }

    private static byte[] without(ProvingKey pk, Execution run, Visibility inputs, Visibility outputs) {
        return Prover.prove(seededView(pk), run, inputs, outputs, new byte[0], new SplittableRandom(4)).bytes();
    }

    private static byte[] withReserve(ProvingKey pk, Execution run, Visibility inputs, Visibility outputs) {
        ProvingKey view = seededView(pk);
        ProofMaskReserve reserve = ProofMaskReserve.prepare(view, inputs, outputs, new SplittableRandom(4));
        return Prover.prove(view, run, inputs, outputs, new byte[0], reserve).bytes();
    }
}
