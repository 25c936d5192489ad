package dev.verinfer.client;

import dev.verinfer.api.Changes;
import dev.verinfer.api.RequestView;
import dev.verinfer.market.MarketParams;
import dev.verinfer.market.Model;
import dev.verinfer.market.Request;
import dev.verinfer.market.TxSender;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@link AgentBackend} over a node's API: follows the node's change feed ({@code /v1/requests/changes}, a long poll
 * answered at each block with the requests it changed, with their inputs) and keeps the live requests it has seen,
 * so an agent's step reads no request list; a feed reset (the node restarted, or the agent fell behind its history)
 * replaces them.
 */
final class NodeBackend implements AgentBackend {
    private static final String FEED = "every=block&inputs=true";
    private static final Set<Request.Status> LIVE = java.util.EnumSet.of(Request.Status.OPEN, Request.Status.LOCKED, Request.Status.POSTED,
            Request.Status.PROOF_DUE);

    private final MarketClient client;
    private final RemoteAccount account;
    /** The live requests as of {@link #height}, by id. */
    private final java.util.NavigableMap<Long, RequestView> live = new java.util.TreeMap<>();
    /** The feed's height this agent has seen; -1 before its first answer. */
    private long height = -1;

    NodeBackend(MarketClient client, RemoteAccount account) {
        this.client = client;
        this.account = account;
    }

    @Override public String where() {
        return "node " + client.node();
    }

    @Override public TxSender account() {
        return account;
    }

    @Override public MarketParams params() {
        return reach(client::market);
    }

    @Override public Tip tipAfter(long after, long waitMillis) {
        if (after < height || height < 0) {
            // The agent started afresh: so does the view (from height 0 the feed answers every live request).
            height = 0;
            live.clear();
        }
        Changes c = reach(() -> client.changes(height, waitMillis, FEED));
        if (c.reset()) {
            live.clear();
        }
        for (RequestView v : c.requests()) {
            if (v.status().isFinal()) {
                live.remove(v.id());
            } else {
                live.put(v.id(), v);
            }
        }
        height = c.head().height();
        return new Tip(c.head().height(), c.head().timeMillis());
    }

    @Override public List<Request> live(Set<String> models, Predicate<Request> needsInput) {
        // The statuses an agent acts on (a step waiting for its workflow, or verified and waiting to be paid, needs nothing of it).
        return live.values().stream().filter(v -> LIVE.contains(v.status()) && (models.contains(v.modelId()) || models.contains(Model.modelIdOf(v.modelId()))))
                .map(v -> v.toRequest(needsInput.test(v.toRequest(new byte[0])) ? v.input() : new byte[0])).toList();
    }

    @Override public void flush(RemoteAgent.Log log) {
        reach(account::flush).forEach(log::sent);
    }

    /** A call to the node; a failed one is {@link Unreachable}. */
    private static <T> T reach(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (NodeException e) {
            throw new Unreachable(e.getMessage(), e);
        }
    }
}
