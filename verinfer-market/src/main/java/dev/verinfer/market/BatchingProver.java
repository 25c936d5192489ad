package dev.verinfer.market;

import dev.verinfer.ledger.Hash;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A prover that settles its ZK requests in batches: one batch proof of B inferences costs little
 * more than one proof (alexa_v0.1 on a loaded machine: 1.7 s alone, 4.2 s for 64, 4.7 s for 256), so it locks the ZK requests of a
 * model as they come and proves them together in one {@link Tx.SubmitBatchResult}.
 *
 * <p>Locking, and every request it cannot batch (OPTIMISTIC and SAMPLED ones, which post without a
 * proof), are left to a {@link ProverWorker} it runs on the same view minus its own locked ZK
 * requests, counting a batch's worth of ZK locks per proof it owes. Those it holds until the model's batch is due: when it holds {@link Policy#maxBatch}
 * requests, when its oldest has waited {@link Policy#maxWaitMillis}, when the block brought it no
 * new lock of the model (waiting would not grow the batch), or when waiting longer would leave a
 * request's lock less than {@link #proofNeed} plus the wait. A due batch of one, and a request whose
 * lock leaves less than the batch's estimate but enough for a proof of its own, get a single proof
 * ({@link Tx.SubmitResult}); a batch whose proof fails to be made is proven request by request.
 *
 * <p>Its proving times are measured: the estimate for a batch is {@link ProverWorker#SAFETY} times
 * the largest batch proof it has made (before one, the single estimate); a policy of
 * {@link Policy#DERIVED} waits at most that measured batch time (so that waiting at most doubles a
 * request's latency) and batches up to its market's bound ({@link TxSender#maxBatch}).
 *
 * <p>{@link #pipelined} proves on a thread of its own instead of in {@link #onBlock}: the automaton
 * keeps locking while a batch is proven, its result is verified and settled, so batch k+1 fills
 * while batch k is proven. Derived, a batch is then queued for the lane at once while the lane is
 * busy (the batch is what came in during the proofs before it); with the lane idle it waits while it
 * grows (the block brought it locks, or the model's ZK requests are still in their auction), at most
 * the fitted fixed cost of a proof ({@link ProofCosts}): a proof of 8 started at once would make the
 * 120 behind it wait a whole proof. One of its proofs at most waits for the lane. Held requests are all
 * proven in batches then (a single proof takes about as long as a batch, so short locks do not split
 * the batch). Pipelined provers of one process prove one at a time ({@link #LANE}), and a proof takes
 * the requests its prover holds when its turn comes, not when it was queued. It locks only while
 * the requests it owes (held, and in proofs under way) leave its next proof in time (see
 * {@link ProverWorker}: before a measured single proof, less than one batch beyond them), so a busy
 * prover leaves new requests to others instead of hoarding locks it cannot serve before they expire.
 *
 * <p>Pipelined provers of one process share the lane, so the requests they lock while a proof runs
 * all wait for the lane; split among them they make several proofs where one would do, each paying
 * a proof's fixed cost (alexa_v0.1, warm: 120 ms CPU for one inference, 180 ms for 32, 360 ms for
 * 128). So one of them at a time per model, the collector, locks the model's ZK requests: the first
 * to see a block when there is none, until its proof takes the lane (then the next block's first
 * prover collects for the proof after it). Its proof therefore takes everything that came in during
 * the proof before, and the batch grows with the load (the lane busy, fewer and larger proofs),
 * while an idle lane waits at most a proof's fixed cost. A collector not seen for {@link #proofNeed} (stopped,
 * stalled: its own or the replacing prover's, the longer) is replaced.
 */
public final class BatchingProver implements AutoCloseable {
    /** Fallback wait before any proof has been measured. */
    static final long INITIAL_WAIT_MILLIS = 250;

    /**
     * When a batch is due. {@code maxBatch} 0 and {@code maxWaitMillis} -1 are derived from the
     * measured proving times (see the class comment).
     */
    public record Policy(int maxBatch, long maxWaitMillis) {
        public static final Policy DERIVED = new Policy(0, -1);

        public Policy {
            if (maxBatch != 0 && (maxBatch < 1 || maxBatch > Batches.MAX_BATCH)) {
                throw new IllegalArgumentException("a batch holds 1.." + Batches.MAX_BATCH + " requests, not " + maxBatch);
            }
            if (maxWaitMillis < -1) {
                throw new IllegalArgumentException("the longest wait is 0 ms or more, not " + maxWaitMillis);
            }
        }
    }

    /** Counts the locks the inner worker sends, per model, in one block. */
    private final class Sender implements TxSender {
        final Set<Long> lockedNow = new HashSet<>();

        @Override
        public String id() {
            return account.id();
        }

        @Override
        public Hash send(Tx body) {
            switch (body) {
                case Tx.LockRequest l -> lockedNow.add(l.requestId());
                case Tx.LockRequests l -> lockedNow.addAll(l.requestIds());
                default -> {
                }
            }
            return account.send(body);
        }

        /** The account's context (the inner worker proves challenged and sampled results with it). */
        @Override
        public byte[] proofContext(MarketParams params, long requestId) {
            return account.proofContext(params, requestId);
        }
    }

    private final TxSender account;
    private final InferenceService inference;
    private final Set<String> models;
    private final Policy policy;
    private final long initialProvingMillis;
    private final Sender sender = new Sender();
    private final ProverWorker single;
    /** When it first saw each of its held requests locked (block time). */
    private final Map<Long, Long> heldSince = new HashMap<>();
    /** Requests it has posted a result for (never again: a request it failed goes to others); pipelined, the proving thread adds to it. */
    private final Set<Long> resulted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, Long> batchMillis = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Long> singleMillis = new java.util.concurrent.ConcurrentHashMap<>();
    /** Its proofs' sizes and times per model (the fixed cost of a proof, the longest an idle lane waits for a batch to grow). */
    private final Map<String, ProofCosts> costs = new java.util.concurrent.ConcurrentHashMap<>();
    /** Outputs it computed before locking (the locking worker drops them once the request is held here). */
    private final Map<Long, byte[]> outputs = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger batches = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger batchedRequests = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger singles = new java.util.concurrent.atomic.AtomicInteger();
    /** Pipelined: the thread that proves, the proofs handed to it and not yet sent, and what runs after each is sent. */
    private java.util.concurrent.ExecutorService proving;
    private final java.util.concurrent.atomic.AtomicInteger underWay = new java.util.concurrent.atomic.AtomicInteger();
    /** Its proofs handed to the proving thread that have not taken the lane yet. */
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
    /** Requests in the proofs handed to the proving thread and not yet sent. */
    private final java.util.concurrent.atomic.AtomicInteger underWayRequests = new java.util.concurrent.atomic.AtomicInteger();
    private Runnable afterProof = () -> {
    };
    /** Pipelined: its held batchable requests per model as of the latest block, which a proof takes when it starts. */
    private volatile Map<String, List<Request>> latestHeld = Map.of();

    /**
     * One proof at a time in this process (pipelined provers): a proof already uses every core
     * ({@code Parallelism}), so proofs run side by side only slow each other down, and each would hold
     * the requests it took while it crawls; one after another, each takes its batch when its turn comes.
     */
    private static final java.util.concurrent.Semaphore LANE = new java.util.concurrent.Semaphore(1, true);

    /**
     * A pipelined prover that collects a model's ZK requests for the lane's next proof, as last seen
     * (System.nanoTime), with its {@link #proofNeed} then (computed on its own thread).
     */
    private record Collector(BatchingProver prover, long seenNanos, long needMillis) {
    }

    /** Per model id, the collector of this process's pipelined provers (see the class comment). */
    private static final Map<String, Collector> COLLECTORS = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param askBps the lowest price it serves at, as a fraction of the request's max fee */
    public BatchingProver(TxSender account, InferenceService inference, Set<String> models, int askBps, Policy policy, long initialProvingMillis) {
        this.account = account;
        this.inference = inference;
        this.models = Set.copyOf(models);
        this.policy = policy;
        this.initialProvingMillis = initialProvingMillis;
        // It locks up to a batch per proof: a batch costs little more than one proof.
        this.single = new ProverWorker(sender, inference, models, askBps, initialProvingMillis, maxBatch());
    }

    /** The batch proofs it has sent, the requests they held, and the single ZK proofs it has sent. */
    public record Counts(int batches, int batchedRequests, int singles) {
    }

    public Counts counts() {
        return new Counts(batches.get(), batchedRequests.get(), singles.get());
    }

    /**
     * Proves on a thread of its own from now on (see the class comment); {@code afterProof} runs on
     * that thread after each proof's transaction is sent (e.g. to submit it at once). Returns this.
     */
    public BatchingProver pipelined(Runnable afterProof) {
        this.afterProof = afterProof;
        this.proving = java.util.concurrent.Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("batch-prover").factory());
        return this;
    }

    /** Stops the proving thread (pipelined): a proof under way completes, those not started are dropped. */
    @Override
    public void close() {
        if (proving != null) {
            proving.shutdownNow();
            models.forEach(this::stopCollecting);
        }
    }

    /**
     * Pipelined: the models whose ZK requests another prover of this process collects now; it becomes
     * the collector of the others (none, or its claim not seen for the longer {@link #proofNeed} of the two).
     */
    private Set<String> collectedByOthers() {
        Set<String> others = new HashSet<>();
        for (String model : models) {
            long now = System.nanoTime();
            long need = proofNeed(model);
            Collector c = COLLECTORS.compute(model, (k, cur) -> cur == null || cur.prover() == this
                    || now - cur.seenNanos() > Math.max(Math.max(need, cur.needMillis()), INITIAL_WAIT_MILLIS) * 1_000_000
                    ? new Collector(this, now, need) : cur);
            if (c.prover() != this) {
                others.add(model);
            }
        }
        return others;
    }

    /** Gives up collecting {@code model}'s requests, if it did (its proof took the lane, or it stopped). */
    private void stopCollecting(String model) {
        COLLECTORS.computeIfPresent(model, (k, c) -> c.prover() == this ? null : c);
    }

    /** The largest batch it makes now: the policy's, or its market's bound ({@link TxSender#maxBatch}) if derived or lower. */
    public int maxBatch() {
        return policy.maxBatch() == 0 ? account.maxBatch() : Math.min(policy.maxBatch(), account.maxBatch());
    }

    /**
     * The longest a held request waits for its batch to fill: the policy's, or derived: the measured batch proving
     * time, pipelined the fitted fixed cost of a proof ({@link ProofCosts}: an idle lane waits at most what proving the
     * batch at once would spend for nothing on a later one, as renting skis before buying them).
     */
    public long maxWaitMillis(String modelId) {
        if (policy.maxWaitMillis() >= 0) {
            return policy.maxWaitMillis();
        }
        long fixed = proving == null || !costs.containsKey(modelId) ? -1 : costs.get(modelId).fixedMillis();
        if (fixed >= 0) {
            return fixed;
        }
        long measured = Math.max(batchMillis.getOrDefault(modelId, 0L), singleMillis.getOrDefault(modelId, 0L));
        return measured > 0 ? measured : Math.max(initialProvingMillis, INITIAL_WAIT_MILLIS);
    }

    /**
     * The time its lock must leave for a batch proof of {@code modelId}: {@link ProverWorker#SAFETY}
     * times the largest proof it has measured (batch or single), and never less than the single estimate.
     */
    long proofNeed(String modelId) {
        long measured = Math.max(batchMillis.getOrDefault(modelId, 0L), singleMillis.getOrDefault(modelId, 0L));
        return Math.max(Math.max((long) Math.ceil(ProverWorker.SAFETY * measured), single.provingEstimate(modelId)), 0);
    }

    /** The same as {@link ProverWorker#onBlock(MarketParams, List, long)}: a view of the market as of a block of time {@code blockTime}. */
    public void onBlock(MarketParams params, List<Request> requests, long blockTime) {
        Map<String, List<Request>> held = new TreeMap<>();
        List<Request> rest = new ArrayList<>();
        for (Request r : requests) {
            if (batchable(r)) {
                held.computeIfAbsent(r.modelId(), k -> new ArrayList<>()).add(r);
            } else if (!resulted.contains(r.id())) {
                // A request it posted for that re-opened (its batch failed) is not locked again.
                rest.add(r);
            }
        }
        Set<Long> live = new HashSet<>();
        held.values().forEach(list -> list.forEach(r -> live.add(r.id())));
        held.values().forEach(list -> list.sort(Comparator.comparingLong(Request::id)));
        Map<String, List<Request>> published = new HashMap<>();
        held.forEach((listing, list) -> published.put(listing, List.copyOf(list)));
        latestHeld = published;
        heldSince.keySet().retainAll(live);
        held.values().forEach(list -> list.forEach(r -> heldSince.putIfAbsent(r.id(), blockTime)));
        sender.lockedNow.clear();
        // It locks only what it can prove in time behind what it holds and what is being proven.
        single.owedElsewhere(live.size() + underWayRequests.get());
        Set<String> others = proving == null ? Set.of() : collectedByOthers();
        single.leaveZkToOthers(others);
        single.onBlock(params, rest, blockTime);
        Set<Long> lockedNow = sender.lockedNow;
        for (long id : lockedNow) {
            byte[] out = single.outputOf(id);
            if (out != null) {
                outputs.put(id, out);
            }
        }
        outputs.keySet().retainAll(requests.stream().filter(r -> !r.status().isFinal()).map(Request::id).toList());
        for (List<Request> mine : held.values()) {
            String model = Model.modelIdOf(mine.getFirst().modelId());
            String listing = mine.getFirst().modelId();
            // Its batch grows next block if it locked the model's ZK requests in this one or (collecting, pipelined) some are still in their auction.
            boolean grows = requests.stream().anyMatch(r -> r.modelId().equals(listing) && r.mode() instanceof Mode.Zk
                    && (lockedNow.contains(r.id()) || proving != null && !others.contains(model) && r.status() == Request.Status.OPEN && !r.inputCommitted() && !r.outputCommitted()));
            long wait = maxWaitMillis(model);
            long need = proofNeed(model);
            long oldest = mine.stream().mapToLong(r -> heldSince.get(r.id())).min().orElseThrow();
            boolean urgent = mine.stream().anyMatch(r -> r.lock().expiresAt() - blockTime < need + wait);
            boolean waited = blockTime - oldest >= wait || !grows;
            if (proving == null) {
                if (mine.size() >= maxBatch() || waited || urgent) {
                    settle(params, mine, blockTime, need);
                }
            } else if (waiting.get() == 0 && (waited || mine.size() >= maxBatch() || policy.maxWaitMillis() < 0 && (urgent || LANE.availablePermits() == 0))) {
                // Pipelined: a proof is queued unless one of its own already waits for the lane (one may be running), and never
                // a single proof for a short lock (it takes about as long as the batch); the proof takes what it holds when its
                // turn comes (it grows meanwhile). Derived: queued at once behind a busy lane; an idle lane waits while the
                // batch grows, at most a proof's fixed cost (maxWaitMillis).
                proveWhenItsTurnComes(params, listing);
            }
        }
    }

    /** Its own locked ZK request with public input and output, not yet answered. */
    private boolean batchable(Request r) {
        return r.status() == Request.Status.LOCKED && r.lock().prover().equals(account.id()) && r.mode() instanceof Mode.Zk
                && !r.inputCommitted() && !r.outputCommitted() && models.contains(Model.modelIdOf(r.modelId())) && !resulted.contains(r.id());
    }

    /** Proves the held requests of one model: in batches of up to {@link #maxBatch}, singly where a batch cannot settle. */
    private void settle(MarketParams params, List<Request> mine, long blockTime, long batchNeed) {
        List<Request> batch = new ArrayList<>();
        for (Request r : mine) {
            if (r.lock().expiresAt() - blockTime < batchNeed) {
                proveSingly(params, r);
            } else {
                batch.add(r);
            }
        }
        resulted.addAll(batch.stream().map(Request::id).toList());
        proveInBatches(params, batch);
    }

    /** Proves {@code requests} in batches of up to {@link #maxBatch} (and the model's own bound), one left alone by a single proof. */
    private void proveInBatches(MarketParams params, List<Request> requests) {
        int size = requests.isEmpty() ? 1 : Math.min(maxBatch(), inference.maxBatch(Model.modelIdOf(requests.getFirst().modelId())));
        for (int from = 0; from < requests.size(); from += size) {
            List<Request> part = requests.subList(from, Math.min(requests.size(), from + size));
            if (part.size() == 1) {
                proveSinglyNow(params, part.getFirst());
            } else {
                proveBatchNow(params, part);
            }
        }
    }

    private void proveBatchNow(MarketParams params, List<Request> part) {
        List<Long> ids = part.stream().map(Request::id).toList();
        String model = Model.modelIdOf(part.getFirst().modelId());
        List<byte[]> outs;
        byte[] proof;
        try {
            outs = part.stream().map(r -> output(model, r)).toList();
            long start = System.nanoTime();
            proof = inference.proveBatch(model, part.stream().map(Request::input).toList(), account.batchProofContext(params, ids));
            long ms = (System.nanoTime() - start) / 1_000_000;
            batchMillis.merge(model, ms, Math::max);
            costs.computeIfAbsent(model, k -> new ProofCosts()).add(part.size(), ms);
        } catch (RuntimeException e) {
            part.forEach(r -> proveSinglyNow(params, r));
            return;
        }
        batches.incrementAndGet();
        batchedRequests.addAndGet(ids.size());
        account.send(new Tx.SubmitBatchResult(ids, outs, proof));
    }

    /**
     * Pipelined: on the proving thread, once this process's {@link #LANE} is free, proves in batches of up to
     * {@link #maxBatch} (one alone as a single proof) the requests of {@code listing} it holds as of the latest
     * block, and sends each proof's transaction after the lane is released.
     */
    private void proveWhenItsTurnComes(MarketParams params, String listing) {
        underWay.incrementAndGet();
        waiting.incrementAndGet();
        proving.execute(() -> {
            int taken = 0;
            try {
                LANE.acquireUninterruptibly();
                waiting.decrementAndGet();
                try {
                    // What comes in from now on is collected for the proof after this one.
                    stopCollecting(Model.modelIdOf(listing));
                    List<Request> mine = latestHeld.getOrDefault(listing, List.of()).stream().filter(r -> resulted.add(r.id())).toList();
                    taken = mine.size();
                    underWayRequests.addAndGet(taken);
                    proveInBatches(params, mine);
                } finally {
                    LANE.release();
                }
                afterProof.run();
            } finally {
                underWayRequests.addAndGet(-taken);
                underWay.decrementAndGet();
            }
        });
    }

    /** A single proof, as {@link ProverWorker} posts it; an input that fails is claimed unprovable. */
    private void proveSingly(MarketParams params, Request r) {
        resulted.add(r.id());
        proveSinglyNow(params, r);
    }

    private void proveSinglyNow(MarketParams params, Request r) {
        String model = Model.modelIdOf(r.modelId());
        try {
            byte[] output = output(model, r);
            long start = System.nanoTime();
            byte[] proof = inference.prove(model, r.input(), account.proofContext(params, r.id()));
            long ms = (System.nanoTime() - start) / 1_000_000;
            singleMillis.merge(model, ms, Math::max);
            costs.computeIfAbsent(model, k -> new ProofCosts()).add(1, ms);
            singles.incrementAndGet();
            account.send(new Tx.SubmitResult(r.id(), output, proof));
        } catch (RuntimeException e) {
            account.send(new Tx.ClaimUnprovable(r.id(), new byte[0]));
        }
    }

    /** The output computed before locking, else computed now. */
    private byte[] output(String model, Request r) {
        byte[] known = outputs.get(r.id());
        return known != null ? known : inference.output(model, r.input());
    }
}
