package dev.verinfer.market;

import dev.verinfer.ledger.Block;
import dev.verinfer.ledger.EmbeddedLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BatchingProver} on the embedded ledger with real alexa_v0.1 proofs: four ZK requests and
 * an OPTIMISTIC one come at once. A cheater with the lower ask locks them all, proves the four ZK
 * ones in one (invalid) batch proof and is slashed on each of the four; an honest batching prover
 * then settles the four in one batch proof and the optimistic one on its own, each paid. Pipelined
 * (proving on its own thread), a prover locks four requests that come together in one LockRequests and
 * settles them in one batch proof, each paid. Two pipelined provers of one process: the one collecting
 * locks each wave of requests (the other, though asking less, leaves them) and proves it in one proof;
 * once it has stopped the other collects. Invariants are checked after every block.
 */
class BatchingProverTest {
    /** The cheater's batch proof: a proof made for another context (another prover's batch), so it does not verify here. */
    private record Copying(ZkmlInference honest) implements InferenceService {
        @Override
        public byte[] output(String modelId, byte[] input) {
            return honest.output(modelId, input);
        }

        @Override
        public byte[] prove(String modelId, byte[] input, byte[] context) {
            return honest.prove(modelId, input, new byte[32]);
        }

        @Override
        public byte[] proveBatch(String modelId, List<byte[]> inputs, byte[] context) {
            return honest.proveBatch(modelId, inputs, new byte[32]);
        }
    }

    @Test
    void aCheaterIsSlashedForItsWholeBatchThenAnHonestProverSettlesTheBatchInOneProof(@TempDir Path dir) throws Exception {
        AlexaFlows flows = AlexaFlows.get();
        Alexa alexa = flows.alexa;
        AtomicLong clock = new AtomicLong();
        Signer op = MarketDriver.operator();
        try (EmbeddedLedger<Market> ledger = MarketDriver.openZkmlLedger(dir, clock, op)) {
            MarketDriver setup = MarketDriver.onLedger(ledger, clock, op);
            Signer owner = setup.account(1_000);
            Signer client = setup.account(100_000);
            Signer honest = setup.account(10_000);
            Signer cheater = setup.account(10_000);
            setup.ok(owner, new Tx.RegisterModel(alexa.verifyingKey, 50));
            setup.ok(honest, new Tx.RegisterProver(8_000));
            setup.ok(cheater, new Tx.RegisterProver(8_000));
            String model = alexa.provingKey.verifyingKey().modelIdHex();

            ZkmlInference zkml = new ZkmlInference(List.of(alexa.provingKey));
            BatchingProver good = new BatchingProver(new MarketAccount(honest, ledger), zkml, Set.of(model), 6_000, BatchingProver.Policy.DERIVED, 0);
            BatchingProver bad = new BatchingProver(new MarketAccount(cheater, ledger), new Copying(zkml), Set.of(model), 5_000,
                    new BatchingProver.Policy(8, 0), 0);
            MarketAccount buyer = new MarketAccount(client, ledger);
            List<Long> zk = submitZk(setup, buyer, model, flows.inputs);
            long optimistic = zk.getLast() + 1;
            buyer.send(new Tx.SubmitRequest(model, flows.inputs.getFirst(), 2_000, setup.now() + 300_000, new Mode.Optimistic(5_000)));
            for (int tick = 0; tick < 40 && (setup.state().requests().size() < 5 || !setup.state().requests().stream().allMatch(r -> r.status().isFinal())); tick++) {
                clock.addAndGet(1_000);
                Block b = ledger.produceBlock();
                assertEquals("", b.outcomes().stream().filter(o -> !o.accepted() && !o.reason().contains("prover slashed")).map(o -> o.reason() + "; ").reduce("", String::concat), "block " + b.height());
                setup.checkInvariants();
                bad.onBlock(ledger.read(Market::params), ledger.read(m -> m.state().requests()), b.timeMillis());
                good.onBlock(ledger.read(Market::params), ledger.read(m -> m.state().requests()), b.timeMillis());
            }
            MarketState s = setup.state();
            assertEquals(zk, s.slashes().stream().map(Slash::requestId).toList(), "the cheater is slashed on every request of its batch: " + s.slashes());
            assertTrue(s.slashes().stream().allMatch(x -> x.prover().equals(cheater.accountId()) && x.cause().startsWith("invalid batch proof")), s.slashes().toString());
            assertEquals(new BatchingProver.Counts(1, 4, 0), bad.counts());

            for (long id = zk.getFirst(); id <= optimistic; id++) {
                Request r = s.request(id).orElseThrow();
                assertEquals(Request.Status.SETTLED, r.status(), "request " + id + " (" + r.mode() + ")");
            }
            assertEquals(new BatchingProver.Counts(1, 4, 0), good.counts(), "the honest prover settles the four ZK requests in one batch proof");
            for (long id : zk) {
                assertEquals(honest.accountId(), s.request(id).orElseThrow().lock().prover());
                assertEquals(1, s.payments().stream().filter(p -> p.requestId() == id && p.prover().equals(honest.accountId())).count(), "paid for request " + id);
            }
            assertEquals(cheater.accountId(), s.request(optimistic).orElseThrow().lock().prover(), "the optimistic request is served singly, honestly, by the cheater");
        }
    }

    @Test
    void aPipelinedProverLocksTogetherProvesOnItsOwnThreadAndIsPaidForEachRequest(@TempDir Path dir) throws Exception {
        AlexaFlows flows = AlexaFlows.get();
        Alexa alexa = flows.alexa;
        AtomicLong clock = new AtomicLong();
        Signer op = MarketDriver.operator();
        try (EmbeddedLedger<Market> ledger = MarketDriver.openZkmlLedger(dir, clock, op)) {
            Parties parties = Parties.on(ledger, clock, op, alexa);
            MarketDriver setup = parties.setup();
            Signer client = parties.client(), honest = parties.honest();
            String model = alexa.provingKey.verifyingKey().modelIdHex();
            try (BatchingProver p = pipelined(honest, ledger, new ZkmlInference(List.of(alexa.provingKey)), model, 5_000)) {
                List<Long> zk = submitZk(setup, new MarketAccount(client, ledger), model, flows.inputs);
                List<Block> blocks = new java.util.ArrayList<>();
                for (int tick = 0; tick < 600 && !zk.stream().allMatch(id -> setup.state().request(id).map(r -> r.status().isFinal()).orElse(false)); tick++) {
                    clock.addAndGet(100);
                    Block b = ledger.produceBlock();
                    blocks.add(b);
                    setup.checkInvariants();
                    p.onBlock(ledger.read(Market::params), ledger.read(m -> m.state().requests()), b.timeMillis());
                    Thread.sleep(50);
                }
                MarketState s = setup.state();
                for (long id : zk) {
                    assertEquals(Request.Status.SETTLED, s.request(id).orElseThrow().status(), "request " + id);
                    assertEquals(1, s.payments().stream().filter(x -> x.requestId() == id && x.prover().equals(honest.accountId())).count(), "paid for request " + id);
                }
                assertEquals(new BatchingProver.Counts(1, zk.size(), 0), p.counts(), "one batch proof for the requests that came together");
                assertEquals(1, blocks.stream().flatMap(b -> b.transactions().stream()).filter(tx -> SignedTx.decode(tx).body() instanceof Tx.LockRequests).count(),
                        "the four locked in one transaction");
                assertEquals(List.of(), s.slashes());
            }
        }
    }

    @Test
    void pipelinedProversOfOneProcessLeaveAModelsRequestsToTheOneCollectingThemSoAWaveIsOneProof(@TempDir Path dir) throws Exception {
        AlexaFlows flows = AlexaFlows.get();
        Alexa alexa = flows.alexa;
        AtomicLong clock = new AtomicLong();
        Signer op = MarketDriver.operator();
        try (EmbeddedLedger<Market> ledger = MarketDriver.openZkmlLedger(dir, clock, op)) {
            Parties parties = Parties.on(ledger, clock, op, alexa);
            MarketDriver setup = parties.setup();
            Signer other = setup.account(10_000);
            setup.ok(other, new Tx.RegisterProver(8_000));
            String model = alexa.provingKey.verifyingKey().modelIdHex();
            ZkmlInference zkml = new ZkmlInference(List.of(alexa.provingKey));
            // The second prover asks less: alone it would lock every request first.
            BatchingProver first = pipelined(parties.honest(), ledger, zkml, model, 5_000);
            try (BatchingProver second = pipelined(other, ledger, zkml, model, 1_000)) {
                MarketAccount buyer = new MarketAccount(parties.client(), ledger);
                // The first sees a block before any request comes: it collects; in each block after, the second looks first.
                Block start = ledger.produceBlock();
                first.onBlock(ledger.read(Market::params), ledger.read(m -> m.state().requests()), start.timeMillis());
                List<List<Long>> waves = new java.util.ArrayList<>();
                for (int wave = 0; wave < 3; wave++) {
                    if (wave == 2) {
                        first.close();
                    }
                    List<Long> ids = submitZk(setup, buyer, model, flows.inputs);
                    waves.add(ids);
                    for (int tick = 0; tick < 600 && !ids.stream().allMatch(id -> setup.state().request(id).map(r -> r.status().isFinal()).orElse(false)); tick++) {
                        clock.addAndGet(100);
                        Block b = ledger.produceBlock();
                        setup.checkInvariants();
                        for (BatchingProver p : wave < 2 ? List.of(second, first) : List.of(second)) {
                            p.onBlock(ledger.read(Market::params), ledger.read(m -> m.state().requests()), b.timeMillis());
                        }
                        Thread.sleep(50);
                    }
                }
                MarketState s = setup.state();
                for (int wave = 0; wave < 3; wave++) {
                    // The first collects the first wave; after its proof took the lane either may collect; the second once the first stopped.
                    String collector = wave == 0 ? parties.honest().accountId() : wave == 2 ? other.accountId()
                            : s.request(waves.get(1).getFirst()).orElseThrow().lock().prover();
                    for (long id : waves.get(wave)) {
                        assertEquals(Request.Status.SETTLED, s.request(id).orElseThrow().status(), "request " + id);
                        assertEquals(collector, s.request(id).orElseThrow().lock().prover(), "wave " + wave + ": the collector locked request " + id);
                    }
                }
                assertEquals(new BatchingProver.Counts(3, 12, 0), new BatchingProver.Counts(first.counts().batches() + second.counts().batches(),
                        first.counts().batchedRequests() + second.counts().batchedRequests(), first.counts().singles() + second.counts().singles()), "a proof per wave");
                assertEquals(List.of(), s.slashes());
            }
        }
    }

    /** A pipelined batching prover on the derived policy, asking {@code askBps}. */
    private static BatchingProver pipelined(Signer prover, EmbeddedLedger<Market> ledger, ZkmlInference zkml, String model, int askBps) {
        return new BatchingProver(new MarketAccount(prover, ledger), zkml, Set.of(model), askBps, BatchingProver.Policy.DERIVED, 0).pipelined(() -> {
        });
    }

    /** One ZK request per input, sent by the buyer in that order: their ids. */
    private static List<Long> submitZk(MarketDriver setup, MarketAccount buyer, String model, List<byte[]> inputs) {
        long from = setup.state().nextRequestId();
        for (byte[] input : inputs) {
            buyer.send(new Tx.SubmitRequest(model, input, 2_000, setup.now() + 300_000, new Mode.Zk()));
        }
        return LongStream.range(from, from + inputs.size()).boxed().toList();
    }

    /** A ledger's driver with alexa registered by its owner, a funded client and one honest prover staked. */
    private record Parties(MarketDriver setup, Signer client, Signer honest) {
        static Parties on(EmbeddedLedger<Market> ledger, AtomicLong clock, Signer op, Alexa alexa) {
            MarketDriver setup = MarketDriver.onLedger(ledger, clock, op);
            Signer owner = setup.account(1_000);
            Signer client = setup.account(100_000);
            Signer honest = setup.account(10_000);
            setup.ok(owner, new Tx.RegisterModel(alexa.verifyingKey, 50));
            setup.ok(honest, new Tx.RegisterProver(8_000));
            return new Parties(setup, client, honest);
        }
    }

    /** The honest service with a lower bound on a batch than the market's, as a model with a large plan has. */
    private record Bounded(ZkmlInference honest, int bound) implements InferenceService {
        @Override
        public byte[] output(String modelId, byte[] input) {
            return honest.output(modelId, input);
        }

        @Override
        public byte[] prove(String modelId, byte[] input, byte[] context) {
            return honest.prove(modelId, input, context);
        }

        @Override
        public byte[] proveBatch(String modelId, List<byte[]> inputs, byte[] context) {
            return honest.proveBatch(modelId, inputs, context);
        }

        @Override
        public int maxBatch(String modelId) {
            return bound;
        }
    }

    @Test
    void aBatchIsSplitAtTheModelsBoundAndAlexaTakesTheMarketsWholeBatch(@TempDir Path dir) throws Exception {
        AlexaFlows flows = AlexaFlows.get();
        Alexa alexa = flows.alexa;
        ZkmlInference zkml = new ZkmlInference(List.of(alexa.provingKey));
        String model = alexa.provingKey.verifyingKey().modelIdHex();
        assertTrue(zkml.maxBatch(model) >= Batches.MAX_BATCH, "alexa's verifying key accepts the market's largest batch: " + zkml.maxBatch(model));
        AtomicLong clock = new AtomicLong();
        Signer op = MarketDriver.operator();
        try (EmbeddedLedger<Market> ledger = MarketDriver.openZkmlLedger(dir, clock, op)) {
            Parties parties = Parties.on(ledger, clock, op, alexa);
            MarketDriver setup = parties.setup();
            Signer client = parties.client(), honest = parties.honest();
            BatchingProver p = new BatchingProver(new MarketAccount(honest, ledger), new Bounded(zkml, 2), Set.of(model), 5_000, BatchingProver.Policy.DERIVED, 0);
            submitZk(setup, new MarketAccount(client, ledger), model, flows.inputs);
            for (int tick = 0; tick < 40 && (setup.state().requests().isEmpty() || !setup.state().requests().stream().allMatch(r -> r.status().isFinal())); tick++) {
                clock.addAndGet(1_000);
                Block b = ledger.produceBlock();
                setup.checkInvariants();
                p.onBlock(ledger.read(Market::params), ledger.read(m -> m.state().requests()), b.timeMillis());
            }
            assertTrue(setup.state().requests().stream().allMatch(r -> r.status() == Request.Status.SETTLED), setup.state().requests().toString());
            assertEquals(new BatchingProver.Counts(flows.inputs.size() / 2, flows.inputs.size(), 0), p.counts(), "batches of the model's bound, 2");
            assertEquals(List.of(), setup.state().slashes());
        }
    }

    /**
     * A model whose proofs hold one inference each (a verifier session's listing on a chain: {@code maxBatch} 1) is proven request by
     * request, so a batching prover counts one proof per ZK lock: with a proving estimate of 0.6 of the lock window it locks one of
     * four requests that come together, where a batchable model's four fit one proof and are locked at once (the control).
     * Counting a batch per proof for such a model made a loaded prover lock more than it could prove in time, and be slashed SILENT
     * (scripts/market-load --chain with the session: 3 of 100 ZK requests at load 10).
     */
    @Test
    void aModelProvenRequestByRequestIsLockedOnlyAsFarAsItsProofsFitTheLock(@TempDir Path dir) throws Exception {
        assertEquals(1, zkLocksInTheFirstBlockThatLocks(dir.resolve("single"), 1), "one proof a request: one lock of the four");
        assertEquals(AlexaFlows.get().inputs.size(), zkLocksInTheFirstBlockThatLocks(dir.resolve("batch"), Batches.MAX_BATCH), "one batch proof: all locked at once");
    }

    private static long zkLocksInTheFirstBlockThatLocks(Path dir, int bound) throws Exception {
        AlexaFlows flows = AlexaFlows.get();
        Alexa alexa = flows.alexa;
        AtomicLong clock = new AtomicLong();
        Signer op = MarketDriver.operator();
        try (EmbeddedLedger<Market> ledger = MarketDriver.openZkmlLedger(dir, clock, op)) {
            Parties parties = Parties.on(ledger, clock, op, alexa);
            MarketDriver setup = parties.setup();
            String model = alexa.provingKey.verifyingKey().modelIdHex();
            long estimate = (long) (0.3 * Math.min(ledger.read(Market::params).lockMillis(), 250_000)); // SAFETY × 0.3 = 0.6 of the window
            BatchingProver p = new BatchingProver(new MarketAccount(parties.honest(), ledger), new Bounded(new ZkmlInference(List.of(alexa.provingKey)), bound),
                    Set.of(model), 5_000, BatchingProver.Policy.DERIVED, estimate);
            submitZk(setup, new MarketAccount(parties.client(), ledger), model, flows.inputs);
            for (int tick = 0; tick < 40; tick++) {
                clock.addAndGet(1_000);
                Block b = ledger.produceBlock();
                setup.checkInvariants();
                long locked = setup.state().requests().stream().filter(r -> r.lock() != null).count();
                if (locked > 0) {
                    return locked;
                }
                p.onBlock(ledger.read(Market::params), ledger.read(m -> m.state().requests()), b.timeMillis());
            }
            throw new AssertionError("nothing locked in 40 blocks");
        }
    }

    @Test
    void aPolicyOutsideTheMarketsBatchBoundsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BatchingProver.Policy(Batches.MAX_BATCH + 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new BatchingProver.Policy(4, -2));
    }
}
