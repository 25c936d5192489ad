package dev.verinfer.market;

import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.BatchForgery;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Setup;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17's market attack, with real proofs: a registered model computes x + ReduceSum(x, axis 1,
 * keepdims 0) (the pattern of x − ReduceMean(x)); a victim posts a ZK request on [1..8]; the attacker,
 * client and prover at once, posts [1000, 1000, 1000, 1000, 0, 0, 0, 0], locks both and settles them
 * with one batch proof made by the honest prover on the mis-stacked graph, whose victim output is
 * [7, 10, 13, 16, 1005, 1006, 1007, 1008] (true: [7, 10, 13, 16, 11, 14, 17, 20]). The market must
 * slash it and leave the victim's request open, and an honest batch must settle it with the true output.
 */
class BatchForgeryScenarioTest {
    private static final float[] VICTIM = {1, 2, 3, 4, 5, 6, 7, 8};
    private static final float[] ATTACKER = {1000, 1000, 1000, 1000, 0, 0, 0, 0};
    private static final long[] VICTIM_TRUE = {7, 10, 13, 16, 11, 14, 17, 20};

    private final QuantGraph graph = BatchForgery.broadcastOfReduction();
    private final ProvingKey key = Setup.setup(graph);
    private final Signer op = MarketDriver.operator();
    private final MarketDriver m = MarketDriver.inMemory(new Market(MarketDriver.params(op), new ZkmlProofVerifier()), op);
    private final Signer owner = m.account(1_000);
    private final Signer victim = m.account(10_000);
    private final Signer attacker = m.account(20_000);
    private final Signer honest = m.account(10_000);
    private final String model;

    BatchForgeryScenarioTest() {
        byte[] vk = key.verifyingKey().toBytes();
        m.ok(owner, new Tx.RegisterModel(vk, 10));
        model = new ZkmlProofVerifier().modelId(vk);
        m.ok(attacker, new Tx.RegisterProver(5_000));
        m.ok(honest, new Tx.RegisterProver(5_000));
    }

    private static byte[] encoded(float[] values) {
        return StatementCodec.encode(List.of(toLongs(values)));
    }

    private static long[] toLongs(float[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) values[i];
        }
        return out;
    }

    private long post(Signer client, float[] input) {
        long id = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitRequest(model, encoded(input), 2_000, m.now() + 600_000, new Mode.Zk()));
        return id;
    }

    private Request req(long id) {
        return m.state().request(id).orElseThrow();
    }

    /** Inference {@code k}'s part of the output, encoded as a result. */
    private byte[] output(Execution run, int k) {
        long[] all = run.value(graph.outputs().getFirst());
        int n = all.length / 2;
        return StatementCodec.encode(List.of(Arrays.copyOfRange(all, k * n, (k + 1) * n)));
    }

    @Test
    void theMisStackedBatchIsSlashedAndTheVictimServedCorrectly() {
        long v = post(victim, VICTIM);
        long a = post(attacker, ATTACKER);
        m.ok(attacker, new Tx.LockRequest(v));
        m.ok(attacker, new Tx.LockRequest(a));
        List<Long> ids = List.of(v, a);
        List<float[]> inputs = List.of(VICTIM, ATTACKER);
        Execution forged = BatchForgery.misStackedRun(key, inputs);
        byte[] forgedVictimOutput = output(forged, 0);
        assertArrayEquals(new long[] {7, 10, 13, 16, 1005, 1006, 1007, 1008}, StatementCodec.decode(forgedVictimOutput).getFirst());
        Proof proof = BatchForgery.misStackedProof(key, inputs, ProofContext.batch(MarketDriver.CHAIN, ids, attacker.accountId()));
        m.slashed(attacker, new Tx.SubmitBatchResult(ids, List.of(forgedVictimOutput, output(forged, 1)), proof.bytes()));

        assertEquals(Request.Status.OPEN, req(v).status(), "the victim's request is not settled with the forged output");
        assertEquals(List.of(v, a), m.state().slashes().stream().map(Slash::requestId).toList());
        assertTrue(m.state().slashes().stream().allMatch(s -> s.prover().equals(attacker.accountId())
                && s.cause().startsWith("invalid batch proof with the results: proof rejected")), m.state().slashes().toString());
        assertEquals(List.of(), m.state().payments());

        // An honest prover batches the same two requests (correctly stacked): the victim gets its true output.
        m.ok(honest, new Tx.LockRequest(v));
        m.ok(honest, new Tx.LockRequest(a));
        ProvingKey batched = key.batched(2);
        float[] both = new float[16];
        System.arraycopy(VICTIM, 0, both, 0, 8);
        System.arraycopy(ATTACKER, 0, both, 8, 8);
        Execution run = IntegerExecutor.execute(batched.graph(), Map.of("x", both));
        assertArrayEquals(VICTIM_TRUE, StatementCodec.decode(output(run, 0)).getFirst());
        byte[] honestProof = Prover.prove(batched, run, ProofContext.batch(MarketDriver.CHAIN, ids, honest.accountId())).bytes();
        // The attacker cannot take the honest batch proof as its own either (it is bound to the honest prover).
        m.ok(honest, new Tx.SubmitBatchResult(ids, List.of(output(run, 0), output(run, 1)), honestProof));
        assertEquals(Request.Status.SETTLED, req(v).status());
        assertArrayEquals(VICTIM_TRUE, StatementCodec.decode(req(v).result().output()).getFirst());
        assertEquals(List.of(v, a), m.state().payments().stream().map(Payment::requestId).toList());
        assertTrue(m.state().payments().stream().allMatch(p -> p.prover().equals(honest.accountId())));
    }
}
