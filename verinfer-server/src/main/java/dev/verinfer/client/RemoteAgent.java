package dev.verinfer.client;

import dev.verinfer.market.BatchingProver;
import dev.verinfer.market.InferenceService;
import dev.verinfer.market.MarketParams;
import dev.verinfer.market.Mode;
import dev.verinfer.market.ProverWorker;
import dev.verinfer.market.Request;
import dev.verinfer.market.StepWorker;
import dev.verinfer.market.TensorStore;
import dev.verinfer.market.TxSender;
import dev.verinfer.market.Watcher;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A market automaton ({@link ProverWorker} or {@link Watcher}) driven over an {@link AgentBackend}
 * (a node's API, or a market contract on a chain): after each new block it reads the live requests
 * of its models, with the inputs it needs (a prover: open ones and its own), runs the automaton and
 * submits what it sent. If the market cannot be reached, it waits and then starts the automaton
 * afresh from the market's state (what it sent may have been lost).
 */
public final class RemoteAgent implements Runnable {
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

        /** Ends what the automaton runs beside its steps (before it is started afresh). */
        default void close() {
        }
    }

    private final AgentBackend backend;
    private final Set<String> models;
    private final Predicate<Request> needsInput;
    private final Supplier<Step> automaton;
    private final Log log;
    private volatile boolean running = true;

    private RemoteAgent(AgentBackend backend, Set<String> models, Predicate<Request> needsInput, Supplier<Step> automaton, Log log) {
        this.backend = backend;
        this.models = Set.copyOf(models);
        this.needsInput = needsInput;
        this.automaton = automaton;
        this.log = log;
    }

    /** A prover serving {@code models} at {@code askBps} of the max fee and above, over a node's API. */
    public static RemoteAgent prover(MarketClient client, RemoteAccount account, InferenceService inference, Set<String> models, int askBps, Log log) {
        return prover(AgentBackend.node(client, account), inference, models, askBps, log);
    }

    /** A prover serving {@code models} at {@code askBps} of the max fee and above. */
    public static RemoteAgent prover(AgentBackend backend, InferenceService inference, Set<String> models, int askBps, Log log) {
        TxSender account = backend.account();
        // Open requests' inputs too: the worker runs a model on an input before it locks the request.
        return new RemoteAgent(backend, models, r -> r.status() == Request.Status.OPEN
                || r.lock() != null && r.lock().prover().equals(account.id()), () -> {
            ProverWorker w = new ProverWorker(account, inference, models, askBps);
            return w::onBlock;
        }, log);
    }

    /**
     * A prover that settles its ZK requests in batches ({@link BatchingProver}) under {@code policy}, also
     * serving workflow steps and other committed requests ({@link StepWorker}) with their tensors taken from
     * and put in {@code store} (none if null). It proves on a thread of its own ({@link BatchingProver#pipelined}),
     * locking meanwhile, and submits each proof as soon as it is made.
     */
    public static RemoteAgent batchingProver(AgentBackend backend, InferenceService inference, Set<String> models, int askBps,
                                             BatchingProver.Policy policy, TensorStore store, Log log) {
        TxSender account = backend.account();
        return new RemoteAgent(backend, models, r -> r.status() == Request.Status.OPEN
                || r.lock() != null && r.lock().prover().equals(account.id()), () -> {
            BatchingProver p = new BatchingProver(account, inference, models, askBps, policy, 0).pipelined(() -> {
                try {
                    backend.flush(log);
                } catch (RuntimeException e) {
                    // the market unreachable: the agent starts afresh and proves again what is still locked
                    log.note("sending a proof: " + e.getMessage());
                }
            });
            StepWorker steps = store == null ? null : new StepWorker(account, inference, store, models, askBps);
            return new Step() {
                @Override
                public void onBlock(MarketParams params, List<Request> live, long blockTime) {
                    p.onBlock(params, live, blockTime);
                    if (steps != null) {
                        steps.onBlock(params, live, blockTime);
                    }
                }

                @Override
                public void close() {
                    p.close();
                }
            };
        }, log);
    }

    /** {@link #batchingProver(AgentBackend, InferenceService, Set, int, BatchingProver.Policy, TensorStore, Log)} over a node's API. */
    public static RemoteAgent batchingProver(MarketClient client, RemoteAccount account, InferenceService inference, Set<String> models, int askBps,
                                             BatchingProver.Policy policy, TensorStore store, Log log) {
        return batchingProver(AgentBackend.node(client, account), inference, models, askBps, policy, store, log);
    }

    /** The same without a tensor store. */
    public static RemoteAgent batchingProver(MarketClient client, RemoteAccount account, InferenceService inference, Set<String> models, int askBps,
                                             BatchingProver.Policy policy, Log log) {
        return batchingProver(client, account, inference, models, askBps, policy, null, log);
    }

    /** A watcher challenging wrong optimistic results of {@code models}, over a node's API. */
    public static RemoteAgent watcher(MarketClient client, RemoteAccount account, InferenceService inference, Set<String> models, Log log) {
        return watcher(AgentBackend.node(client, account), inference, models, log);
    }

    /** A watcher challenging wrong optimistic results of {@code models}. */
    public static RemoteAgent watcher(AgentBackend backend, InferenceService inference, Set<String> models, Log log) {
        return new RemoteAgent(backend, models, r -> r.status() == Request.Status.POSTED && r.mode() instanceof Mode.Optimistic, () -> {
            Watcher w = new Watcher(backend.account(), inference, models);
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
                    params = backend.params();
                }
                AgentBackend.Tip tip = backend.tipAfter(seen, 1_000);
                if (!connected) {
                    log.note("reconnected at block " + tip.height());
                    connected = true;
                }
                if (tip.height() <= seen) {
                    continue;
                }
                seen = tip.height();
                step(step, params, tip);
            } catch (AgentBackend.Unreachable e) {
                if (connected) {
                    log.note(e.getMessage() + "; retrying every " + RETRY_MILLIS + " ms");
                    connected = false;
                }
                sleep();
                step.close();
                step = automaton.get();
                params = null;
                seen = 0;
            }
        }
        step.close();
    }

    /** One step; what it sent is submitted even if it failed part-way (a failing inference is reported and skipped). */
    private void step(Step step, MarketParams params, AgentBackend.Tip tip) {
        try {
            step.onBlock(params, backend.live(models, needsInput), tip.timeMillis());
        } catch (RuntimeException e) {
            if (e instanceof AgentBackend.Unreachable) {
                throw e;
            }
            if (e instanceof NodeException) {
                throw new AgentBackend.Unreachable(e.getMessage(), e);
            }
            log.note("block " + tip.height() + ": " + e);
        }
        backend.flush(log);
    }

    /** Asks {@link #run} to return after the step under way. */
    public void stop() {
        running = false;
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
