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
 * Issue 17: a workflow's links are checked by the chain rules when it is submitted, on the
 * registered verifying keys (no proof involved). A consumer input of another padded layout would
 * read the producer's padding slots as inputs; another scale would reinterpret the values; a
 * looser producer bound would hand the consumer values its proof assumes bounded.
 */
class WorkflowLinkRulesTest {
    private final Signer op = MarketDriver.operator();
    private final MarketDriver m = MarketDriver.inMemory(new Market(MarketDriver.params(op), new ZkmlProofVerifier()), op);
    private final Signer owner = m.account(1_000);
    private final Signer client = m.account(100_000);

    private int models;

    /** x (INPUT) → y = c·x (c = 2, 3, … per model, so each is another model), both of {@code shape}, at scale {@code scale}, |x| < 2^bits. */
    private String model(int scale, int bits, int... shape) {
        long c = 2 + models++;
        List<QTensor> tensors = List.of(new QTensor(0, "x", shape, scale, bits, QTensor.Kind.INPUT, null),
                new QTensor(1, "y", shape, scale, bits + 3, QTensor.Kind.ACTIVATION, null));
        QuantGraph g = new QuantGraph(tensors, List.of(new QNode("double", new QOp.MulConst(0, c, 0), 1)), List.of(0), List.of(1));
        byte[] key = Setup.setup(g).verifyingKey().toBytes();
        m.ok(owner, new Tx.RegisterModel(key, 10));
        return new ZkmlProofVerifier().modelId(key);
    }

    private Tx.SubmitWorkflow chain(String producer, String consumer) {
        return new Tx.SubmitWorkflow(List.of(
                new Tx.Step(producer, 1_000, m.now() + 600_000, new Mode.Zk(), new Tx.StepInput.Public(StatementCodec.encode(List.of(new long[12])))),
                new Tx.Step(consumer, 1_000, m.now() + 600_000, new Mode.Zk(), new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Output(0, 0))))));
    }

    @Test
    void incompatibleLinksAreRefusedWithTheReason() {
        String producer = model(8, 10, 1, 12); // its output y: [1,12], scale 2^8, |y| < 2^13
        String otherLayout = model(8, 14, 1, 2, 6);
        String otherScale = model(10, 14, 1, 12);
        String tighterBound = model(8, 12, 1, 12);
        String fits = model(8, 13, 1, 12);
        long before = m.state().balance(client.accountId());
        assertEquals("step 1: output 0 of step 0 cannot feed input 0: output 'y' has shape [1, 12], input 'x' [1, 2, 6] (another padded layout)",
                m.refused(client, chain(producer, otherLayout)));
        assertEquals("step 1: output 0 of step 0 cannot feed input 0: output 'y' has scale 2^8, input 'x' 2^10", m.refused(client, chain(producer, otherScale)));
        assertEquals("step 1: output 0 of step 0 cannot feed input 0: output 'y' is bounded by 2^13, input 'x' only by 2^12",
                m.refused(client, chain(producer, tighterBound)));
        Tx.SubmitWorkflow noSuchOutput = new Tx.SubmitWorkflow(List.of(chain(producer, fits).steps().getFirst(),
                new Tx.Step(fits, 1_000, m.now() + 600_000, new Mode.Zk(), new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Output(0, 1))))));
        assertEquals("step 1: output 1 of step 0 cannot feed input 0: the producer has 1 outputs, not output 1", m.refused(client, noSuchOutput));
        assertEquals(before, m.state().balance(client.accountId()), "a refusal escrows nothing");
        assertTrue(m.state().workflow(1).isEmpty() && m.state().workflow(0).isEmpty(), "no workflow was created");
        long first = m.state().nextRequestId();
        m.ok(client, chain(producer, fits));
        assertEquals(Request.Status.WAITING, m.state().request(first + 1).orElseThrow().status());
    }
}
