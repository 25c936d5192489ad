package dev.verinfer.client;

import dev.verinfer.market.MarketParams;
import dev.verinfer.market.Model;
import dev.verinfer.market.Request;
import dev.verinfer.market.RequestFeedCodec;
import dev.verinfer.market.TxSender;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.EnumSet;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * {@link AgentBackend} over a node's API: follows the node's change feed ({@code /v1/requests/changes}, a long poll
 * answered at each block with the requests it changed, with their inputs, in its binary form) and keeps the live requests it has seen,
 * so an agent's step reads no request list; a feed reset (the node restarted, or the agent fell behind its history)
 * replaces them.
 */
final class NodeBackend implements AgentBackend {
    private static final String FEED = "every=block&inputs=true";
    private static final Set<Request.Status> LIVE = EnumSet.of(Request.Status.OPEN, Request.Status.LOCKED, Request.Status.POSTED,
            Request.Status.PROOF_DUE);

    private final MarketClient client;
    private final RemoteAccount account;
    /** The live requests as of {@link #height}, by id. */
    private final NavigableMap<Long, Request> live = new TreeMap<>();
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
        RequestFeedCodec.Feed c = reach(() -> client.changeFeed(height, waitMillis, FEED));
        if (c.reset()) {
            live.clear();
        }
        for (Request r : c.requests()) {
            if (r.status().isFinal()) {
                live.remove(r.id());
            } else {
                live.put(r.id(), r);
            }
        }
        height = c.height();
        return new Tip(c.height(), c.timeMillis());
    }

    @Override public List<Request> live(Set<String> models, Predicate<Request> needsInput) {
        // The statuses an agent acts on (a step waiting for its workflow, or verified and waiting to be paid, needs nothing of it).
        return live.values().stream().filter(r -> LIVE.contains(r.status()) && (models.contains(r.modelId()) || models.contains(Model.modelIdOf(r.modelId()))))
                .map(r -> needsInput.test(r) ? r : r.withInput(new byte[0])).toList();
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
