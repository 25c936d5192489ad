package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.layout.PaddedShape;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The weight bounds proof in the verifying key: honest keys load; a cheating owner's keys do not. */
class WeightBoundsTest {
    /**
     * The adversarial prover on the zero-knowledge bounds proof: each field element it sends (M's arity, the
     * mask pieces, W′(ρ) and every bit block's e_j) altered in turn, the rest re-derived from the altered
     * transcript, is rejected.
     */
    @Test
    void everyAlteredValueOfTheZeroKnowledgeBoundsProofIsRejected() throws Exception {
        QuantGraph g = ZkMatMulProofTest.matmul(5);
        dev.verinfer.pcs.MultilinearPcs pcs = PcsSecurity.CONJECTURED.pcs();
        ProofPlan plan = new ProofPlan(g);
        long[] packed = packedWeights(g, plan);
        // A fresh commitment per proof (same masks, same root): the face of 32 weights covers only 16 off-face claims.
        java.util.function.Supplier<dev.verinfer.pcs.PcsCommitment> weights = () -> pcs.commitHiding(packed, 2, new SplittableRandom(99));
        byte[] root = weights.get().root();
        List<String> labels = new ArrayList<>();
        byte[] honest = ZkWeightBounds.prove(plan, digest(g), packed, weights.get(), PcsSecurity.CONJECTURED, pcs,
                new SplittableRandom(5), (seq, label, v) -> {
                    labels.add(label);
                    return v;
                });
        WeightBounds.verify(plan, digest(g), root, plan.weightPacking.numVars(), pcs, honest, true);
        assertTrue(labels.contains("mask-vars") && labels.contains("mask-pieces") && labels.contains("bounds-evals"), labels.toString());
        for (int target = 0; target < labels.size(); target++) {
            int at = target;
            byte[] bad = ZkWeightBounds.prove(plan, digest(g), packed, weights.get(), PcsSecurity.CONJECTURED, pcs,
                    new SplittableRandom(5), (seq, label, v) -> seq == at ? v.add(dev.verinfer.field.Ext2.ONE) : v);
            assertThrows(ProofRejectedException.class, () -> WeightBounds.verify(plan, digest(g), root, plan.weightPacking.numVars(), pcs, bad, true),
                    "altered value " + at + " (" + labels.get(at) + ") accepted");
        }
    }

    /**
     * The zero-knowledge bounds proof cut into regions ({@link BoundsRegions}: here as finely as the tiny MLP allows,
     * its bias wider than its weights, empty regions in the packing's gaps): complete; a weight at its bound in a
     * narrow region, a non-zero slot of an empty region (the owner rewrote the packed polynomial, the rest derived
     * honestly), and the first and last altered value of each kind the prover sends are rejected.
     */
    @Test
    void aBoundsProofCutIntoRegionsCompletesAndRejectsForgedWeightsAndAlteredValues() throws Exception {
        QuantGraph mlp = TestGraphs.mlp(9);
        List<QTensor> tensors = new ArrayList<>(mlp.tensors());
        QTensor b1 = mlp.tensor(mlp.id("b1"));
        tensors.set(b1.id(), new QTensor(b1.id(), b1.name(), b1.shape(), b1.scale(), b1.bits() + 12, b1.kind(), b1.data())); // a wide bias: 2^7 bit blocks
        QuantGraph g = new QuantGraph(tensors, mlp.nodes(), mlp.inputs(), mlp.outputs());
        ProofPlan plan = new ProofPlan(g, true);
        List<BoundsRegions.Region> regions = BoundsRegions.of(plan, 256, 16);
        assertEquals(List.of(new BoundsRegions.Region(0, plan.weightPacking.numVars(), regions.stream().mapToInt(BoundsRegions.Region::bits).max().orElseThrow())), BoundsRegions.of(plan),
                "a small model is one region");
        assertTrue(regions.stream().anyMatch(BoundsRegions.Region::empty) && regions.stream().filter(r -> !r.empty()).map(BoundsRegions.Region::bits).distinct().count() > 1,
                regions.toString());
        dev.verinfer.pcs.MultilinearPcs pcs = PcsSecurity.CONJECTURED.pcs();
        long[] packed = packedWeights(g, plan);
        ZkWeightBounds.verify(plan, regions, digest(g), commitHiding(pcs, packed).root(), plan.weightPacking.numVars(), pcs,
                cutProof(plan, regions, g, pcs, packed, ProverChannel.Tamper.NONE));

        BoundsRegions.Region narrow = regions.stream().filter(r -> !r.empty()).min(java.util.Comparator.comparingInt(BoundsRegions.Region::bits)).orElseThrow();
        BoundsRegions.Region empty = regions.stream().filter(BoundsRegions.Region::empty).findFirst().orElseThrow();
        long bound = 1L << (narrow.bits() - 1);
        for (long[] forged : List.of(with(packed, narrow.offset(), Goldilocks.fromSigned(bound)), with(packed, narrow.offset(), Goldilocks.fromSigned(-bound)),
                with(packed, empty.offset(), 1))) {
            byte[] proof = cutProof(plan, regions, g, pcs, forged, ProverChannel.Tamper.NONE);
            assertThrows(ProofRejectedException.class, () -> ZkWeightBounds.verify(plan, regions, digest(g), commitHiding(pcs, forged).root(),
                    plan.weightPacking.numVars(), pcs, proof));
        }

        List<String> labels = new ArrayList<>();
        cutProof(plan, regions, g, pcs, packed, (seq, label, v) -> {
            labels.add(label);
            return v;
        });
        byte[] root = commitHiding(pcs, packed).root();
        // The first and last value of each kind (the first region's and the last's; every value: the test above, one region).
        java.util.Set<Integer> targets = new java.util.TreeSet<>();
        for (String label : new java.util.HashSet<>(labels)) {
            targets.add(labels.indexOf(label));
            targets.add(labels.lastIndexOf(label));
        }
        for (int at : targets) {
            byte[] bad = cutProof(plan, regions, g, pcs, packed, (seq, label, v) -> seq == at ? v.add(dev.verinfer.field.Ext2.ONE) : v);
            assertThrows(ProofRejectedException.class, () -> ZkWeightBounds.verify(plan, regions, digest(g), root, plan.weightPacking.numVars(), pcs, bad),
                    "altered value " + at + " (" + labels.get(at) + ") accepted");
        }
    }

    private static byte[] cutProof(ProofPlan plan, List<BoundsRegions.Region> regions, QuantGraph g, dev.verinfer.pcs.MultilinearPcs pcs, long[] packed,
                                   ProverChannel.Tamper tamper) {
        return ZkWeightBounds.prove(plan, regions, digest(g), packed, commitHiding(pcs, packed), PcsSecurity.CONJECTURED, pcs, new SplittableRandom(5), tamper);
    }

    private static VerifyingKey reload(ProvingKey pk) throws MalformedProofException {
        return VerifyingKey.fromBytes(pk.verifyingKey().toBytes());
    }

    @Test
    void honestKeysCarryAVerifyingBoundsProof() throws Exception {
        for (QuantGraph g : List.of(TestGraphs.mlp(1), TestGraphs.arithmetic(1), TestGraphs.conv2d(1), TestGraphs.conv1d(1), TestGraphs.pooling(1), TestGraphs.wideMaxima(1))) {
            ProvingKey pk = Setup.setup(g);
            VerifyingKey vk = reload(pk);
            assertArrayEquals(pk.verifyingKey().modelId(), vk.modelId());
            assertArrayEquals(pk.verifyingKey().toBytes(), vk.toBytes());
        }
    }

    /** A weight at its declared bound (|w| = 2^bits), in the middle of the graph's weights. */
    @Test
    void outOfRangeWeightIsRejectedAtLoad() {
        QuantGraph g = TestGraphs.mlp(2);
        int w = g.id("w1");
        for (long bad : new long[] {1L << g.tensor(w).bits(), -(1L << g.tensor(w).bits()), 1L << 39}) {
            List<QTensor> tensors = new ArrayList<>(g.tensors());
            QTensor t = g.tensor(w);
            long[] data = t.data().clone();
            data[3] = bad;
            tensors.set(w, new QTensor(t.id(), t.name(), t.shape(), t.scale(), t.bits(), t.kind(), data));
            ProvingKey pk = Setup.setup(new QuantGraph(tensors, g.nodes(), g.inputs(), g.outputs()));
            MalformedProofException e = assertThrows(MalformedProofException.class, () -> reload(pk), "weight " + bad);
            assertTrue(e.getMessage().contains("weight bounds"), e.getMessage());
        }
    }

    /** The owner edits the packed polynomial: a non-integer real weight, or a nonzero padding slot or packing gap. */
    @Test
    void nonIntegerWeightsAndNonzeroPaddingAreRejectedAtLoad() {
        QuantGraph g = TestGraphs.mlp(3); // w1 [8,5] pads to [8,8]: padding inside the tensor
        ProofPlan plan = new ProofPlan(g);
        int[] pieces = plan.weightLayout.piecesOf(plan.weightTensors.indexOf(g.id("w1")));
        assertEquals(1, pieces.length, "w1's 8 rows are one piece");
        int offset = (int) plan.weightPacking.offset(pieces[0]);
        PaddedShape shape = plan.shapes[g.id("w1")];
        int pad = firstPadding(shape);
        // w2 [5,3] is cut into pieces of 4 and 1 rows (WeightLayout): the padding column of its last row, in the second piece.
        int[] w2 = plan.weightLayout.piecesOf(plan.weightTensors.indexOf(g.id("w2")));
        assertEquals(2, w2.length, "w2's 5 rows are pieces of 4 and 1");
        PaddedShape lastRow = plan.weightLayout.piece(w2[1]).shape();
        int w2Pad = (int) plan.weightPacking.offset(w2[1]) + firstPadding(lastRow);
        int w2Real = (int) plan.weightPacking.offset(w2[1]) + lastRow.paddedIndex(2);
        long half = Goldilocks.inverse(2);
        List<UnaryOperator<long[]>> owners = List.of(
                p -> with(p, offset + shape.paddedIndex(4), Goldilocks.add(p[offset + shape.paddedIndex(4)], half)),
                p -> with(p, offset + shape.paddedIndex(0), AdversarialProver.nonIntegerQuotient(Goldilocks.fromSigned(100), 4, 3)),
                p -> with(p, offset + pad, 1),
                p -> with(p, offset + pad, Goldilocks.fromSigned(-7)),
                p -> with(p, w2Pad, 3),
                p -> with(p, w2Real, Goldilocks.add(p[w2Real], half)),
                p -> with(p, p.length - 1, 5)); // the last slot of the packed polynomial: a gap or padding
        for (int i = 0; i < owners.size(); i++) {
            ProvingKey pk = Setup.setup(g, PcsSecurity.PROVEN, owners.get(i));
            assertThrows(MalformedProofException.class, () -> reload(pk), "cheating owner " + i);
        }
    }

    @Test
    void byteFlipsInTheBoundsProofAreRejected() throws Exception {
        ProvingKey pk = Setup.setup(TestGraphs.conv2d(4));
        byte[] key = pk.verifyingKey().toBytes();
        int proofLength = pk.verifyingKey().boundsProof().length;
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < 200; i++) {
            byte[] bad = key.clone();
            int at = key.length - proofLength + r.nextInt(proofLength);
            bad[at] ^= (byte) (1 << r.nextInt(8));
            assertThrows(MalformedProofException.class, () -> VerifyingKey.fromBytes(bad), "flip at " + at);
        }
        assertThrows(MalformedProofException.class, () -> VerifyingKey.fromBytes(java.util.Arrays.copyOf(key, key.length - 7)));
    }

    @Test
    void keysWithoutABoundsProofAreRefusedWithAClearError() {
        byte[] key = Setup.setup(TestGraphs.mlp(5)).verifyingKey().toBytes();
        key[4] = 2;
        MalformedProofException e = assertThrows(MalformedProofException.class, () -> VerifyingKey.fromBytes(key));
        assertTrue(e.getMessage().contains("re-create it"), e.getMessage());
    }

    private static int firstPadding(PaddedShape shape) {
        for (int i = 0; i < shape.paddedSize(); i++) {
            if (AdversarialProver.isPadding(shape, i)) {
                return i;
            }
        }
        throw new IllegalStateException(shape + " has no padding");
    }

    private static long[] with(long[] p, int at, long value) {
        long[] c = p.clone();
        c[at] = value;
        return c;
    }

    /** The packed weights of {@code g}, committed, and a zero-knowledge bounds proof of them from {@code seed}'s masks. */
    private static byte[] zkBounds(QuantGraph g, dev.verinfer.pcs.MultilinearPcs pcs, long seed) {
        ProofPlan plan = new ProofPlan(g);
        long[] packed = packedWeights(g, plan);
        return WeightBounds.prove(plan, digest(g), packed, hidingWeights(pcs, packed), PcsSecurity.PROVEN, pcs, new java.util.SplittableRandom(seed));
    }

    /** As above against a freshly made commitment (what a reloaded proving key has). */
    private static byte[] zkBoundsOfAFreshCommitment(QuantGraph g, dev.verinfer.pcs.MultilinearPcs pcs, long seed) {
        ProofPlan plan = new ProofPlan(g);
        long[] packed = packedWeights(g, plan);
        return WeightBounds.prove(plan, digest(g), packed, commitHiding(pcs, packed), PcsSecurity.PROVEN, pcs, new java.util.SplittableRandom(seed));
    }

    /** Hiding weight commitments already made (a hiding commitment is the slow part of these tests). */
    private static final java.util.Map<List<Object>, dev.verinfer.pcs.PcsCommitment> HIDING = new java.util.concurrent.ConcurrentHashMap<>();

    /** The weights committed hiding, from fixed masks (the same root every time), made once per scheme and table. */
    private static dev.verinfer.pcs.PcsCommitment hidingWeights(dev.verinfer.pcs.MultilinearPcs pcs, long[] packed) {
        return HIDING.computeIfAbsent(List.of(System.identityHashCode(pcs), java.util.Arrays.hashCode(packed), packed.length),
                k -> commitHiding(pcs, packed));
    }

    private static dev.verinfer.pcs.PcsCommitment commitHiding(dev.verinfer.pcs.MultilinearPcs pcs, long[] packed) {
        return pcs.commitHiding(packed, ZkMatMulProofTest.SMALL_BUDGET, new java.util.SplittableRandom(99));
    }

    private static long[] packedWeights(QuantGraph g, ProofPlan plan) {
        long[][] weights = new long[plan.weightTensors.size()][];
        for (int i = 0; i < weights.length; i++) {
            int t = plan.weightTensors.get(i);
            weights[i] = ProverTensors.toField(plan.shapes[t].pad(g.tensor(t).data()));
        }
        return plan.weightLayout.pack(weights);
    }

    private static byte[] digest(QuantGraph g) {
        return Digests.sha256("verinfer-architecture-v1", GraphCodec.encode(g, false));
    }

    private static void verifyZk(QuantGraph g, dev.verinfer.pcs.MultilinearPcs pcs, byte[] proof, boolean zeroKnowledge) throws Exception {
        ProofPlan plan = new ProofPlan(g);
        long[] packed = packedWeights(g, plan);
        byte[] root = zeroKnowledge ? hidingWeights(pcs, packed).root() : pcs.commit(packed).root();
        WeightBounds.verify(plan, digest(g), root, plan.weightPacking.numVars(), pcs, proof, zeroKnowledge);
    }

    /**
     * The bounds proof of a zero-knowledge model ({@link ZkWeightBounds}: bits, a zero-knowledge zero-check,
     * off-face claims on the hiding weight and bit commitments): complete, fresh masks change it, it is not a
     * plain proof, and a weight at its bound is rejected exactly as without zero knowledge.
     */
    @Test
    void zeroKnowledgeBoundsProofsCompleteAndRejectOutOfRangeWeights() throws Exception {
        dev.verinfer.pcs.MultilinearPcs pcs = PcsSecurity.PROVEN.pcs();
        for (QuantGraph g : List.of(TestGraphs.mlp(6), TestGraphs.conv2d(6))) {
            byte[] a = zkBounds(g, pcs, 1);
            verifyZk(g, pcs, a, true);
            assertFalse(java.util.Arrays.equals(a, zkBounds(g, pcs, 2)), "fresh masks, another proof");
            assertArrayEquals(zkBoundsOfAFreshCommitment(g, pcs, 1), zkBoundsOfAFreshCommitment(g, pcs, 1),
                    "the masks are the only randomness (a reloaded key reproduces its proof)");
            assertThrows(Exception.class, () -> verifyZk(g, pcs, a, false), "a zero-knowledge proof is not a plain one");
            ProofPlan plan = new ProofPlan(g);
            byte[] plain = WeightBounds.prove(plan, digest(g), packedWeights(g, plan), pcs.commit(packedWeights(g, plan)), pcs);
            assertThrows(Exception.class, () -> verifyZk(g, pcs, plain, true), "a plain proof is not a zero-knowledge one");
        }
        QuantGraph g = TestGraphs.mlp(7);
        int w = g.id("w1");
        for (long bad : new long[] {1L << g.tensor(w).bits(), -(1L << g.tensor(w).bits())}) {
            List<QTensor> tensors = new ArrayList<>(g.tensors());
            QTensor t = g.tensor(w);
            long[] data = t.data().clone();
            data[3] = bad;
            tensors.set(w, new QTensor(t.id(), t.name(), t.shape(), t.scale(), t.bits(), t.kind(), data));
            QuantGraph forged = new QuantGraph(tensors, g.nodes(), g.inputs(), g.outputs());
            byte[] proof = zkBounds(forged, pcs, 3);
            ProofRejectedException e = assertThrows(ProofRejectedException.class, () -> verifyZk(forged, pcs, proof, true), "weight " + bad);
            assertTrue(e.getMessage().contains("weight bounds"), e.getMessage());
        }
        // Flipped bytes, masks and blinding included, are rejected.
        byte[] proof = zkBounds(TestGraphs.mlp(8), pcs, 4);
        int stride = Math.max(1, proof.length / 150);
        for (int at = 9; at < proof.length; at += stride) {
            byte[] bad = proof.clone();
            bad[at] ^= 4;
            assertThrows(Exception.class, () -> verifyZk(TestGraphs.mlp(8), pcs, bad, true), "flip at " + at);
        }
    }
}
