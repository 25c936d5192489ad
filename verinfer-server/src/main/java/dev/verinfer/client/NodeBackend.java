package dev.verinfer.client;

import dev.verinfer.api.Head;
import dev.verinfer.api.RequestView;
import dev.verinfer.market.MarketParams;
import dev.verinfer.market.Request;
import dev.verinfer.market.TxSender;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** {@link AgentBackend} over a node's API: long-polls the head, fetches a request's input once. */
final class NodeBackend implements AgentBackend {
    private static final String LIVE = "status=OPEN,LOCKED,POSTED,PROOF_DUE";

    private final MarketClient client;
    private final RemoteAccount account;
    private final Map<Long, byte[]> inputs = new HashMap<>();

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

    @Override public Tip tipAfter(long height, long waitMillis) {
        Head h = reach(() -> client.headAfter(height, waitMillis));
        return new Tip(h.height(), h.timeMillis());
    }

    @Override public List<Request> live(Set<String> models, Predicate<Request> needsInput) {
        return reach(() -> {
            String query = LIVE + "&model=" + MarketClient.param(String.join(",", models));
            List<RequestView> views = client.requests(query);
            inputs.keySet().retainAll(views.stream().map(RequestView::id).toList());
            // The inputs it lacks in one call (new requests come with the highest ids), the rest one by one.
            views.stream().filter(v -> needsInput.test(v.toRequest(new byte[0])) && !inputs.containsKey(v.id())).mapToLong(RequestView::id).min()
                    .ifPresent(first -> client.requests(query + "&inputs=true&after=" + (first - 1)).forEach(v -> inputs.putIfAbsent(v.id(), v.input())));
            return views.stream().map(v -> needsInput.test(v.toRequest(new byte[0]))
                    ? v.toRequest(inputs.computeIfAbsent(v.id(), id -> client.request(id).input())) : v.toRequest(new byte[0])).toList();
        });
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
