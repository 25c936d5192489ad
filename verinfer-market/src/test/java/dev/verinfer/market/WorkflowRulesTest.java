package dev.verinfer.market;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Workflows and committed inputs, rule by rule, on the stand-in verifier; the driver checks the invariants after every block. */
class WorkflowRulesTest {
    private static final byte[] KEY = "model-W".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INPUT_A = {1};
    private static final byte[] INPUT_B = {2};
    private static final byte[] OUTPUT = {9};
    private static final byte[] ROOT_A = FakeVerifier.root(new byte[] {10});
    private static final byte[] ROOT_B = FakeVerifier.root(new byte[] {11});
    private static final long FEE = 1_000;

    private final Signer op = MarketDriver.operator();
    private final MarketDriver m = MarketDriver.inMemory(new Market(MarketDriver.params(op), new FakeVerifier()), op);
    private final Signer owner = m.account(1_000);
    private final Signer client = m.account(10_000);
    private final Signer p1 = m.account(5_000);
    private final Signer p2 = m.account(5_000);
    private final String model = new FakeVerifier().modelId(KEY);

    WorkflowRulesTest() {
        m.ok(owner, new Tx.RegisterModel(KEY, 10));
        m.ok(p1, new Tx.RegisterProver(1_000));
        m.ok(p2, new Tx.RegisterProver(1_000));
    }

    private Tx.Step step(Tx.StepInput input, long deadline) {
        return new Tx.Step(model, FEE, m.now() + deadline, new Mode.Zk(), input);
    }

    /** Steps 0 and 1 on public inputs, step 2 on both their committed outputs (the shape of a pipeline's last stage). */
    private long join(long deadline) {
        long first = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitWorkflow(List.of(step(new Tx.StepInput.Public(INPUT_A), deadline), step(new Tx.StepInput.Public(INPUT_B), deadline),
                step(new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Output(0, 0), new Tx.TensorRef.Output(1, 0))), deadline))));
        return first;
    }

    private Request req(long id) {
        return m.state().request(id).orElseThrow();
    }

    private Workflow workflow(long firstRequest) {
        return m.state().workflow(req(firstRequest).workflowId()).orElseThrow();
    }

    private long balance(Signer s) {
        return m.state().balance(s.accountId());
    }

    /** The prover of a step with a public input posts its committed output root with the proof. */
    private void proveStep(Signer p, long id, byte[] input, byte[] root) {
        m.ok(p, new Tx.SubmitCommittedResult(id, List.of(root), FakeVerifier.proofOf(new Statement(model, input, List.of(), new byte[0], List.of(root)))));
    }

    private byte[] joinProof(List<byte[]> inputRoots) {
        return FakeVerifier.proofOf(new Statement(model, new byte[0], inputRoots, OUTPUT, List.of()));
    }

    @Test
    void aWorkflowIsCheckedStepByStepAndEscrowsItsTotal() {
        assertEquals("a workflow has 1..32 steps, not 0", m.refused(client, new Tx.SubmitWorkflow(List.of())));
        assertEquals("step 1: workflow steps are ZK (a watcher cannot re-run a step on a committed input), not Optimistic[windowMillis=5000]",
                m.refused(client, new Tx.SubmitWorkflow(List.of(step(new Tx.StepInput.Public(INPUT_A), 60_000),
                        new Tx.Step(model, FEE, m.now() + 60_000, new Mode.Optimistic(5_000), new Tx.StepInput.Public(INPUT_B))))));
        assertEquals("step 0: an input names step 0, not an earlier step (steps are listed in topological order)",
                m.refused(client, new Tx.SubmitWorkflow(List.of(step(new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Output(0, 0))), 60_000)))));
        assertEquals("step 1: no model abc", m.refused(client, new Tx.SubmitWorkflow(List.of(step(new Tx.StepInput.Public(INPUT_A), 60_000),
                new Tx.Step("abc", FEE, m.now() + 60_000, new Mode.Zk(), new Tx.StepInput.Public(INPUT_B))))));
        assertEquals("step 0: a committed input: a commitment root has 1..64 bytes, not 0",
                m.refused(client, new Tx.SubmitWorkflow(List.of(step(new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Root(new byte[0]))), 60_000)))));
        List<Tx.Step> eleven = java.util.Collections.nCopies(11, step(new Tx.StepInput.Public(INPUT_A), 60_000));
        assertEquals("balance 10000 is less than the 11000 needed for the workflow's escrow", m.refused(client, new Tx.SubmitWorkflow(eleven)));
        assertEquals(10_000, balance(client), "refusals change nothing");

        long first = join(60_000);
        assertEquals(10_000 - 3 * FEE, balance(client));
        assertEquals(List.of(Request.Status.OPEN, Request.Status.OPEN, Request.Status.WAITING), m.state().requests().stream().map(Request::status).toList());
        assertTrue(req(first).outputCommitted() && req(first + 1).outputCommitted() && !req(first + 2).outputCommitted(), "outputs are committed where a later step takes them");
        assertEquals(List.of(0, 1), workflow(first).predecessors(2));
        assertEquals("request " + (first + 2) + " is WAITING, not OPEN", m.refused(p1, new Tx.LockRequest(first + 2)));
    }

    @Test
    void stepsOpenOnTheirPredecessorsRootsAndTheWorkflowSettlesAtOnce() {
        long first = join(600_000);
        m.ok(p1, new Tx.LockRequest(first));
        m.ok(p2, new Tx.LockRequest(first + 1));
        assertEquals("request " + first + " commits its output: its result is a SubmitCommittedResult with the roots",
                m.refused(p1, new Tx.SubmitResult(first, OUTPUT, FakeVerifier.proofOf(new Statement(model, INPUT_A, OUTPUT)))));
        proveStep(p1, first, INPUT_A, ROOT_A);
        assertEquals(Request.Status.VERIFIED, req(first).status());
        assertEquals(new Prover(1_000, 0, 1, 0, 0), m.state().prover(p1.accountId()).orElseThrow(), "collateral back once verified");
        assertEquals(List.of(), m.state().payments(), "payment waits for the whole workflow");
        assertEquals(Request.Status.WAITING, req(first + 2).status(), "step 2 still waits for step 1");
        proveStep(p2, first + 1, INPUT_B, ROOT_B);
        Request joinStep = req(first + 2);
        assertEquals(Request.Status.OPEN, joinStep.status());
        assertEquals(2, joinStep.inputRoots().size());
        assertArrayEquals(ROOT_A, joinStep.inputRoots().get(0));
        assertArrayEquals(ROOT_B, joinStep.inputRoots().get(1));
        assertEquals(m.now(), joinStep.openedAt(), "its auction starts when it opens");

        m.ok(p1, new Tx.LockRequest(first + 2));
        m.ok(p1, new Tx.SubmitResult(first + 2, OUTPUT, joinProof(List.of(ROOT_A, ROOT_B))));
        assertEquals(Workflow.Status.SETTLED, workflow(first).status());
        assertEquals(3, m.state().payments().size());
        assertEquals(1, m.state().payments().stream().map(Payment::height).distinct().count(), "all steps paid in one transition");
        long prices = m.state().payments().stream().mapToLong(Payment::price).sum();
        assertEquals(10_000 - prices, balance(client), "the client pays the locked prices, the rest of the escrow comes back");
    }

    @Test
    void aStepProofOnAnotherInputRootIsSlashed() {
        long first = join(600_000);
        m.ok(p1, new Tx.LockRequest(first));
        proveStep(p1, first, INPUT_A, ROOT_A);
        m.ok(p1, new Tx.LockRequest(first + 1));
        proveStep(p1, first + 1, INPUT_B, ROOT_B);
        m.ok(p2, new Tx.LockRequest(first + 2));
        m.slashed(p2, new Tx.SubmitResult(first + 2, OUTPUT, joinProof(List.of(ROOT_A, FakeVerifier.root(new byte[] {12})))));
        Slash s = m.state().slashes().getFirst();
        assertEquals(first + 2, s.requestId());
        assertEquals("invalid proof with the result: not a proof of this statement", s.cause());
        assertEquals(Request.Status.OPEN, req(first + 2).status(), "re-opened for others");
        assertEquals(Workflow.Status.ACTIVE, workflow(first).status());
        m.ok(p1, new Tx.LockRequest(first + 2));
        m.ok(p1, new Tx.SubmitResult(first + 2, OUTPUT, joinProof(List.of(ROOT_A, ROOT_B))));
        assertEquals(Workflow.Status.SETTLED, workflow(first).status());
    }

    @Test
    void aMissedDeadlineSlashesPaysTheVerifiedStepsAndRefundsTheRest() {
        long first = join(30_000);
        m.ok(p1, new Tx.LockRequest(first));
        proveStep(p1, first, INPUT_A, ROOT_A);
        m.ok(p2, new Tx.LockRequest(first + 1));
        m.advance(30_000);
        assertEquals(Workflow.Status.FAILED, workflow(first).status());
        Slash s = m.state().slashes().getFirst();
        assertEquals(first + 1, s.requestId());
        assertTrue(s.cause().startsWith("silent prover"), s.cause());
        assertEquals(List.of(Request.Status.SETTLED, Request.Status.REFUNDED, Request.Status.REFUNDED), m.state().requests().stream().map(Request::status).toList());
        Payment paid = m.state().payments().getFirst();
        assertEquals(first, paid.requestId());
        assertEquals(10_000 - paid.price() + 100, balance(client), "the verified step's price is spent; the rest and half the collateral come back");
        assertEquals(new Prover(800, 0, 0, 1, 1), m.state().prover(p2.accountId()).orElseThrow());
        assertEquals("request " + (first + 2) + " is REFUNDED, not OPEN", m.refused(p1, new Tx.LockRequest(first + 2)));
    }

    @Test
    void aFailingStepReleasesAParallelLockWithoutPenalty() {
        long first = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitWorkflow(List.of(step(new Tx.StepInput.Public(INPUT_A), 10_000), step(new Tx.StepInput.Public(INPUT_B), 600_000))));
        m.ok(p2, new Tx.LockRequest(first + 1));
        m.advance(10_000);
        assertEquals(Workflow.Status.FAILED, workflow(first).status());
        assertEquals(List.of(), m.state().slashes(), "nobody held step 0: no slash");
        assertEquals(new Prover(1_000, 0, 0, 0, 0), m.state().prover(p2.accountId()).orElseThrow(), "step 1's lock released, uncounted");
        assertEquals(10_000, balance(client));
        assertTrue(m.refused(p2, new Tx.SubmitCommittedResult(first + 1, List.of(ROOT_B), new byte[] {1})).contains("is REFUNDED, not LOCKED"));
    }

    @Test
    void aStepNamingAMissingOutputFailsTheWorkflowWhenItsPredecessorVerifies() {
        long first = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitWorkflow(List.of(step(new Tx.StepInput.Public(INPUT_A), 600_000),
                step(new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Root(ROOT_B), new Tx.TensorRef.Output(0, 1))), 600_000))));
        m.ok(p1, new Tx.LockRequest(first));
        proveStep(p1, first, INPUT_A, ROOT_A);
        assertEquals(Workflow.Status.FAILED, workflow(first).status());
        assertEquals(List.of(Request.Status.SETTLED, Request.Status.REFUNDED), m.state().requests().stream().map(Request::status).toList());
    }

    @Test
    void aStepsClientInputMayBeAttestedButAChainedInputIsNot() {
        List<Signer> oracles = List.of(Signer.generate(MarketDriver.CHAIN), Signer.generate(MarketDriver.CHAIN));
        List<byte[]> keys = oracles.stream().map(Signer::publicKey).toList();
        m.ok(client, new Tx.RegisterOracleSet(1, keys));
        String set = OracleSet.idOf(1, keys);
        Tx.Attestation onRoot = new Tx.Attestation(set, List.of(oracles.get(0).attestCommitted(set, model, List.of(ROOT_A)), new byte[0]));
        Tx.Attestation onInput = new Tx.Attestation(set, List.of(new byte[0], oracles.get(1).attest(set, model, INPUT_A)));
        Tx.Step rootStep = new Tx.Step(model, FEE, m.now() + 60_000, new Mode.Zk(), new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Root(ROOT_A))), onRoot);
        Tx.Step publicStep = new Tx.Step(model, FEE, m.now() + 60_000, new Mode.Zk(), new Tx.StepInput.Public(INPUT_A), onInput);
        assertEquals("step 0: 0 of the 2 oracles of set " + set + " attested this input; 1 needed", m.refused(client, new Tx.SubmitWorkflow(List.of(
                new Tx.Step(model, FEE, m.now() + 60_000, new Mode.Zk(), new Tx.StepInput.Public(INPUT_B), onInput)))));
        assertEquals("step 2: an input taken from earlier steps is bound by their proofs, not attested", m.refused(client, new Tx.SubmitWorkflow(List.of(rootStep, publicStep,
                new Tx.Step(model, FEE, m.now() + 60_000, new Mode.Zk(), new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Output(0, 0))), onRoot)))));
        long first = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitWorkflow(List.of(rootStep, publicStep)));
        assertArrayEquals(ROOT_A, req(first).inputRoots().getFirst(), "a step on client roots opens with them");
        assertEquals(Request.Status.OPEN, req(first + 1).status());
    }

    @Test
    void aCommittedInputRequestIsProvenOnItsRootsAndMayBeAttested() {
        long id = m.state().nextRequestId();
        assertEquals("a committed input must have 1..256 commitment roots, not 0",
                m.refused(client, new Tx.SubmitCommittedRequest(model, List.of(), FEE, m.now() + 60_000, new Mode.Zk(), Tx.Attestation.NONE)));
        List<Signer> oracles = List.of(Signer.generate(MarketDriver.CHAIN), Signer.generate(MarketDriver.CHAIN));
        List<byte[]> keys = oracles.stream().map(Signer::publicKey).toList();
        m.ok(client, new Tx.RegisterOracleSet(2, keys));
        String set = OracleSet.idOf(2, keys);
        byte[] onRoots = oracles.get(0).attestCommitted(set, model, List.of(ROOT_A));
        byte[] onBytes = oracles.get(1).attest(set, model, ROOT_A);
        assertTrue(m.refused(client, new Tx.SubmitCommittedRequest(model, List.of(ROOT_A), FEE, m.now() + 60_000, new Mode.Zk(),
                new Tx.Attestation(set, List.of(onRoots, onBytes)))).startsWith("1 of the 2 oracles"), "an attestation of public bytes is not one of roots");
        m.ok(client, new Tx.SubmitCommittedRequest(model, List.of(ROOT_A), FEE, m.now() + 60_000, new Mode.Zk(),
                new Tx.Attestation(set, List.of(onRoots, oracles.get(1).attestCommitted(set, model, List.of(ROOT_A))))));
        assertTrue(req(id).inputCommitted());
        assertEquals(0, req(id).input().length);
        m.ok(p1, new Tx.LockRequest(id));
        assertEquals("request " + id + " has a public output: its result is a SubmitResult with the values",
                m.refused(p1, new Tx.SubmitCommittedResult(id, List.of(ROOT_B), new byte[] {1})));
        m.slashed(p1, new Tx.SubmitResult(id, OUTPUT, FakeVerifier.proofOf(new Statement(model, new byte[0], List.of(ROOT_B), OUTPUT, List.of()))));
        assertEquals(Request.Status.OPEN, req(id).status(), "a proof on another committed input is slashed");
        m.ok(p2, new Tx.LockRequest(id));
        m.ok(p2, new Tx.SubmitResult(id, OUTPUT, FakeVerifier.proofOf(new Statement(model, new byte[0], List.of(ROOT_A), OUTPUT, List.of()))));
        assertEquals(Request.Status.SETTLED, req(id).status());
    }
}
