package dev.verinfer.market;

import dev.verinfer.ledger.Block;
import dev.verinfer.ledger.EmbeddedLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link StepWorker} on the embedded ledger with real alexa_v0.1 proofs and the two-input head
 * ({@link AlexaFlows}): a workflow of two alexa steps whose committed scores feed the head is served
 * by step workers alone, each step's committed outputs reaching the next one's prover through a
 * tensor store (here a directory); and a committed request whose stored values do not commit to its
 * root is not locked until the true values are stored.
 */
class StepWorkerTest {
    @Test
    void aWorkflowIsServedStepByStepThroughTheTensorStoreAndForgedValuesAreNeverTaken(@TempDir Path dir) throws Exception {
        AlexaFlows flows = AlexaFlows.get();
        AtomicLong clock = new AtomicLong();
        Signer op = MarketDriver.operator();
        try (EmbeddedLedger<Market> ledger = MarketDriver.openZkmlLedger(dir.resolve("ledger"), clock, op)) {
            MarketDriver setup = MarketDriver.onLedger(ledger, clock, op);
            Signer owner = setup.account(1_000);
            Signer client = setup.account(100_000);
            Signer first = setup.account(10_000);
            Signer second = setup.account(10_000);
            setup.ok(owner, new Tx.RegisterModel(flows.alexa.verifyingKey, 50));
            setup.ok(owner, new Tx.RegisterModel(flows.headKey.verifyingKey().toBytes(), 50));
            setup.ok(first, new Tx.RegisterProver(8_000));
            setup.ok(second, new Tx.RegisterProver(8_000));
            String alexa = flows.alexa.provingKey.verifyingKey().modelIdHex();
            String head = flows.headKey.verifyingKey().modelIdHex();
            ZkmlInference zkml = new ZkmlInference(List.of(flows.alexa.provingKey, flows.headKey));
            TensorStore store = new DirectoryTensorStore(dir.resolve("tensors"));
            // Two provers, each its own process in production, sharing only the store: the head's prover never ran the alexa steps.
            StepWorker alexaProver = new StepWorker(new MarketAccount(first, ledger), zkml, store, Set.of(alexa), 5_000);
            StepWorker headProver = new StepWorker(new MarketAccount(second, ledger), zkml, store, Set.of(head), 5_000);
            MarketAccount buyer = new MarketAccount(client, ledger);

            long deadline = clock.get() + 600_000;
            long firstStep = setup.state().nextRequestId();
            buyer.send(new Tx.SubmitWorkflow(List.of(
                    new Tx.Step(alexa, 2_000, deadline, new Mode.Zk(), new Tx.StepInput.Public(flows.inputs.get(0))),
                    new Tx.Step(alexa, 2_000, deadline, new Mode.Zk(), new Tx.StepInput.Public(flows.inputs.get(1))),
                    new Tx.Step(head, 2_000, deadline, new Mode.Zk(), new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Output(0, 0), new Tx.TensorRef.Output(1, 0)))))));
            run(ledger, setup, clock, List.of(alexaProver, headProver), () -> setup.state().requests().stream().filter(r -> r.id() >= firstStep && r.status().isFinal()).count() == 3);
            assertEquals(Workflow.Status.SETTLED, setup.state().workflow(setup.state().request(firstStep).orElseThrow().workflowId()).orElseThrow().status());
            Request last = setup.state().request(firstStep + 2).orElseThrow();
            assertEquals(Request.Status.SETTLED, last.status());
            assertArrayEquals(flows.headOutput, last.result().output(), "the head's output is the sum of the two proven scores");
            assertEquals(second.accountId(), last.lock().prover());
            assertEquals(3, setup.state().payments().stream().filter(p -> p.requestId() >= firstStep).count(), "each step paid");
            assertEquals(List.of(), setup.state().slashes());

            // A committed request on clip 0's root, with clip 1's values under that root in the store: not taken.
            long committed = setup.state().nextRequestId();
            buyer.send(new Tx.SubmitCommittedRequest(alexa, List.of(flows.inputRoot), 2_000, clock.get() + 600_000, new Mode.Zk(), Tx.Attestation.NONE));
            store.put(flows.inputRoot, StatementCodec.decode(flows.inputs.get(1)).getFirst());
            long until = clock.get() + 5_000;
            run(ledger, setup, clock, List.of(alexaProver), () -> clock.get() >= until);
            assertEquals(Request.Status.OPEN, setup.state().request(committed).orElseThrow().status(), "values that do not commit to the root are not proven on");
            store.put(flows.inputRoot, StatementCodec.decode(flows.inputs.get(0)).getFirst());
            run(ledger, setup, clock, List.of(alexaProver), () -> setup.state().request(committed).map(r -> r.status().isFinal()).orElse(false));
            Request served = setup.state().request(committed).orElseThrow();
            assertEquals(Request.Status.SETTLED, served.status());
            assertArrayEquals(flows.outputs.getFirst(), served.result().output());
        }
    }

    /** Blocks one second apart, the workers after each, until {@code done} (at most 40). */
    private static void run(EmbeddedLedger<Market> ledger, MarketDriver setup, AtomicLong clock, List<StepWorker> workers, BooleanSupplier done) throws java.io.IOException {
        for (int tick = 0; tick < 40 && !done.getAsBoolean(); tick++) {
            clock.addAndGet(1_000);
            Block b = ledger.produceBlock();
            assertTrue(b.outcomes().stream().allMatch(o -> o.accepted()), () -> "block " + b.height() + ": " + b.outcomes());
            setup.checkInvariants();
            workers.forEach(w -> w.onBlock(ledger.read(Market::params), ledger.read(m -> m.state().requests()), b.timeMillis()));
        }
        assertTrue(done.getAsBoolean(), "not done after 40 blocks");
    }
}
