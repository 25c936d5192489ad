package dev.verinfer.client;

import dev.verinfer.api.Head;
import dev.verinfer.market.BatchingProver;
import dev.verinfer.api.RequestView;
import dev.verinfer.market.InferenceService;
import dev.verinfer.market.MarketParams;
import dev.verinfer.market.ProverWorker;
import dev.verinfer.market.Request;
import dev.verinfer.market.StepWorker;
import dev.verinfer.market.TensorStore;
import dev.verinfer.market.Watcher;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A market automaton ({@link ProverWorker} or {@link Watcher}) driven over a node's API: after each
 * new block (long-polling the head) it reads the live requests of its models, fetching a request's
 * input once when it needs it (a prover: open ones and its own), runs the automaton and submits what it sent as one batch. If the
 * node cannot be reached, it waits and then starts the automaton afresh from the node's state
 * (what it sent may have been lost).
 */
public final class RemoteAgent implements Runnable {
    private static final String LIVE = "status=OPEN,LOCKED,POSTED,PROOF_DUE";
    private static final long RETRY_MILLIS = 500;

    /** What an agent reports: each transaction it sent with its result, and each event of note (lost contact, a failing step). */
    public interface Log {
        void sent(RemoteAccount.Sent sent);

        void note(String line);

        /** Each report as one line. */
        static Log lines(Consumer<String> out) {
            return new Log() {
                @Override
                public void sent(RemoteAccount.Sent sent) {
                    out.accept(sent.describe());
                }

                @Override
                public void note(String line) {
                    out.accept(line);
                }
            };
        }
    }

    /** One automaton step on the market as of a block. */
    private interface Step {
        void onBlock(MarketParams params, List<Request> live, long blockTime);
    }

    private final MarketClient client;
    private final RemoteAccount account;
    private final Set<String> models;
    private final Predicate<RequestView> needsInput;
    private final Supplier<Step> automaton;
    private final Log log;
    private final Map<Long, byte[]> inputs = new HashMap<>();
    private volatile boolean running = true;

    private RemoteAgent(MarketClient client, RemoteAccount account, Set<String> models, Predicate<RequestView> needsInput, Supplier<Step> automaton, Log log) {
        this.client = client;
        this.account = account;
        this.models = Set.copyOf(models);
        this.needsInput = needsInput;
        this.automaton = automaton;
        this.log = log;
    }

    /** A prover serving {@code models} at {@code askBps} of the max fee and above. */
    public static RemoteAgent prover(MarketClient client, RemoteAccount account, InferenceService inference, Set<String> models, int askBps, Log log) {
        // Open requests' inputs too: the worker runs a model on an input before it locks the request.
        return new RemoteAgent(client, account, models, r -> r.status() == Request.Status.OPEN
                || r.lock() != null && r.lock().prover().equals(account.id()), () -> {
            ProverWorker w = new ProverWorker(account, inference, models, askBps);
            return w::onBlock;
        }, log);
    }

    /** A prover that settles its ZK requests in batches ({@link BatchingProver}) under {@code policy}. */
    public static RemoteAgent batchingProver(MarketClient client, RemoteAccount account, InferenceService inference, Set<String> models, int askBps,
                                             BatchingProver.Policy policy, Log log) {
        return batchingProver(client, account, inference, models, askBps, policy, null, log);
    }

    /**
     * The same, also serving workflow steps and other committed requests ({@link StepWorker}) with
     * their tensors taken from and put in {@code store} (none if null).
     */
    public static RemoteAgent batchingProver(MarketClient client, RemoteAccount account, InferenceService inference, Set<String> models, int askBps,
                                             BatchingProver.Policy policy, TensorStore store, Log log) {
        return new RemoteAgent(client, account, models, r -> r.status() == Request.Status.OPEN
                || r.lock() != null && r.lock().prover().equals(account.id()), () -> {
            BatchingProver p = new BatchingProver(account, inference, models, askBps, policy, 0);
            if (store == null) {
                return p::onBlock;
            }
            StepWorker steps = new StepWorker(account, inference, store, models, askBps);
            return (params, live, time) -> {
                p.onBlock(params, live, time);
                steps.onBlock(params, live, time);
            };
        }, log);
    }

    /** A watcher challenging wrong optimistic results of {@code models}. */
    public static RemoteAgent watcher(MarketClient client, RemoteAccount account, InferenceService inference, Set<String> models, Log log) {
        return new RemoteAgent(client, account, models, r -> r.status() == Request.Status.POSTED && r.mode().kind().equals("optimistic"), () -> {
            Watcher w = new Watcher(account, inference, models);
            return (params, live, time) -> w.onRequests(live);
        }, log);
    }

    /** Runs until {@link #stop}; the step under way completes first. */
    @Override
    public void run() {
        Step step = automaton.get();
        MarketParams params = null;
        long seen = 0;
        boolean connected = true;
        while (running) {
            try {
                if (params == null) {
                    params = client.market();
                }
                Head head = client.headAfter(seen, 1_000);
                if (!connected) {
                    log.note("reconnected at block " + head.height());
                    connected = true;
                }
                if (head.height() <= seen) {
                    continue;
                }
                seen = head.height();
                step(step, params, head);
            } catch (NodeException e) {
                if (connected) {
                    log.note(e.getMessage() + "; retrying every " + RETRY_MILLIS + " ms");
                    connected = false;
                }
                sleep();
                step = automaton.get();
                params = null;
                seen = 0;
            }
        }
    }

    /** One step; what it sent is submitted even if it failed part-way (a failing inference is reported and skipped). */
    private void step(Step step, MarketParams params, Head head) {
        try {
            step.onBlock(params, live(), head.timeMillis());
        } catch (RuntimeException e) {
            if (e instanceof NodeException) {
                throw e;
            }
            log.note("block " + head.height() + ": " + e);
        }
        account.flush().forEach(log::sent);
    }

    /** Asks {@link #run} to return after the step under way. */
    public void stop() {
        running = false;
    }

    private List<Request> live() {
        List<RequestView> views = client.requests(LIVE + "&model=" + MarketClient.param(String.join(",", models)));
        inputs.keySet().retainAll(views.stream().map(RequestView::id).toList());
        return views.stream().map(v -> v.toRequest(needsInput.test(v) ? inputs.computeIfAbsent(v.id(), id -> client.request(id).input()) : new byte[0]))
                .toList();
    }

    private void sleep() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
