package dev.verinfer.market;

import dev.verinfer.ledger.Ledger;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Re-runs posted optimistic results of its models after every block and challenges each one whose
 * output differs. It sees public inputs only (a committed input's values are the client's).
 */
public final class Watcher {
    private record Seen(long requestId, long postedAt) {
    }

    private final MarketAccount account;
    private final InferenceService inference;
    private final Set<String> models;
    private final Set<Seen> checked = new HashSet<>();

    public Watcher(MarketAccount account, InferenceService inference, Set<String> models) {
        this.account = account;
        this.inference = inference;
        this.models = Set.copyOf(models);
    }

    public void onBlock(Ledger<Market> ledger) {
        List<Request> posted = ledger.read(m -> m.state().requests().stream()
                .filter(r -> r.status() == Request.Status.POSTED && r.mode() instanceof Mode.Optimistic && models.contains(r.modelId())
                        && !r.inputCommitted()).toList());
        for (Request r : posted) {
            if (checked.add(new Seen(r.id(), r.result().postedAt())) && !Arrays.equals(inference.output(r.modelId(), r.input()), r.result().output())) {
                account.send(new Tx.Challenge(r.id()));
            }
        }
    }
}
