package dev.verinfer.market;

import dev.verinfer.ledger.Block;
import dev.verinfer.ledger.BlockProducer;
import dev.verinfer.ledger.EmbeddedLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In-process load: N client threads × M prover threads (one a cheater) and a watcher on the
 * embedded ledger (fsync per block, wall-clock block times, a {@link BlockProducer}), with the stand-in
 * verifier, until 1,000 requests are final (verinfer.ledgerload.requests; the root pom's ci profile runs
 * 400, enough for every mode, the cheater's slashes and the watcher to occur many times). Reports
 * throughput and latency percentiles; the invariants must hold at the end and every request must be final.
 */
class LoadTest {
    private static final int CLIENTS = 32;
    private static final int PROVERS = 4;
    private static final int REQUESTS = Integer.getInteger("verinfer.ledgerload.requests", 1_000);
    private static final byte[] KEY = "load-model".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OUTPUT = {42};

    /** Honest or cheating stand-in inference for the fake verifier. */
    private record FakeInference(boolean honest) implements InferenceService {
        @Override
        public byte[] output(String modelId, byte[] input) {
            return honest ? OUTPUT : new byte[] {13};
        }

        @Override
        public byte[] prove(String modelId, byte[] input, byte[] context) {
            return FakeVerifier.proofOf(new Statement(modelId, input, honest ? OUTPUT : input));
        }

        @Override
        public byte[] proveBatch(String modelId, List<byte[]> inputs, byte[] context) {
            throw new UnsupportedOperationException("the fake verifier has no batch proofs");
        }
    }

    @Test
    void everyRequestUnderConcurrentLoadBecomesFinal(@TempDir Path dir) throws Exception {
        Signer op = MarketDriver.operator();
        MarketParams params = new MarketParams(MarketDriver.CHAIN, op.accountId(), 5_000, 100, 10_000, 2_000, 1_000, 10_000, 200, 5_000, 100,
                1_000, Mode.MAX_WINDOW_MILLIS, 200, 1_000, 2_500, 1_000, 10, 1);
        try (EmbeddedLedger<Market> ledger = EmbeddedLedger.open(dir, new Market(params, new FakeVerifier()),
                new EmbeddedLedger.Options(50, 10_000, System::currentTimeMillis))) {
            MarketAccount operator = new MarketAccount(op, ledger);
            List<Signer> clients = new ArrayList<>();
            List<Signer> provers = new ArrayList<>();
            for (int i = 0; i < CLIENTS + PROVERS + 1; i++) {
                Signer s = Signer.generate(MarketDriver.CHAIN);
                (i < CLIENTS ? clients : provers).add(s);
                operator.send(new Tx.Deposit(s.accountId(), 1_000_000));
            }
            ledger.produceBlock();
            MarketAccount owner = new MarketAccount(clients.getFirst(), ledger);
            owner.send(new Tx.RegisterModel(KEY, 1));
            List<MarketAccount> proverAccounts = provers.stream().map(p -> new MarketAccount(p, ledger)).toList();
            proverAccounts.forEach(p -> p.send(new Tx.RegisterProver(500_000)));
            ledger.produceBlock();
            String model = new FakeVerifier().modelId(KEY);

            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> threads = new ArrayList<>();
            BlockProducer producer = BlockProducer.start(ledger, Duration.ofMillis(2));
            for (int i = 0; i < PROVERS; i++) {
                ProverWorker worker = new ProverWorker(proverAccounts.get(i), new FakeInference(i > 0), Set.of(model), 5_000);
                threads.add(agent(ledger, running, b -> worker.onBlock(ledger, b)));
            }
            Watcher watcher = new Watcher(proverAccounts.get(PROVERS), new FakeInference(true), Set.of(model));
            threads.add(agent(ledger, running, b -> watcher.onBlock(ledger)));

            AtomicInteger issued = new AtomicInteger();
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            long start = System.nanoTime();
            List<Thread> clientThreads = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                MarketAccount client = c == 0 ? owner : new MarketAccount(clients.get(c), ledger);
                int n = c;
                clientThreads.add(Thread.ofPlatform().start(() -> {
                    for (int k = 0; issued.getAndIncrement() < REQUESTS; k++) {
                        Mode mode = switch ((n + k) % 3) {
                            case 0 -> new Mode.Zk();
                            case 1 -> new Mode.Optimistic(200);
                            // Without a sampling commitment every sampled result owes its proof: a window a loaded machine can meet.
                            default -> new Mode.Sampled(2_000, 5_000);
                        };
                        long t0 = System.nanoTime();
                        byte[] input = (client.id() + "/" + k).getBytes(StandardCharsets.US_ASCII);
                        client.send(new Tx.SubmitRequest(model, input, 1_000, System.currentTimeMillis() + 60_000, mode));
                        while (!ledger.read(m -> m.state().requests().stream()
                                .anyMatch(r -> r.client().equals(client.id()) && Arrays.equals(r.input(), input) && r.status().isFinal()))) {
                            sleep(5);
                        }
                        latencies.add((System.nanoTime() - t0) / 1_000_000);
                    }
                }));
            }
            for (Thread t : clientThreads) {
                t.join(120_000);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
            producer.close();
            assertEquals(Optional.empty(), producer.failure());
            List<Long> sorted = latencies.stream().sorted().toList();
            MarketState s = ledger.read(Market::state);
            System.out.printf("load: %d requests in %.1f s (%.0f/s), %d blocks, latency ms p50 %d p90 %d p99 %d max %d; %d payments, %d slashes%n",
                    sorted.size(), seconds, sorted.size() / seconds, ledger.height(), sorted.get(sorted.size() / 2), sorted.get(sorted.size() * 9 / 10),
                    sorted.get(sorted.size() * 99 / 100), sorted.getLast(), s.payments().size(), s.slashes().size());
            assertEquals(REQUESTS, sorted.size());
            assertEquals(List.of(), ledger.read(m -> Invariants.violations(m.state())));
            boolean allFinal = ledger.read(m -> m.state().requests().stream().allMatch(r -> r.status().isFinal()));
            assertTrue(allFinal, "every request settled or refunded");
            assertTrue(s.slashes().stream().allMatch(x -> x.prover().equals(provers.getFirst().accountId())),
                    () -> "only the cheater is slashed: " + s.slashes().stream().filter(x -> !x.prover().equals(provers.getFirst().accountId())).toList());
        }
    }

    /** A thread that calls {@code onBlock} with the newest block whenever the height changes. */
    private static Thread agent(EmbeddedLedger<Market> ledger, AtomicBoolean running, Consumer<Block> onBlock) {
        return Thread.ofPlatform().start(() -> {
            long seen = 0;
            while (running.get()) {
                long h = ledger.height();
                if (h > seen) {
                    seen = h;
                    onBlock.accept(ledger.blocks(h, 1).getFirst());
                } else {
                    sleep(1);
                }
            }
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
