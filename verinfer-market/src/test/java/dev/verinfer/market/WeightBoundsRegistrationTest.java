package dev.verinfer.market;

import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.Setup;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model owner is not trusted by the market's clients: registration checks the verifying key's weight
 * bounds proof, so a key whose committed weights exceed their declared bound is refused with the reason
 * and an honest one is registered.
 */
class WeightBoundsRegistrationTest {
    private final Signer op = MarketDriver.operator();
    private final MarketDriver m = MarketDriver.inMemory(new Market(MarketDriver.params(op), new ZkmlProofVerifier()), op);
    private final Signer owner = m.account(1_000);

    /** x [1,4] → x·w, w [4,3] declared |w| < 2^6, with w[5] = {@code w5}. */
    private static byte[] key(long w5) {
        long[] w = {3, -7, 12, 0, 31, w5, -63, 63, 1, 2, -2, 9};
        List<QTensor> tensors = List.of(new QTensor(0, "x", new int[] {1, 4}, 8, 12, QTensor.Kind.INPUT, null),
                new QTensor(1, "w", new int[] {4, 3}, 6, 6, QTensor.Kind.WEIGHT, w),
                new QTensor(2, "y", new int[] {1, 3}, 14, 20, QTensor.Kind.ACTIVATION, null));
        QuantGraph g = new QuantGraph(tensors, List.of(new QNode("matmul", new QOp.MatMul(0, 1, -1), 2)), List.of(0), List.of(2));
        return Setup.setup(g).verifyingKey().toBytes();
    }

    @Test
    void aKeyWithOutOfBoundWeightsIsRefused() {
        String refused = m.refused(owner, new Tx.RegisterModel(key(64), 10));
        assertTrue(refused.contains("weight bounds"), refused);
        assertTrue(m.state().models().isEmpty(), "nothing was registered");
        m.ok(owner, new Tx.RegisterModel(key(-5), 10));
        assertEquals(1, m.state().models().size());
    }
}
