package dev.verinfer.market;

import dev.verinfer.ledger.EmbeddedLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch settlement, committed inputs and workflows on the embedded ledger with real alexa_v0.1
 * proofs ({@link AlexaFlows}): one proof settles three requests, and cheating batches are slashed
 * whole; a committed input is proven on the client's own root; a three-step workflow chains two
 * clips' committed scores into a head step, slashes a head proof on a forged score, and a
 * step that misses its deadline is slashed and the rest refunded. Invariants are checked after
 * every block; after each test the ledger is reopened and must rebuild the same state.
 */
class RealFlowScenarioTest {
    private static AlexaFlows f;

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong();
    private final Signer op = MarketDriver.operator();
    private EmbeddedLedger<Market> ledger;
    private ZkmlLedger store;
    private MarketDriver m;
    private Signer client;
    private Signer p1;
    private Signer p2;
    private String alexa;
    private String head;

    @BeforeAll
    static void proveOnce() throws Exception {
        f = AlexaFlows.get();
        assertArrayEquals(f.alexa.input, f.inputs.getFirst(), "the clips are quantised as the proofs state them");
        assertArrayEquals(f.alexa.output, f.outputs.getFirst());
    }

    @BeforeEach
    void market() throws IOException {
        store = new ZkmlLedger(dir, op, clock);
        ledger = store.open();
        m = MarketDriver.onLedger(ledger, clock, op);
        Signer owner = m.account(1_000);
        client = m.account(100_000);
        p1 = m.account(10_000);
        p2 = m.account(10_000);
        m.ok(owner, new Tx.RegisterModel(f.alexa.verifyingKey, 50));
        m.ok(owner, new Tx.RegisterModel(f.headKey.verifyingKey().toBytes(), 10));
        alexa = f.alexa.provingKey.verifyingKey().modelIdHex();
        head = f.headKey.verifyingKey().modelIdHex();
        m.ok(p1, new Tx.RegisterProver(5_000));
        m.ok(p2, new Tx.RegisterProver(5_000));
    }


    @AfterEach
    void reopenRebuildsTheSameState() throws IOException {
        store.assertReopensTheSame(ledger);
    }

    /** One ZK request per clip, in clip order. */
    private List<Long> requests(int clips) {
        List<Long> ids = new ArrayList<>();
        for (int c = 0; c < clips; c++) {
            ids.add(m.state().nextRequestId());
            m.ok(client, new Tx.SubmitRequest(alexa, f.inputs.get(c), 2_000, m.now() + 600_000, new Mode.Zk()));
        }
        return ids;
    }

    private void lock(Signer p, long... ids) {
        for (long id : ids) {
            m.ok(p, new Tx.LockRequest(id));
        }
    }

    private Request req(long id) {
        return m.state().request(id).orElseThrow();
    }

    private List<String> causes() {
        return m.state().slashes().stream().map(Slash::cause).toList();
    }

    @Test
    void oneBatchProofSettlesThreeRequests() {
        List<Long> ids = requests(3);
        lock(p1, ids.get(0), ids.get(1), ids.get(2));
        m.ok(p1, new Tx.SubmitBatchResult(ids, f.outputs.subList(0, 3), f.batch(3, ids, p1)));
        assertEquals(ids, m.state().payments().stream().map(Payment::requestId).toList());
        assertTrue(ids.stream().allMatch(id -> req(id).status() == Request.Status.SETTLED));
        assertEquals(new Prover(5_000, 0, 3, 0, 0), m.state().prover(p1.accountId()).orElseThrow());
        assertEquals(List.of(), m.state().slashes());
    }

    @Test
    void aBatchWithOneOutputChangedIsSlashedWholeAndServedByAnother() {
        List<Long> ids = requests(3);
        lock(p1, ids.get(0), ids.get(1), ids.get(2));
        List<long[]> changed = StatementCodec.decode(f.outputs.get(1));
        changed.getFirst()[0] += 1;
        m.slashed(p1, new Tx.SubmitBatchResult(ids, List.of(f.outputs.get(0), StatementCodec.encode(changed), f.outputs.get(2)), f.batch(3, ids, p1)));
        assertEquals(List.of("invalid batch proof with the results: the proof's inference 1 is of another output than the batch's result 1"), causes().stream().distinct().toList());
        assertEquals(ids, m.state().slashes().stream().map(Slash::requestId).toList());
        assertTrue(ids.stream().allMatch(id -> req(id).status() == Request.Status.OPEN), "re-opened");
        lock(p2, ids.get(0), ids.get(1), ids.get(2));
        m.ok(p2, new Tx.SubmitBatchResult(ids, f.outputs.subList(0, 3), f.batch(3, ids, p2)));
        assertTrue(ids.stream().allMatch(id -> req(id).status() == Request.Status.SETTLED));
    }

    @Test
    void aSwappedRequestOrAnotherBatchsProofIsSlashedAndBadListingsRefused() {
        List<Long> ids = requests(4);
        lock(p1, ids.get(0), ids.get(1), ids.get(3));
        List<Long> swapped = List.of(ids.get(0), ids.get(1), ids.get(3));
        List<byte[]> swappedOutputs = List.of(f.outputs.get(0), f.outputs.get(1), f.outputs.get(3));
        assertTrue(m.refused(p1, new Tx.SubmitBatchResult(List.of(ids.get(1), ids.get(0)), f.outputs.subList(0, 2), new byte[] {1})).startsWith("a batch lists its requests in increasing id order"));
        assertTrue(m.refused(p1, new Tx.SubmitBatchResult(List.of(ids.get(0), ids.get(2)), f.outputs.subList(0, 2), new byte[] {1})).contains("is OPEN, not LOCKED"));
        m.slashed(p1, new Tx.SubmitBatchResult(swapped, swappedOutputs, f.batch(3, swapped, p1)));
        assertEquals(List.of("invalid batch proof with the results: the proof's inference 2 is of another input than the batch's request 2"), causes().stream().distinct().toList());

        lock(p2, ids.get(0), ids.get(1), ids.get(2));
        assertTrue(m.refused(p1, new Tx.SubmitBatchResult(ids.subList(0, 2), f.outputs.subList(0, 2), new byte[] {1})).contains("is locked by " + p2.accountId()));
        m.slashed(p2, new Tx.SubmitBatchResult(ids.subList(0, 3), f.outputs.subList(0, 3), f.batch(2, ids.subList(0, 3), p2)));
        assertEquals("invalid batch proof with the results: the proof holds 2 inferences, the batch 3 requests", causes().getLast());
        assertEquals(6, m.state().slashes().size());

        // Both were slashed on these requests and may not lock them again: a third prover serves them.
        Signer p3 = m.account(10_000);
        m.ok(p3, new Tx.RegisterProver(5_000));
        lock(p3, ids.get(0), ids.get(1));
        m.ok(p3, new Tx.SubmitBatchResult(ids.subList(0, 2), f.outputs.subList(0, 2), f.batch(2, ids.subList(0, 2), p3)));
        assertEquals(ids.subList(0, 2), m.state().payments().stream().map(Payment::requestId).toList());
    }

    @Test
    void aCommittedInputIsProvenOnTheClientsRoot() {
        long id = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitCommittedRequest(alexa, List.of(f.inputRoot), 2_000, m.now() + 600_000, new Mode.Zk(), Tx.Attestation.NONE));
        lock(p1, id);
        m.slashed(p1, new Tx.SubmitResult(id, f.outputs.getFirst(), f.alexa.proof(id, p1)));
        assertEquals("invalid proof with the result: the proof's input is not committed tensor for tensor as the request's", causes().getFirst(),
                "a proof on the public input does not prove a committed request");
        lock(p2, id);
        m.ok(p2, new Tx.SubmitResult(id, f.outputs.getFirst(), f.committedInputProof(id, p2)));
        assertEquals(Request.Status.SETTLED, req(id).status());
    }

    /** Clips 0 and 1 scored by alexa with committed outputs, then the head on both scores. */
    private long workflow(long scoreDeadline) {
        long first = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitWorkflow(List.of(
                new Tx.Step(alexa, 2_000, m.now() + scoreDeadline, new Mode.Zk(), new Tx.StepInput.Public(f.inputs.get(0))),
                new Tx.Step(alexa, 2_000, m.now() + scoreDeadline, new Mode.Zk(), new Tx.StepInput.Public(f.inputs.get(1))),
                new Tx.Step(head, 1_000, m.now() + 600_000, new Mode.Zk(),
                        new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Output(0, 0), new Tx.TensorRef.Output(1, 0)))))));
        return first;
    }

    private Workflow workflowOf(long request) {
        return m.state().workflow(req(request).workflowId()).orElseThrow();
    }

    @Test
    void aThreeStepWorkflowChainsTwoCommittedScoresIntoTheHead() throws Exception {
        long first = workflow(600_000);
        lock(p1, first);
        m.slashed(p1, new Tx.SubmitCommittedResult(first, List.of(f.forgedScoreRoot), f.scoreProof(0, first, p1)));
        assertEquals("invalid proof with the result: the proof's committed output 0 is not the posted result (commitment roots differ)", causes().getFirst(),
                "a posted score root must be the one the proof commits");
        lock(p2, first);
        m.ok(p2, new Tx.SubmitCommittedResult(first, List.of(f.scoreRoots.get(0)), f.scoreProof(0, first, p2)));
        lock(p2, first + 1);
        m.ok(p2, new Tx.SubmitCommittedResult(first + 1, List.of(f.scoreRoots.get(1)), f.scoreProof(1, first + 1, p2)));
        Request headStep = req(first + 2);
        assertEquals(Request.Status.OPEN, headStep.status());
        assertArrayEquals(f.scoreRoots.get(0), headStep.inputRoots().get(0));
        assertArrayEquals(f.scoreRoots.get(1), headStep.inputRoots().get(1));

        lock(p1, first + 2);
        m.slashed(p1, new Tx.SubmitResult(first + 2, f.headOnForgedScoreOutput, f.headProof(true, first + 2, p1)));
        assertEquals("invalid proof with the result: the proof's committed input 1 is not the request's (commitment roots differ)", causes().getLast(),
                "the head proven on a forged score is not chained to step 1's output");
        assertEquals(Request.Status.OPEN, req(first + 2).status());
        lock(p2, first + 2);
        m.ok(p2, new Tx.SubmitResult(first + 2, f.headOutput, f.headProof(false, first + 2, p2)));
        assertEquals(Workflow.Status.SETTLED, workflowOf(first).status());
        assertEquals(List.of(first, first + 1, first + 2), m.state().payments().stream().map(Payment::requestId).toList());
        assertEquals(1, m.state().payments().stream().map(Payment::height).distinct().count(), "paid together");
        assertArrayEquals(StatementCodec.encode(List.of(new long[] {2})), req(first + 2).result().output(), "the sum of the two clips' scores (1 each)");
    }

    @Test
    void aStepMissingItsDeadlineIsSlashedAndTheRestRefunded() {
        long first = workflow(120_000);
        lock(p1, first);
        m.ok(p1, new Tx.SubmitCommittedResult(first, List.of(f.scoreRoots.get(0)), f.scoreProof(0, first, p1)));
        lock(p2, first + 1);
        long before = m.state().balance(client.accountId());
        m.advance(60_001);
        assertTrue(causes().getFirst().startsWith("silent prover"), causes().getFirst());
        assertEquals(Request.Status.OPEN, req(first + 1).status(), "re-opened: its deadline allows");
        m.advance(60_000);
        assertEquals(Workflow.Status.FAILED, workflowOf(first).status());
        assertEquals(List.of(Request.Status.SETTLED, Request.Status.REFUNDED, Request.Status.REFUNDED),
                List.of(req(first).status(), req(first + 1).status(), req(first + 2).status()));
        Slash slash = m.state().slashes().getFirst();
        long price = m.state().payments().getFirst().price();
        assertEquals(before + slash.toVictim() + (2_000 - price) + 2_000 + 1_000, m.state().balance(client.accountId()),
                "the client keeps half the slash and gets back all but the verified step's price");
    }
}
