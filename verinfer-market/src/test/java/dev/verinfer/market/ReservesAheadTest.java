package dev.verinfer.market;

import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.ProofMaskReserve;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Setup;
import dev.verinfer.zkml.Verifier;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A prover's next zero-knowledge reserve prepared in the background ({@link ReservesAhead}): handed out once per proof, none for a
 * plain key, and {@link ZkmlInference#prove} serves requests from them — every proof verifies, and no two share masks.
 */
class ReservesAheadTest {
    /** x [1,4] → x·w with w [4,3] ({@link PrivateModelTest}'s model). */
    private static QuantGraph graph() {
        long[] w = {3, -7, 12, 0, 31, -5, -63, 63, 1, 2, -2, 9};
        List<QTensor> tensors = List.of(new QTensor(0, "x", new int[] {1, 4}, 8, 12, QTensor.Kind.INPUT, null),
                new QTensor(1, "w", new int[] {4, 3}, 6, 6, QTensor.Kind.WEIGHT, w),
                new QTensor(2, "y", new int[] {1, 3}, 14, 20, QTensor.Kind.ACTIVATION, null));
        return new QuantGraph(tensors, List.of(new QNode("matmul", new QOp.MatMul(0, 1, -1), 2)), List.of(0), List.of(2));
    }

    @Test
    void aReservePreparedAheadIsHandedOutOnceAndNoneForAPlainKey() {
        QuantGraph g = graph();
        ProvingKey zk = Setup.setup(g, PcsSecurity.PROVEN, true, 8);
        ReservesAhead reserves = new ReservesAhead();
        assertNull(reserves.take(zk), "none before the first proof");
        reserves.prepareNext(zk);
        ProofMaskReserve r = reserves.take(zk);
        assertNotNull(r);
        assertSame(zk, r.key());
        assertFalse(r.spent());
        assertNull(reserves.take(zk), "handed out once");
        ProvingKey plain = Setup.setup(g);
        reserves.prepareNext(plain);
        assertNull(reserves.take(plain), "a plain proof draws no masks");
    }

    @Test
    void servedZeroKnowledgeProofsTakeTheReservePreparedAfterThePreviousOne() {
        QuantGraph g = graph();
        ProvingKey zk = Setup.setup(g, PcsSecurity.PROVEN, true, 8);
        ZkmlInference inference = new ZkmlInference(List.of(zk));
        String model = zk.verifyingKey().modelIdHex();
        Execution run = IntegerExecutor.execute(g, Map.of("x", new float[] {0.5f, -0.25f, 1f, 0.125f}));
        byte[] input = StatementCodec.encode(List.of(run.values()[0]));
        byte[] first = inference.prove(model, input, new byte[0]); // fresh masks; the next reserve prepared after it
        byte[] second = inference.prove(model, input, new byte[0]); // from that reserve
        byte[] third = inference.prove(model, input, new byte[0]);
        for (byte[] p : List.of(first, second, third)) {
            assertTrue(Verifier.verify(zk.verifyingKey(), p).valid());
        }
        assertFalse(Arrays.equals(first, second) || Arrays.equals(second, third), "each proof's masks are its own");
    }
}
