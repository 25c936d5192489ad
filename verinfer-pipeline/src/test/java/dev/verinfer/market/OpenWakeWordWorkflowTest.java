package dev.verinfer.market;

import dev.verinfer.ledger.EmbeddedLedger;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pipeline.ChainStep;
import dev.verinfer.pipeline.OpenWakeWordChain;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.PublicStatement;
import dev.verinfer.zkml.Visibility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three-model openWakeWord pipeline bought as one market workflow on the embedded ledger: the
 * mel step on the client's public audio, sixteen embedding steps each on one committed mel window
 * of it, and the classifier on the sixteen committed embeddings — 18 requests, real proofs (the
 * chain {@link OpenWakeWordChain} proves once), every step's input bound by the ledger to its
 * predecessor's committed output, paid together when the last one verifies. Every proof is bound
 * to its step's request and prover (the market's {@link ProofContext}): the shared chain is proven
 * for this workflow's requests and provers ({@link OpenWakeWordWorkflowContexts}). A step proven on
 * another window is slashed; invariants are checked after every block, and the reopened ledger
 * rebuilds the same state.
 */
class OpenWakeWordWorkflowTest {
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong();
    private final Signer op = MarketDriver.operator();
    private EmbeddedLedger<Market> ledger;
    private ZkmlLedger store;
    private MarketDriver m;
    private OpenWakeWordChain chain;
    private Signer client;
    private Signer p1;
    private Signer p2;

    @BeforeEach
    void market() throws IOException {
        chain = OpenWakeWordChain.get();
        store = new ZkmlLedger(dir, op, clock);
        ledger = store.open();
        m = MarketDriver.onLedger(ledger, clock, op);
        Signer owner = m.account(1_000);
        client = m.account(100_000);
        p1 = OpenWakeWordWorkflowContexts.P1;
        p2 = OpenWakeWordWorkflowContexts.P2;
        m.ok(op, new Tx.Deposit(p1.accountId(), 10_000));
        m.ok(op, new Tx.Deposit(p2.accountId(), 10_000));
        for (ChainStep model : chain.pipeline().models()) {
            m.ok(owner, new Tx.RegisterModel(model.key().toBytes(), 10));
        }
        m.ok(p1, new Tx.RegisterProver(5_000));
        m.ok(p2, new Tx.RegisterProver(5_000));
    }

    @AfterEach
    void reopenRebuildsTheSameState() throws IOException {
        store.assertReopensTheSame(ledger);
    }

    @Test
    void theChainSettlesAsOneWorkflowAndAStepOnAnotherWindowIsSlashed() {
        int windows = chain.pipeline().windows();
        List<String> ids = chain.pipeline().models().stream().map(s -> s.key().modelIdHex()).toList();
        long deadline = m.now() + 3_600_000;
        List<Tx.Step> steps = new ArrayList<>();
        steps.add(new Tx.Step(ids.get(0), 2_000, deadline, new Mode.Zk(), new Tx.StepInput.Public(StatementCodec.encode(statement(0).inputs()))));
        for (int k = 0; k < windows; k++) {
            steps.add(new Tx.Step(ids.get(1), 1_000, deadline, new Mode.Zk(), new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Output(0, k)))));
        }
        List<Tx.TensorRef> embeddings = new ArrayList<>();
        for (int k = 0; k < windows; k++) {
            embeddings.add(new Tx.TensorRef.Output(1 + k, 0));
        }
        steps.add(new Tx.Step(ids.get(2), 1_000, deadline, new Mode.Zk(), new Tx.StepInput.Committed(embeddings)));
        long first = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitWorkflow(steps));
        assertEquals(Request.Status.WAITING, req(first + 1).status(), "an embedding step waits for the mel step");
        assertEquals(OpenWakeWordWorkflowContexts.FIRST, first, "the chain's proofs are bound to this workflow's request ids");
        byte[] window6ForRequest5;
        try (IntegerExecutor executor = new IntegerExecutor()) {
            ProvingKey embedding = chain.pipeline().provingKey(7);
            QuantGraph g = embedding.graph();
            long[] window6 = chain.pipeline().execute(chain.audio()).windows()[6];
            window6ForRequest5 = Prover.prove(embedding, executor.runQuantised(g, Map.of(g.tensor(g.inputs().getFirst()).name(), window6)),
                    Visibility.COMMITTED, Visibility.COMMITTED, ProofContext.request(MarketDriver.CHAIN, first + 6, p2.accountId())).bytes();
        }

        m.ok(p1, new Tx.LockRequest(first));
        m.ok(p1, new Tx.SubmitCommittedResult(first, statement(0).outputRoots(), proof(0)));
        for (int k = 0; k < windows; k++) {
            assertEquals(Request.Status.OPEN, req(first + 1 + k).status());
            assertArrayEquals(statement(0).outputRoots().get(k), req(first + 1 + k).inputRoots().getFirst(), "window " + k + " is bound to the mel step's output");
        }

        // Window 5's request answered with window 6's (valid) proof: its input is not the mel step's output 5.
        m.ok(p2, new Tx.LockRequest(first + 6));
        m.slashed(p2, new Tx.SubmitCommittedResult(first + 6, statement(7).outputRoots(), window6ForRequest5));
        List<String> causes = m.state().slashes().stream().map(Slash::cause).toList();
        assertEquals(1, causes.size());
        assertTrue(causes.getFirst().contains("committed input 0 is not the request's"), causes.getFirst());
        assertEquals(Request.Status.OPEN, req(first + 6).status(), "re-opened for an honest prover");
        assertTrue(m.refused(p2, new Tx.LockRequest(first + 6)).contains("may not lock it again"));

        for (int k = 0; k < windows; k++) {
            // p2, slashed on window 5's request, may not lock it again: p1 serves it.
            Signer p = OpenWakeWordWorkflowContexts.prover(1 + k);
            m.ok(p, new Tx.LockRequest(first + 1 + k));
            m.ok(p, new Tx.SubmitCommittedResult(first + 1 + k, statement(1 + k).outputRoots(), proof(1 + k)));
        }
        long last = first + windows + 1;
        assertEquals(Request.Status.OPEN, req(last).status());
        for (int k = 0; k < windows; k++) {
            assertArrayEquals(statement(1 + k).outputRoots().getFirst(), req(last).inputRoots().get(k), "classifier input " + k);
        }
        assertTrue(m.state().payments().isEmpty(), "nothing is paid before the whole workflow verifies");
        m.ok(p1, new Tx.LockRequest(last));
        m.ok(p1, new Tx.SubmitResult(last, StatementCodec.encode(statement(windows + 1).outputs()), proof(windows + 1)));

        assertEquals(Workflow.Status.SETTLED, m.state().workflow(req(first).workflowId()).orElseThrow().status());
        assertEquals(windows + 2, m.state().payments().size());
        assertEquals(1, m.state().payments().stream().map(Payment::height).distinct().count(), "all steps paid together");
        assertArrayEquals(chain.verdict().finalOutputs().getFirst(), StatementCodec.decode(req(last).result().output()).getFirst(),
                "the settled score is the chain's proven score");
    }

    private PublicStatement statement(int step) {
        return chain.proof().steps().get(step).proof().statement();
    }

    private byte[] proof(int step) {
        return chain.proof().steps().get(step).proof().bytes();
    }

    private Request req(long id) {
        return m.state().request(id).orElseThrow();
    }
}
