package dev.verinfer.market;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.ledger.Block;
import dev.verinfer.ledger.EmbeddedLedger;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Setup;
import dev.verinfer.zkml.TensorCommitments;
import dev.verinfer.zkml.VerifyingKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Committed requests and workflows of private models (zero-knowledge keys) on the embedded market with real proofs: the
 * client derives its input's hiding root from the values and a secret seed ({@link TensorCommitments#hiding}) and hands
 * (values, seed) to the provers through a {@link TensorStore}; the market sees the root only. A workflow's link is the
 * producer's hiding commitment, its seed handed on through the store. The deviations it closes: a prover proving from a
 * wrong seed or wrong values (its proof names another root: rejected and slashed, and the request refunded, as a posted
 * proof may have spent the input's opening budget); another account's request naming the client's root (not served: it
 * would publish the model's output on the client's input); an unprovable input shown only with its seeds; a private output
 * fed to two consumers (beyond its opening budget).
 */
class PrivateCommittedTest {
    private static QuantGraph producer;
    private static QuantGraph consumer;
    private static ProvingKey producerKey;
    private static ProvingKey consumerKey;

    @BeforeAll
    static void keys() {
        producer = PrivateChainGraphs.producer();
        consumer = PrivateChainGraphs.consumer();
        producerKey = Setup.setup(producer, PcsSecurity.CONJECTURED, true, 32);
        consumerKey = Setup.setup(consumer, PcsSecurity.CONJECTURED, true, 32);
    }

    /** A client's quantised input to the producer (values within its bound 2^12). */
    private static long[] input(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[18];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble(-3.9, 3.9);
        }
        return IntegerExecutor.execute(producer, Map.of("x", x)).value(0);
    }

    private static long[] run(QuantGraph g, long[] x) {
        try (IntegerExecutor ex = new IntegerExecutor(1)) {
            return ex.runQuantised(g, Map.of("x", x)).value(g.outputs().getFirst());
        }
    }

    private static byte[] seed(long s) {
        byte[] seed = new byte[TensorCommitments.SEED_BYTES];
        new SplittableRandom(s).nextBytes(seed);
        return seed;
    }

    private static VerifyingKey vk(ProvingKey k) {
        return k.verifyingKey();
    }

    private static byte[] root(long[] x, byte[] seed) {
        return TensorCommitments.hidingRoot(vk(producerKey), new int[] {3, 6}, x, seed);
    }

    @Test
    void aPrivateModelsCommittedRequestAndTwoStepWorkflowSettleWithNoInputValuePosted(@TempDir Path dir) throws Exception {
        AtomicLong clock = new AtomicLong();
        Signer op = MarketDriver.operator();
        try (EmbeddedLedger<Market> ledger = MarketDriver.openZkmlLedger(dir.resolve("ledger"), clock, op)) {
            MarketDriver setup = MarketDriver.onLedger(ledger, clock, op);
            Signer owner = setup.account(1_000);
            Signer client = setup.account(100_000);
            Signer snoop = setup.account(100_000);
            Signer first = setup.account(10_000);
            Signer second = setup.account(10_000);
            setup.ok(owner, new Tx.RegisterModel(vk(producerKey).toBytes(), 50));
            setup.ok(owner, new Tx.RegisterModel(vk(consumerKey).toBytes(), 50));
            setup.ok(first, new Tx.RegisterProver(8_000));
            setup.ok(second, new Tx.RegisterProver(8_000));
            String p = vk(producerKey).modelIdHex();
            String c = vk(consumerKey).modelIdHex();
            ZkmlInference zkml = new ZkmlInference(List.of(producerKey, consumerKey));
            TensorStore store = new DirectoryTensorStore(dir.resolve("tensors"));
            // Two provers, each its own process in production, sharing only the store.
            List<StepWorker> workers = List.of(new StepWorker(new MarketAccount(first, ledger), zkml, store, Set.of(p), 5_000),
                    new StepWorker(new MarketAccount(second, ledger), zkml, store, Set.of(c), 5_000));
            MarketAccount buyer = new MarketAccount(client, ledger);
            List<byte[]> posted = new ArrayList<>();

            // The client's root hides the values: not their plain root, and another seed gives another root.
            long[] x = input(1);
            byte[] seed = seed(101);
            byte[] root = root(x, seed);
            assertFalse(Arrays.equals(root, TensorCommitments.root(new int[] {3, 6}, x, PcsSecurity.CONJECTURED)));
            assertFalse(Arrays.equals(root, root(x, seed(102))));
            store.put(root, new TensorStore.Tensor(x, seed, client.accountId()));
            long request = setup.state().nextRequestId();
            buyer.send(new Tx.SubmitCommittedRequest(p, List.of(root), 2_000, clock.get() + 600_000, new Mode.Zk(), Tx.Attestation.NONE));
            run(ledger, setup, clock, workers, posted, () -> setup.state().request(request).map(r -> r.status().isFinal()).orElse(false));
            Request served = setup.state().request(request).orElseThrow();
            assertEquals(Request.Status.SETTLED, served.status());
            assertEquals(0, served.input().length);
            assertArrayEquals(root, served.inputRoots().getFirst());
            assertArrayEquals(StatementCodec.encode(List.of(run(producer, x))), served.result().output());

            // A two-step workflow: the client's hiding root into the producer, its committed output into the consumer.
            long[] x2 = input(2);
            byte[] seed2 = seed(103);
            byte[] root2 = root(x2, seed2);
            store.put(root2, new TensorStore.Tensor(x2, seed2, client.accountId()));
            long step0 = setup.state().nextRequestId();
            buyer.send(new Tx.SubmitWorkflow(List.of(
                    new Tx.Step(p, 2_000, clock.get() + 600_000, new Mode.Zk(), new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Root(root2)))),
                    new Tx.Step(c, 2_000, clock.get() + 600_000, new Mode.Zk(), new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Output(0, 0)))))));
            run(ledger, setup, clock, workers, posted, () -> setup.state().request(step0 + 1).map(r -> r.status().isFinal()).orElse(false));
            Request a = setup.state().request(step0).orElseThrow();
            Request b = setup.state().request(step0 + 1).orElseThrow();
            assertEquals(Workflow.Status.SETTLED, setup.state().workflow(a.workflowId()).orElseThrow().status());
            byte[] link = a.result().outputRoots().getFirst();
            assertArrayEquals(link, b.inputRoots().getFirst(), "the consumer's proof opened the producer's root");
            long[] hidden = run(producer, x2);
            assertArrayEquals(StatementCodec.encode(List.of(run(consumer, hidden))), b.result().output());
            assertEquals(second.accountId(), b.lock().prover());
            TensorStore.Tensor handed = store.get(link).orElseThrow();
            assertArrayEquals(hidden, handed.values());
            assertArrayEquals(link, TensorCommitments.hidingRoot(vk(consumerKey), new int[] {3, 8}, hidden, handed.seed()), "the link is the stored seed's root");

            // The right values under a wrong seed: another root, so no prover locks it (nor could prove it).
            long[] x3 = input(3);
            byte[] root3 = root(x3, seed(104));
            store.put(root3, new TensorStore.Tensor(x3, seed(105), client.accountId()));
            long unopened = setup.state().nextRequestId();
            buyer.send(new Tx.SubmitCommittedRequest(p, List.of(root3), 2_000, clock.get() + 600_000, new Mode.Zk(), Tx.Attestation.NONE));
            run(ledger, setup, clock, workers, posted, () -> setup.state().request(unopened).isPresent());
            // Another account naming the client's root (public on the ledger) to learn the model's output on its input: not served.
            long copied = setup.state().nextRequestId();
            new MarketAccount(snoop, ledger).send(new Tx.SubmitCommittedRequest(p, List.of(root), 2_000, clock.get() + 600_000, new Mode.Zk(), Tx.Attestation.NONE));
            run(ledger, setup, clock, workers, posted, () -> setup.state().request(copied).isPresent());
            // The control: the client's own request on a root its stored seed opens, submitted with them, is served meanwhile.
            long[] x4 = input(4);
            byte[] seed4 = seed(106);
            store.put(root(x4, seed4), new TensorStore.Tensor(x4, seed4, client.accountId()));
            long control = setup.state().nextRequestId();
            buyer.send(new Tx.SubmitCommittedRequest(p, List.of(root(x4, seed4)), 2_000, clock.get() + 600_000, new Mode.Zk(), Tx.Attestation.NONE));
            run(ledger, setup, clock, workers, posted, () -> setup.state().request(control).map(r -> r.status().isFinal()).orElse(false)
                    || setup.state().request(copied).map(r -> r.status() != Request.Status.OPEN).orElse(false)
                    || setup.state().request(unopened).map(r -> r.status() != Request.Status.OPEN).orElse(false));
            assertEquals(Request.Status.OPEN, setup.state().request(copied).orElseThrow().status(), "another client's stored input is not served");
            assertEquals(Request.Status.OPEN, setup.state().request(unopened).orElseThrow().status(), "a root the stored seed does not open is not locked");
            assertEquals(Request.Status.SETTLED, setup.state().request(control).orElseThrow().status());

            // An input beyond its bound, stored with its seed: the worker locks (the roots match), cannot prove it, and shows it with
            // its seed — the client's fault, the prover compensated, nobody slashed.
            long[] bad = input(5);
            bad[0] = 1 << 12;
            byte[] badSeed = seed(107);
            store.put(root(bad, badSeed), new TensorStore.Tensor(bad, badSeed, client.accountId()));
            long unprovable = setup.state().nextRequestId();
            long stake = setup.state().balance(first.accountId());
            buyer.send(new Tx.SubmitCommittedRequest(p, List.of(root(bad, badSeed)), 2_000, clock.get() + 600_000, new Mode.Zk(), Tx.Attestation.NONE));
            run(ledger, setup, clock, workers, posted, () -> setup.state().request(unprovable).map(r -> r.status().isFinal()).orElse(false));
            assertEquals(Request.Status.REFUNDED, setup.state().request(unprovable).orElseThrow().status());
            assertTrue(setup.state().balance(first.accountId()) > stake, "the prover compensated for the client's unprovable input");

            assertEquals(List.of(), setup.state().slashes());
            for (long[] secret : List.of(x, x2, hidden, x3, x4)) {
                for (byte[] tx : posted) {
                    assertFalse(contains(tx, StatementCodec.encode(List.of(secret))) || contains(tx, fieldElements(secret, ByteOrder.LITTLE_ENDIAN))
                            || contains(tx, fieldElements(secret, ByteOrder.BIG_ENDIAN)), "a posted transaction holds a committed tensor's values");
                }
            }
            for (byte[] s : List.of(seed, seed2, handed.seed())) {
                assertTrue(posted.stream().noneMatch(tx -> contains(tx, s)), "a posted transaction holds a seed");
            }
        }
    }

    @Test
    void aProofFromAWrongSeedOrWrongValuesIsSlashedAndTheRequestRefunded() {
        Signer op = MarketDriver.operator();
        MarketDriver m = MarketDriver.inMemory(new Market(MarketDriver.params(op), new ZkmlProofVerifier()), op);
        Signer owner = m.account(1_000);
        Signer client = m.account(100_000);
        Signer prover = m.account(40_000);
        m.ok(owner, new Tx.RegisterModel(vk(producerKey).toBytes(), 50));
        m.ok(prover, new Tx.RegisterProver(30_000));
        String p = vk(producerKey).modelIdHex();
        ZkmlInference zkml = new ZkmlInference(List.of(producerKey));
        long[] x = input(4);
        byte[] seed = seed(201);
        byte[] root = root(x, seed);
        byte[] wrongSeed = seed(202);
        long[] wrongValues = x.clone();
        wrongValues[0] += 1;
        record Attempt(long[] values, byte[] seed) {
        }
        for (Attempt cheat : List.of(new Attempt(x, wrongSeed), new Attempt(wrongValues, seed))) {
            long id = m.state().nextRequestId();
            long before = m.state().balance(client.accountId());
            m.ok(client, new Tx.SubmitCommittedRequest(p, List.of(root), 2_000, m.now() + 600_000, new Mode.Zk(), Tx.Attestation.NONE));
            m.advance(2_000);
            m.ok(prover, new Tx.LockRequest(id));
            InferenceService.Committed proof = zkml.proveCommitted(p, StatementCodec.encode(List.of(cheat.values())), List.of(cheat.seed()), true, false,
                    ProofContext.request(MarketDriver.CHAIN, id, prover.accountId()));
            String reason = m.slashed(prover, new Tx.SubmitResult(id, StatementCodec.encode(proof.outputs()), proof.proof()));
            assertTrue(reason.contains("commitment roots differ") && reason.contains(Transitions.SPENT), reason);
            assertEquals(Request.Status.REFUNDED, m.state().request(id).orElseThrow().status(), "not re-opened for another proof of its hiding input");
            assertTrue(m.state().balance(client.accountId()) > before, "the escrow back, and the victim's share of the collateral");
        }
        assertEquals(2, m.state().slashes().size());

        long id = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitCommittedRequest(p, List.of(root), 2_000, m.now() + 600_000, new Mode.Zk(), Tx.Attestation.NONE));
        m.advance(2_000);
        m.ok(prover, new Tx.LockRequest(id));
        InferenceService.Committed honest = zkml.proveCommitted(p, StatementCodec.encode(List.of(x)), List.of(seed), true, false,
                ProofContext.request(MarketDriver.CHAIN, id, prover.accountId()));
        m.ok(prover, new Tx.SubmitResult(id, StatementCodec.encode(honest.outputs()), honest.proof()));
        assertEquals(Request.Status.SETTLED, m.state().request(id).orElseThrow().status());
    }

    /**
     * An input beyond its bound is the client's fault as for any committed request, shown by revealing it — for a hiding root
     * with its seed, so the claim is checkable (and the input public); values without the seed, or with another seed, are
     * refused and the lock stands. A private output feeding two consumers is refused where the workflow enters.
     */
    @Test
    void anUnprovableHidingInputIsShownWithItsSeedAndAPrivateOutputFeedsOneConsumer() {
        Signer op = MarketDriver.operator();
        MarketDriver m = MarketDriver.inMemory(new Market(MarketDriver.params(op), new ZkmlProofVerifier()), op);
        Signer owner = m.account(1_000);
        Signer client = m.account(100_000);
        Signer prover = m.account(10_000);
        m.ok(owner, new Tx.RegisterModel(vk(producerKey).toBytes(), 50));
        m.ok(owner, new Tx.RegisterModel(vk(consumerKey).toBytes(), 50));
        m.ok(prover, new Tx.RegisterProver(8_000));
        String p = vk(producerKey).modelIdHex();
        String c = vk(consumerKey).modelIdHex();
        long[] bad = input(5);
        bad[0] = 1 << 12; // beyond the input's bound |v| < 2^12
        byte[] seed = seed(301);
        long id = m.state().nextRequestId();
        m.ok(client, new Tx.SubmitCommittedRequest(p, List.of(root(bad, seed)), 2_000, m.now() + 600_000, new Mode.Zk(), Tx.Attestation.NONE));
        m.advance(2_000);
        m.ok(prover, new Tx.LockRequest(id));
        assertTrue(m.refused(prover, new Tx.ClaimUnprovable(id, StatementCodec.encode(List.of(bad)))).contains("not an opening"));
        assertEquals("the claim's values do not commit to request " + id + "'s input roots",
                m.refused(prover, new Tx.ClaimUnprovable(id, Openings.encode(List.of(bad), List.of(seed(302))))));
        long before = m.state().balance(prover.accountId());
        m.ok(prover, new Tx.ClaimUnprovable(id, Openings.encode(List.of(bad), List.of(seed))));
        assertEquals(Request.Status.REFUNDED, m.state().request(id).orElseThrow().status());
        assertTrue(m.state().balance(prover.accountId()) > before, "the prover compensated");
        assertEquals(List.of(), m.state().slashes());

        Tx.StepInput fromFirst = new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Output(0, 0)));
        String refused = m.refused(client, new Tx.SubmitWorkflow(List.of(
                new Tx.Step(p, 2_000, m.now() + 600_000, new Mode.Zk(), new Tx.StepInput.Committed(List.of(new Tx.TensorRef.Root(root(input(6), seed(303)))))),
                new Tx.Step(c, 2_000, m.now() + 600_000, new Mode.Zk(), fromFirst),
                new Tx.Step(c, 2_000, m.now() + 600_000, new Mode.Zk(), fromFirst))));
        assertTrue(refused.startsWith("step 2: output 0 of step 0 feeds a second input"), refused);
    }

    /**
     * A prover that locks a valid hiding input and then cannot prove it (here: its key's weight opening budget spent) does not
     * claim it unprovable: the claim would publish the input with its seed, and the ledger would refuse it anyway. The lock
     * runs out instead (the prover's fault).
     */
    @Test
    void aProverThatCannotProveAValidHidingInputDoesNotPublishIt(@TempDir Path dir) throws Exception {
        ProvingKey spent = Setup.setup(producer, PcsSecurity.CONJECTURED, true, 4);
        byte[] key = vk(spent).toBytes(); // writes the key's weight bounds proof, which opens the weights (2 units)
        ZkmlInference zkml = new ZkmlInference(List.of(spent));
        String p = vk(spent).modelIdHex();
        long[] x = input(7);
        int proofs = 0;
        try {
            while (proofs < 8) { // the bounds proof and each proof spend 1–2 of the 4 units
                zkml.proveCommitted(p, StatementCodec.encode(List.of(x)), List.of(seed(401)), true, false, new byte[0]);
                proofs++;
            }
        } catch (RuntimeException budgetSpent) {
            assertTrue(budgetSpent.getMessage().contains("budget"), budgetSpent.getMessage());
        }
        assertTrue(proofs < 8, "the key's budget ran out");
        AtomicLong clock = new AtomicLong();
        Signer op = MarketDriver.operator();
        try (EmbeddedLedger<Market> ledger = MarketDriver.openZkmlLedger(dir.resolve("ledger"), clock, op)) {
            MarketDriver setup = MarketDriver.onLedger(ledger, clock, op);
            Signer owner = setup.account(1_000);
            Signer client = setup.account(100_000);
            Signer prover = setup.account(10_000);
            setup.ok(owner, new Tx.RegisterModel(key, 50));
            setup.ok(prover, new Tx.RegisterProver(8_000));
            TensorStore store = TensorStore.inMemory();
            List<StepWorker> workers = List.of(new StepWorker(new MarketAccount(prover, ledger), zkml, store, Set.of(p), 5_000));
            byte[] seed = seed(402);
            byte[] root = TensorCommitments.hidingRoot(vk(spent), new int[] {3, 6}, x, seed);
            store.put(root, new TensorStore.Tensor(x, seed, client.accountId()));
            long id = setup.state().nextRequestId();
            new MarketAccount(client, ledger).send(new Tx.SubmitCommittedRequest(p, List.of(root), 2_000, clock.get() + 600_000, new Mode.Zk(), Tx.Attestation.NONE));
            List<byte[]> posted = new ArrayList<>();
            run(ledger, setup, clock, workers, posted, () -> setup.state().request(id).map(r -> r.status() == Request.Status.LOCKED).orElse(false));
            long until = clock.get() + 10_000;
            run(ledger, setup, clock, workers, posted, () -> clock.get() >= until);
            assertEquals(Request.Status.LOCKED, setup.state().request(id).orElseThrow().status(), "no claim: the lock stands until it runs out");
            assertTrue(posted.stream().noneMatch(tx -> contains(tx, seed) || contains(tx, StatementCodec.encode(List.of(x)))), "the input was not published");
        }
    }

    /** Blocks one second apart, the workers after each, every transaction kept, until {@code done} (at most 40). */
    private static void run(EmbeddedLedger<Market> ledger, MarketDriver setup, AtomicLong clock, List<StepWorker> workers, List<byte[]> posted,
                            BooleanSupplier done) throws IOException {
        for (int tick = 0; tick < 40 && !done.getAsBoolean(); tick++) {
            clock.addAndGet(1_000);
            Block b = ledger.produceBlock();
            assertTrue(b.outcomes().stream().allMatch(o -> o.accepted()), () -> "block " + b.height() + ": " + b.outcomes());
            posted.addAll(b.transactions());
            setup.checkInvariants();
            workers.forEach(w -> w.onBlock(ledger.read(Market::params), ledger.read(mk -> mk.state().requests()), b.timeMillis()));
        }
        assertTrue(done.getAsBoolean(), "not done after 40 blocks");
    }

    /** The values as consecutive 8-byte field elements (a proof's encoding of a tensor, either byte order). */
    private static byte[] fieldElements(long[] values, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(order);
        for (long v : values) {
            b.putLong(Goldilocks.fromSigned(v));
        }
        return b.array();
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
