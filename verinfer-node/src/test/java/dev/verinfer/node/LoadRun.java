package dev.verinfer.node;

import dev.verinfer.api.RequestView;
import dev.verinfer.api.TxResult;
import dev.verinfer.client.MarketClient;
import dev.verinfer.client.NodeException;
import dev.verinfer.client.RemoteAccount;
import dev.verinfer.client.RemoteAgent;
import dev.verinfer.market.BatchingProver;
import dev.verinfer.market.Mode;
import dev.verinfer.market.Request;
import dev.verinfer.market.Tx;
import dev.verinfer.market.ZkmlInference;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.verinfer.node.MarketFixture.id;
import static dev.verinfer.node.MarketFixture.ok;

/**
 * Load over HTTP: a node process, N client threads each posting requests one after another and
 * waiting until each is final, M prover agents and a watcher (threads of this JVM, over HTTP) on
 * the real alexa_v0.1 (requests in all three modes, real proofs); optionally the node killed with
 * SIGKILL and restarted on the same directory and port, again and again, meanwhile. Every
 * transaction the API answered as committed (the clients', the agents' and the set-up's) is recorded.
 */
final class LoadRun {
    record Report(int requests, double seconds, long p50, long p90, long p99, long max, long blocks, int settled, int refunded, int slashes,
                  int restarts, int acknowledged, List<String> lost, List<String> violations, List<String> slashCauses, long journalBytes,
                  Adversaries adversaries, int proofs, String phases) {
        /** Proofs the honest provers sent (single ones, and batch proofs counted once) per settled request. */
        double proofsPerSettled() {
            return settled == 0 ? 0 : (double) proofs / settled;
        }

        /** One row of the side-by-side table: settled/s, p50, p99, proofs per settled request, journal bytes per request. */
        String row(String label) {
            return String.format("| %-22s | %5d | %7.1f | %6d | %6d | %5.3f | %7.0f |", label, requests, settled / seconds, p50, p99, proofsPerSettled(),
                    (double) journalBytes / requests);
        }

        String describe() {
            return (slashCauses.isEmpty() || adversaries != null ? "" : "slashed: " + slashCauses + "; ")
                    + String.format("%d requests in %.1f s (%.1f/s), latency ms p50 %d p90 %d p99 %d max %d; %d blocks, %d settled, %d refunded, %d slashes; "
                            + "%d node restarts, %d committed transactions checked, %d lost, %d invariant violations; journal %.1f MB (%.1f MB per 1,000 requests)",
                    requests, seconds, requests / seconds, p50, p90, p99, max, blocks, settled, refunded, slashes, restarts, acknowledged, lost.size(),
                    violations.size(), journalBytes / 1e6, journalBytes / 1e6 * 1_000 / requests)
                    + String.format("; %d proofs (%.3f per settled request)", proofs, proofsPerSettled())
                    + (adversaries == null ? "" : "; " + adversaries.describe())
                    + (phases.isEmpty() ? "" : "; " + phases);
        }
    }

    /**
     * What the adversaries mixed into the load did and what it cost them: a cheating prover (lower
     * ask, wrong outputs, invalid proofs), a spammer (refused transactions, far-future nonces), a
     * griefing client (inputs beyond the calibrated bound).
     */
    record Adversaries(long cheaterNet, int cheaterSlashes, int spam, int spamHeld, long spammerNet, int griefs, long grieferNet) {
        String describe() {
            return String.format("adversaries: cheater slashed %d times, net %+d; spammer sent %d refused transactions (%d far-future ones refused unjournaled), net %+d;"
                    + " griefing client sent %d unprovable inputs, net %+d", cheaterSlashes, cheaterNet, spam, spamHeld, spammerNet, griefs, grieferNet);
        }
    }

    private final MarketFixture f;
    private final Path dir;
    private final int clients;
    private final int provers;
    private final Queue<TxResult> acknowledged = new ConcurrentLinkedQueue<>();
    private volatile NodeProcess node;
    private int port;
    private KeyPair operator;

    private final boolean adversarial;
    private BatchingProver.Policy batching;
    private boolean zkOnly;
    private int window = 1;
    private final AtomicInteger proofs = new AtomicInteger();
    /** Each proof the honest provers made: {inferences, milliseconds}. */
    private final Queue<long[]> proving = new ConcurrentLinkedQueue<>();
    /** Wall-clock milliseconds a windowed client submitted each request and first saw it final. */
    private final java.util.Map<Long, long[]> clientTimes = new java.util.concurrent.ConcurrentHashMap<>();

    LoadRun(MarketFixture f, Path dir, int clients, int provers) {
        this(f, dir, clients, provers, false);
    }

    /** @param adversarial whether a cheating prover, a spammer and a griefing client run alongside the honest parties */
    LoadRun(MarketFixture f, Path dir, int clients, int provers, boolean adversarial) {
        this.f = f;
        this.dir = dir;
        this.clients = clients;
        this.provers = provers;
        this.adversarial = adversarial;
    }

    /** Provers that batch their ZK requests under {@code policy} ({@link RemoteAgent#batchingProver}) instead of proving each alone. */
    LoadRun batching(BatchingProver.Policy policy) {
        this.batching = policy;
        return this;
    }

    /** Every request in ZK mode (else a mix: a fifth ZK, two fifths OPTIMISTIC, two fifths SAMPLED). */
    LoadRun zkOnly() {
        this.zkOnly = true;
        return this;
    }

    /** Each client keeps {@code requests} requests in flight (a sliding window). */
    LoadRun window(int requests) {
        this.window = requests;
        return this;
    }

    private NodeProcess startNode() throws Exception {
        return NodeProcess.start(dir.resolve("node.err"), "node", "--data", dir.resolve("ledger"), "--port", port, "--operator", id(operator),
                "--params", f.params("{\"rampMillis\": 200, \"lockMillis\": 30000, \"responseMillis\": 30000, \"minWindowMillis\": 300}"), "--block-millis", 20);
    }

    Report run(int requests, int kills) throws Exception {
        port = MarketFixture.freePort();
        operator = f.key("operator");
        node = startNode();
        MarketClient api = new MarketClient(node.uri());
        KeyPair owner = f.key("owner");
        List<KeyPair> buyers = new ArrayList<>();
        List<KeyPair> servers = new ArrayList<>();
        for (int i = 0; i < clients; i++) buyers.add(f.key("client-" + i));
        for (int i = 0; i <= provers; i++) servers.add(f.key("prover-" + i));
        KeyPair cheater = f.key("cheater"), spammer = f.key("spammer"), griefer = f.key("griefer");
        RemoteAccount op = RemoteAccount.of(api, operator);
        if (adversarial) {
            for (KeyPair k : List.of(cheater, spammer, griefer)) op.send(new Tx.Deposit(id(k), 100_000_000));
        }
        for (KeyPair k : buyers) op.send(new Tx.Deposit(id(k), 10_000_000));
        for (KeyPair k : servers) op.send(new Tx.Deposit(id(k), 100_000_000));
        op.send(new Tx.Deposit(id(owner), 1_000));
        record(op.flush().stream().map(RemoteAccount.Sent::result).toList());
        record(List.of(RemoteAccount.of(api, owner).submit(new Tx.RegisterModel(f.alexa.verifyingKey().toBytes(), 5))));
        for (int i = 0; i < provers; i++) record(List.of(RemoteAccount.of(api, servers.get(i)).submit(new Tx.RegisterProver(90_000_000))));
        if (adversarial) record(List.of(RemoteAccount.of(api, cheater).submit(new Tx.RegisterProver(90_000_000))));
        long[] adversaryStart = adversarial ? new long[] {holdings(api, cheater), holdings(api, spammer), holdings(api, griefer)} : null;

        ZkmlInference real = new ZkmlInference(List.of(f.alexa));
        dev.verinfer.market.InferenceService zkml = new dev.verinfer.market.InferenceService() {
            @Override public byte[] output(String modelId, byte[] input) {
                return real.output(modelId, input);
            }

            @Override public byte[] prove(String modelId, byte[] input, byte[] context) {
                long t = System.nanoTime();
                byte[] p = real.prove(modelId, input, context);
                proving.add(new long[] {1, (System.nanoTime() - t) / 1_000_000});
                return p;
            }

            @Override public byte[] proveBatch(String modelId, List<byte[]> inputs, byte[] context) {
                long t = System.nanoTime();
                byte[] p = real.proveBatch(modelId, inputs, context);
                proving.add(new long[] {inputs.size(), (System.nanoTime() - t) / 1_000_000});
                return p;
            }
        };
        RemoteAgent.Log agentLog = new RemoteAgent.Log() {
            @Override public void sent(RemoteAccount.Sent sent) {
                acknowledged.add(sent.result());
                if (switch (sent.body()) {
                    case Tx.SubmitResult r -> r.proof().length > 0;
                    case Tx.SubmitProof p -> true;
                    case Tx.SubmitBatchResult b -> true;
                    default -> false;
                }) proofs.incrementAndGet();
            }

            @Override public void note(String line) {
                // lost contact with the node while it was killed: expected
            }
        };
        List<RemoteAgent> agents = new ArrayList<>();
        for (int i = 0; i < provers; i++) {
            RemoteAccount server = RemoteAccount.of(api, servers.get(i));
            agents.add(batching == null ? RemoteAgent.prover(api, server, zkml, Set.of(f.model), 5_000, agentLog)
                    : RemoteAgent.batchingProver(api, server, zkml, Set.of(f.model), 5_000, batching, agentLog));
        }
        agents.add(RemoteAgent.watcher(api, RemoteAccount.of(api, servers.get(provers)), zkml, Set.of(f.model), agentLog));
        // The cheater's transactions are checked as committed, its proofs not counted.
        if (adversarial) agents.add(RemoteAgent.prover(api, RemoteAccount.of(api, cheater), f.cheat(), Set.of(f.model), 4_000, new RemoteAgent.Log() {
            @Override public void sent(RemoteAccount.Sent sent) {
                acknowledged.add(sent.result());
            }

            @Override public void note(String line) {
                // lost contact with the node while it was killed: expected
            }
        }));
        List<Thread> agentThreads = agents.stream().map(a -> Thread.ofPlatform().start(a)).toList();
        java.util.concurrent.atomic.AtomicBoolean adversariesRunning = new java.util.concurrent.atomic.AtomicBoolean(adversarial);
        AtomicInteger spam = new AtomicInteger(), spamHeld = new AtomicInteger(), griefs = new AtomicInteger();
        List<Thread> adversaryThreads = !adversarial ? List.of() : List.of(Thread.ofPlatform().start(() -> {
            RemoteAccount account = RemoteAccount.of(api, spammer);
            dev.verinfer.market.Signer signer = new dev.verinfer.market.Signer(spammer, api.market().chainId());
            while (adversariesRunning.get()) {
                try {
                    TxResult r = account.submit(new Tx.LockRequest(Long.MAX_VALUE));
                    acknowledged.add(r);
                    spam.incrementAndGet();
                    long nonce = api.account(id(spammer)).orElseThrow().nonce();
                    try {
                        api.submit(signer.sign(nonce + 100_000, new Tx.Withdraw(1)));
                    } catch (NodeException e) {
                        if (e.status() == 429) spamHeld.incrementAndGet();
                    }
                    Thread.sleep(50);
                } catch (NodeException | InterruptedException e) {
                    // the node restarting: try again
                }
            }
        }), Thread.ofPlatform().start(() -> {
            RemoteAccount account = RemoteAccount.of(api, griefer);
            byte[] unprovable = dev.verinfer.market.StatementCodec.encode(List.of(new long[] {Long.MAX_VALUE / 2}));
            while (adversariesRunning.get()) {
                try {
                    TxResult r = account.submit(new Tx.SubmitRequest(f.model, unprovable, 2_000, api.head().timeMillis() + 120_000, new Mode.Sampled(1_000, 30_000)));
                    acknowledged.add(r);
                    griefs.incrementAndGet();
                    Thread.sleep(200);
                } catch (NodeException | InterruptedException e) {
                    // the node restarting: try again
                }
            }
        }));

        AtomicInteger remaining = new AtomicInteger(requests);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        long nodeCpu = node.cpuMillis(), ownCpu = processCpuMillis();
        List<Thread> clientThreads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            RemoteAccount buyer = RemoteAccount.of(api, buyers.get(c));
            int n = c;
            clientThreads.add(Thread.ofPlatform().start(() -> {
                try {
                    long last = 0;
                    if (window > 1) {
                        windowed(api, buyer, latencies, remaining);
                        return;
                    }
                    for (int k = 0; remaining.getAndDecrement() > 0; k++) {
                        long t0 = System.nanoTime();
                        Mode mode = zkOnly ? new Mode.Zk() : switch ((n + k) % 5) {
                            case 0 -> new Mode.Zk();
                            case 1, 2 -> new Mode.Optimistic(300);
                            default -> new Mode.Sampled(1_000, 30_000);
                        };
                        last = post(api, buyer, mode, last);
                        long id = last;
                        untilFinal(api, id);
                        latencies.add((System.nanoTime() - t0) / 1_000_000);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        // Kill i of k once 0.8·i/k of the requests are answered and the restarted node has answered one more: the kills
        // follow the run's progress with a fifth left after the last (a timed schedule let a faster market finish first).
        int restarts = 0;
        long answeredAtRestart = 0;
        while (restarts < kills && clientThreads.stream().anyMatch(Thread::isAlive)) {
            long due = Math.max(answeredAtRestart + 1, (long) (0.8 * requests * (restarts + 1) / kills));
            while (latencies.size() < due && clientThreads.stream().anyMatch(Thread::isAlive)) Thread.sleep(20);
            if (latencies.size() < due) break;
            node.kill9();
            node = startNode();
            restarts++;
            answeredAtRestart = latencies.size();
        }
        for (Thread t : clientThreads) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        // CPU of the load phase (the node's since its last start if it was killed meanwhile).
        String cpu = String.format("; CPU s: node %.1f, this JVM (clients, agents, proofs) %.1f, proving wall %.1f",
                (node.cpuMillis() - (kills == 0 ? nodeCpu : 0)) / 1e3, (processCpuMillis() - ownCpu) / 1e3, proving.stream().mapToLong(x -> x[1]).sum() / 1e3);
        adversariesRunning.set(false);
        for (Thread t : adversaryThreads) t.join();
        if (!failures.isEmpty()) throw new AssertionError("a client failed", failures.getFirst());
        MarketFixture.await("every request final", 120_000, () -> retrying(() -> MarketFixture.allFinal(api, "")));
        agents.forEach(RemoteAgent::stop);
        for (Thread t : agentThreads) t.join();

        List<String> lost = new ArrayList<>();
        for (TxResult ack : acknowledged) {
            if (!api.block(ack.height()).transactions().contains(ack)) lost.add(ack.toString());
        }
        List<RequestView> all = api.requests("");
        List<Long> sorted = latencies.stream().sorted().toList();
        Report r = new Report(sorted.size(), seconds, sorted.get(sorted.size() / 2), sorted.get(sorted.size() * 9 / 10), sorted.get(sorted.size() * 99 / 100),
                sorted.getLast(), api.head().height(), (int) all.stream().filter(x -> x.status() == Request.Status.SETTLED).count(),
                (int) all.stream().filter(x -> x.status() == Request.Status.REFUNDED).count(), api.slashes().size(), restarts, acknowledged.size(), lost,
                api.invariantViolations(), api.slashes().stream().map(x -> "#" + x.requestId() + " " + x.cause()).toList(),
                java.nio.file.Files.size(dir.resolve("ledger").resolve("journal.log")),
                !adversarial ? null : new Adversaries(holdings(api, cheater) - adversaryStart[0],
                        (int) api.slashes().stream().filter(x -> x.prover().equals(id(cheater))).count(), spam.get(), spamHeld.get(),
                        holdings(api, spammer) - adversaryStart[1], griefs.get(), holdings(api, griefer) - adversaryStart[2]), proofs.get(),
                phases(all) + cpu);
        node.terminate();
        return r;
    }

    /**
     * A client with {@link #window} requests in flight: it tops its window up in one call (one block)
     * whenever requests have become final, follows its requests on the node's change feed (a long poll
     * answered when one of them changed), and records each one's latency (from its submission) when it
     * is first seen final. Not for the kill -9 phase (a submission the node never answered is not retried).
     */
    private void windowed(MarketClient api, RemoteAccount buyer, List<Long> latencies, AtomicInteger remaining) throws InterruptedException {
        long last = 0;
        long height = api.head().height();
        java.util.Map<Long, Long> open = new java.util.HashMap<>();
        while (true) {
            int n = 0;
            while (open.size() + n < window && remaining.getAndDecrement() > 0) n++;
            if (n > 0) {
                long t0 = System.nanoTime();
                long deadline = api.head().timeMillis() + 120_000;
                for (int i = 0; i < n; i++) {
                    buyer.send(new Tx.SubmitRequest(f.model, f.input, 1_000, deadline, zkOnly ? new Mode.Zk() : new Mode.Optimistic(300)));
                }
                for (RemoteAccount.Sent sent : buyer.flush()) {
                    ok(sent.result());
                    acknowledged.add(sent.result());
                }
                List<Long> ids = api.requests("client=" + buyer.id() + "&after=" + last + "&limit=" + n).stream().map(RequestView::id).toList();
                last = ids.getLast();
                long wall = System.currentTimeMillis() - (System.nanoTime() - t0) / 1_000_000;
                for (long id : ids) {
                    clientTimes.put(id, new long[] {wall, 0});
                    open.put(id, t0);
                }
            }
            if (open.isEmpty()) return;
            dev.verinfer.api.Changes changes = api.changes(height, 1_000, "client=" + buyer.id());
            height = changes.head().height();
            // A reset lists the live requests only: an open one missing from it is final.
            java.util.Set<Long> live = new java.util.HashSet<>();
            changes.requests().stream().filter(r -> !r.status().isFinal()).forEach(r -> live.add(r.id()));
            List<Long> done = changes.reset() ? open.keySet().stream().filter(id -> !live.contains(id)).toList()
                    : changes.requests().stream().filter(r -> r.status().isFinal()).map(RequestView::id).toList();
            for (long id : done) {
                Long t0 = open.remove(id);
                if (t0 != null) {
                    latencies.add((System.nanoTime() - t0) / 1_000_000);
                    clientTimes.get(id)[1] = System.currentTimeMillis();
                }
            }
        }
    }

    /** Posts a request, retrying while the node is down; returns its id (the client's first request after {@code last}). */
    private long post(MarketClient api, RemoteAccount buyer, Mode mode, long last) throws InterruptedException {
        while (true) {
            try {
                TxResult r = buyer.submit(new Tx.SubmitRequest(f.model, f.input, 1_000, api.head().timeMillis() + 120_000, mode));
                ok(r);
                acknowledged.add(r);
                return api.requests("client=" + buyer.id() + "&after=" + last + "&limit=1").getFirst().id();
            } catch (NodeException e) {
                retryable(e);
            }
        }
    }

    private static void untilFinal(MarketClient api, long id) throws InterruptedException {
        while (true) {
            try {
                if (api.requests("after=" + (id - 1) + "&limit=1").getFirst().status().isFinal()) return;
                Thread.sleep(20);
            } catch (NodeException e) {
                retryable(e);
            }
        }
    }

    private static boolean retrying(java.util.function.BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (NodeException e) {
            return false;
        }
    }

    /** The node being down (unreachable, or a submission whose block it never answered) is waited out; any other refusal is a failure. */
    private static void retryable(NodeException e) throws InterruptedException {
        if (e.status() != 0 && e.status() != 504 && e.status() != 409) throw e;
        Thread.sleep(100);
    }

    /**
     * Where a ZK request's time went (medians and p99, ms): submitted by the client to its block
     * (client wall clock to the block time), its block to the lock's block, the lock's block to the
     * result's (batch wait, proof, its commit), and the result's block to the client seeing it final;
     * and the proofs made (inferences per proof, ms per proof).
     */
    private String phases(List<RequestView> all) {
        List<Long> submit = new ArrayList<>(), lock = new ArrayList<>(), result = new ArrayList<>(), seen = new ArrayList<>();
        for (RequestView r : all) {
            if (!(r.mode().toMode() instanceof Mode.Zk) || r.lock() == null || r.result() == null) continue;
            // The deadline (120 s) lies beyond the lock's length: a lock expires lockMillis after its block.
            long lockedAt = r.lock().expiresAt() - 30_000;
            lock.add(lockedAt - r.openedAt());
            result.add(r.result().postedAt() - lockedAt);
            long[] t = clientTimes.get(r.id());
            if (t != null) {
                submit.add(r.openedAt() - t[0]);
                seen.add(t[1] - r.result().postedAt());
            }
        }
        List<long[]> made = List.copyOf(proving);
        return "phases ms p50/p99: submit→block " + pct(submit) + ", block→lock " + pct(lock) + ", lock→result " + pct(result)
                + ", result→client " + pct(seen) + "; proofs " + made.size() + ", inferences/proof p50/max "
                + pct(made.stream().map(x -> x[0]).toList()) + ", ms/proof p50/p99 " + pct(made.stream().map(x -> x[1]).toList());
    }

    private static long processCpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    }

    private static String pct(List<Long> xs) {
        if (xs.isEmpty()) return "-";
        List<Long> s = xs.stream().sorted().toList();
        return s.get(s.size() / 2) + "/" + s.get(Math.min(s.size() - 1, s.size() * 99 / 100));
    }

    /** Balance, stake and collateral of an account. */
    private static long holdings(MarketClient api, KeyPair k) {
        return api.account(id(k)).map(a -> a.balance() + (a.prover() == null ? 0 : a.prover().stake() + a.prover().collateral())).orElse(0L);
    }

    private void record(List<TxResult> results) {
        results.forEach(MarketFixture::ok);
        acknowledged.addAll(results);
    }
}
