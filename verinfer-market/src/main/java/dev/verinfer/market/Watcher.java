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

    private final TxSender account;
    private final InferenceService inference;
    private final Set<String> models;
    private final Set<Seen> checked = new HashSet<>();

    public Watcher(TxSender account, InferenceService inference, Set<String> models) {
        this.account = account;
        this.inference = inference;
        this.models = Set.copyOf(models);
    }

    public void onBlock(Ledger<Market> ledger) {
        onRequests(ledger.read(m -> m.state().requests()));
    }

    /** The same on a view of the market's requests (at least the posted ones, with their inputs). */
    public void onRequests(List<Request> requests) {
        List<Request> posted = requests.stream()
                .filter(r -> r.status() == Request.Status.POSTED && r.mode() instanceof Mode.Optimistic && models.contains(Model.modelIdOf(r.modelId()))
                        && !r.inputCommitted()).toList();
        for (Request r : posted) {
            if (checked.add(new Seen(r.id(), r.result().postedAt())) && !Arrays.equals(inference.output(Model.modelIdOf(r.modelId()), r.input()), r.result().output())) {
                account.send(new Tx.Challenge(r.id()));
            }
        }
    }
}
