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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The weight bounds proof in the verifying key: honest keys load; a cheating owner's keys do not. */
class WeightBoundsTest {
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
        int slot = plan.weightTensors.indexOf(g.id("w1"));
        int offset = (int) plan.weightPacking.offset(slot);
        PaddedShape shape = plan.shapes[g.id("w1")];
        int padding = -1;
        for (int i = 0; i < shape.paddedSize() && padding < 0; i++) {
            padding = AdversarialProver.isPadding(shape, i) ? i : -1;
        }
        int pad = padding;
        long half = Goldilocks.inverse(2);
        List<UnaryOperator<long[]>> owners = List.of(
                p -> with(p, offset + shape.paddedIndex(4), Goldilocks.add(p[offset + shape.paddedIndex(4)], half)),
                p -> with(p, offset + shape.paddedIndex(0), AdversarialProver.nonIntegerQuotient(Goldilocks.fromSigned(100), 4, 3)),
                p -> with(p, offset + pad, 1),
                p -> with(p, offset + pad, Goldilocks.fromSigned(-7)),
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

    private static long[] with(long[] p, int at, long value) {
        long[] c = p.clone();
        c[at] = value;
        return c;
    }
}
