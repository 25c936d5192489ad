package dev.verinfer.eth;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Load on anvil: 200 requests (verinfer.anvilload.requests; 80 in the root pom's ci profile), half ZK,
 * half OPTIMISTIC, by 4 clients, served by 3 provers racing for the locks, every one settled, value
 * conserved; prints throughput (wall time on a shared machine: indicative only, not asserted) and gas
 * per settled request, which is deterministic.
 */
class LoadTest {
    private static final int CLIENTS = 4;
    private static final int PROVERS = 3;
    private static final int REQUESTS = Integer.getInteger("verinfer.anvilload.requests", 200);
    private static final BigInteger FEE = BigInteger.valueOf(10_000);

    @Test
    void requestsByFourClientsAndThreeProversAllSettle() throws Exception {
        try (Chain chain = new Chain()) {
            World w = new World(chain, new GasLog());
            List<ChainAccount> clients = new ArrayList<>();
            List<ChainAccount> provers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(fund(w, chain.account("load-client-" + i), BigInteger.valueOf(2_000_000), false));
            }
            for (int i = 0; i < PROVERS; i++) {
                provers.add(fund(w, chain.account("load-prover-" + i), BigInteger.valueOf(1_000_000), true));
            }
            // Every prover sees every request and tries to lock it: the first lock wins, the others are refused.
            List<LinkedBlockingQueue<Long>> open = new ArrayList<>();
            for (int i = 0; i < PROVERS; i++) {
                open.add(new LinkedBlockingQueue<>());
            }
            ConcurrentHashMap<Long, Boolean> optimistic = new ConcurrentHashMap<>();
            ConcurrentHashMap<Long, byte[]> inputs = new ConcurrentHashMap<>();
            AtomicLong zkGas = new AtomicLong();
            AtomicLong optimisticGas = new AtomicLong();
            AtomicLong lostRaces = new AtomicLong();
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + PROVERS);
            List<Future<?>> work = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                ChainAccount client = clients.get(c);
                int first = c;
                work.add(pool.submit(() -> {
                    for (int k = first; k < REQUESTS; k += CLIENTS) {
                        boolean opt = k % 2 == 1;
                        EthMarket.Terms terms = opt ? new EthMarket.Terms.Optimistic(2) : new EthMarket.Terms.Zk();
                        Receipt r = w.market.as(client).submitRequest(w.modelId, input(k), FEE, chain.now() + 3_600, terms);
                        long id = w.market.requestId(r);
                        inputs.put(id, input(k));
                        (opt ? optimisticGas : zkGas).addAndGet(r.gasUsed());
                        if (opt) {
                            optimistic.put(id, true);
                        }
                        open.forEach(q -> q.add(id));
                    }
                    return null;
                }));
            }
            AtomicLong served = new AtomicLong();
            for (int i = 0; i < PROVERS; i++) {
                ChainAccount prover = provers.get(i);
                LinkedBlockingQueue<Long> mine = open.get(i);
                work.add(pool.submit(() -> {
                    EthMarket m = w.market.as(prover);
                    while (served.get() < REQUESTS) {
                        Long id = mine.poll(100, TimeUnit.MILLISECONDS);
                        if (id == null) {
                            continue;
                        }
                        Receipt lock;
                        try {
                            lock = m.lock(id);
                        } catch (ChainException e) {
                            lostRaces.incrementAndGet(); // another prover locked it first
                            continue;
                        }
                        EthMarket.RequestView r = m.request(id);
                        byte[] in = inputs.get(id);
                        byte[] out = ("output of " + id).getBytes(StandardCharsets.UTF_8);
                        Receipt result = r.mode() == EthMarket.Mode.ZK ? m.submitZkResult(id, out, in, w.honestProof(id, in, out)) : m.submitResult(id, out);
                        (r.mode() == EthMarket.Mode.ZK ? zkGas : optimisticGas).addAndGet(lock.gasUsed() + result.gasUsed());
                        served.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(10, TimeUnit.MINUTES);
            }
            pool.shutdown();
            chain.advanceTime(2);
            for (long id : optimistic.keySet()) {
                optimisticGas.addAndGet(w.market.advance(id).gasUsed());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            for (long id = 1; id <= REQUESTS; id++) {
                assertEquals(EthMarket.Status.SETTLED, w.market.request(id).status(), "request " + id);
            }
            w.checkConservation();
            System.out.printf("load on anvil: %d requests (%d ZK, %d OPTIMISTIC) by %d clients, %d provers: all settled in %.1f s, %.1f requests/s "
                            + "(wall time, shared machine); %d lock races lost; gas per settled request: ZK %d (+ verifier), OPTIMISTIC %d%n",
                    REQUESTS, REQUESTS - optimistic.size(), optimistic.size(), CLIENTS, PROVERS, seconds, REQUESTS / seconds, lostRaces.get(),
                    zkGas.get() / (REQUESTS - optimistic.size()), optimisticGas.get() / optimistic.size());
        }
    }

    private static byte[] input(long k) {
        return ("input " + k).getBytes(StandardCharsets.UTF_8);
    }

    private static ChainAccount fund(World w, ChainAccount a, BigInteger amount, boolean prover) {
        w.join(a);
        w.token.transfer(a.address(), amount);
        new Erc20(a, w.token.address()).approve(w.market.address(), amount);
        w.market.as(a).deposit(amount);
        if (prover) {
            w.market.as(a).registerProver(amount);
        }
        return a;
    }
}
