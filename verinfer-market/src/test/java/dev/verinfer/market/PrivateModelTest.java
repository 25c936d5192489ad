package dev.verinfer.market;

import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Setup;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A private model (weights hidden: a zero-knowledge key) is only ever served against a zero-knowledge proof. The
 * deviation it closes: a prover who locks an OPTIMISTIC or SAMPLED request of a private model and posts any output
 * unproven is paid unless challenged or drawn, and no watcher can re-run a model whose weights only its owner holds —
 * so such requests are refused where they enter, naming the reason, and ZK requests settle with a real
 * zero-knowledge proof.
 */
class PrivateModelTest {
    private static final byte[] PUBLIC_KEY = "model-public".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PRIVATE_KEY = {FakeVerifier.PRIVATE, 'z', 'k'};
    private static final byte[] INPUT = {1, 2, 3};
    private static final List<Mode> UNPROVEN = List.of(new Mode.Optimistic(60_000), new Mode.Sampled(5_000, 60_000));

    @Test
    void aPrivateModelTakesZkRequestsOnlyAndAPublicOneEveryMode() {
        Signer op = MarketDriver.operator();
        MarketDriver m = MarketDriver.inMemory(new Market(MarketDriver.params(op), new FakeVerifier()), op);
        Signer owner = m.account(1_000);
        Signer client = m.account(100_000);
        m.ok(owner, new Tx.RegisterModel(PRIVATE_KEY, 10));
        m.ok(owner, new Tx.RegisterModel(PUBLIC_KEY, 10));
        String hidden = new FakeVerifier().modelId(PRIVATE_KEY);
        String open = new FakeVerifier().modelId(PUBLIC_KEY);
        long deadline = m.now() + 600_000;
        for (Mode mode : UNPROVEN) {
            String refused = m.refused(client, new Tx.SubmitRequest(hidden, INPUT, 1_000, deadline, mode));
            assertTrue(refused.contains("is private") && refused.contains("ZK requests only") && refused.contains("compiled with 'verinfer compile --no-zk'"), refused);
            refused = m.refused(client, new Tx.SubmitCommittedRequest(hidden, List.of(FakeVerifier.root(INPUT)), 1_000, deadline, mode, Tx.Attestation.NONE));
            assertTrue(refused.contains("ZK requests only"), refused);
            m.ok(client, new Tx.SubmitRequest(open, INPUT, 1_000, deadline, mode));
        }
        assertEquals(UNPROVEN.size(), m.state().requests().size(), "only the public model's unproven requests were opened");
        assertEquals(100_000 - UNPROVEN.size() * 1_000L, m.state().balance(client.accountId()), "nothing escrowed for a refused request");
        m.ok(client, new Tx.SubmitRequest(hidden, INPUT, 1_000, deadline, new Mode.Zk()));
        // A committed input of a private model is a hiding root (TensorCommitments.hiding): served in ZK mode (PrivateCommittedTest).
        m.ok(client, new Tx.SubmitCommittedRequest(hidden, List.of(FakeVerifier.root(INPUT)), 1_000, deadline, new Mode.Zk(), Tx.Attestation.NONE));
        m.ok(client, new Tx.SubmitCommittedRequest(open, List.of(FakeVerifier.root(INPUT)), 1_000, deadline, new Mode.Zk(), Tx.Attestation.NONE));
    }

    /** x [1,4] → x·w with w [4,3], compiled with zero knowledge: the real verifier reads the choice from the key. */
    @Test
    void aZeroKnowledgeKeyIsRequestedInZkModeAndSettlesWithAZeroKnowledgeProof() {
        long[] w = {3, -7, 12, 0, 31, -5, -63, 63, 1, 2, -2, 9};
        List<QTensor> tensors = List.of(new QTensor(0, "x", new int[] {1, 4}, 8, 12, QTensor.Kind.INPUT, null),
                new QTensor(1, "w", new int[] {4, 3}, 6, 6, QTensor.Kind.WEIGHT, w),
                new QTensor(2, "y", new int[] {1, 3}, 14, 20, QTensor.Kind.ACTIVATION, null));
        QuantGraph g = new QuantGraph(tensors, List.of(new QNode("matmul", new QOp.MatMul(0, 1, -1), 2)), List.of(0), List.of(2));
        ProvingKey pk = Setup.setup(g, PcsSecurity.PROVEN, true, 8);
        byte[] vk = pk.verifyingKey().toBytes();
        ZkmlProofVerifier verifier = new ZkmlProofVerifier();
        assertTrue(verifier.zeroKnowledge(vk));
        assertTrue(!verifier.zeroKnowledge(Setup.setup(g).verifyingKey().toBytes()), "the same model compiled without --zk is public");

        Signer op = MarketDriver.operator();
        MarketDriver m = MarketDriver.inMemory(new Market(MarketDriver.params(op), verifier), op);
        Signer owner = m.account(1_000);
        Signer client = m.account(100_000);
        Signer prover = m.account(10_000);
        m.ok(owner, new Tx.RegisterModel(vk, 50));
        m.ok(prover, new Tx.RegisterProver(5_000));
        String model = verifier.modelId(vk);
        Execution run = IntegerExecutor.execute(g, Map.of("x", new float[] {0.5f, -0.25f, 1f, 0.125f}));
        byte[] input = StatementCodec.encode(List.of(run.values()[0]));
        for (Mode mode : UNPROVEN) {
            assertTrue(m.refused(client, new Tx.SubmitRequest(model, input, 2_000, m.now() + 600_000, mode)).contains("ZK requests only"));
        }
        long id = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitRequest(model, input, 2_000, m.now() + 600_000, new Mode.Zk()));
        m.advance(2_000);
        m.ok(prover, new Tx.LockRequest(id));
        Proof proof = Prover.prove(pk, run, ProofContext.request(MarketDriver.CHAIN, id, prover.accountId()));
        m.ok(prover, new Tx.SubmitResult(id, StatementCodec.encode(proof.statement().outputs()), proof.bytes()));
        assertEquals(Request.Status.SETTLED, m.state().request(id).orElseThrow().status());
    }
}
