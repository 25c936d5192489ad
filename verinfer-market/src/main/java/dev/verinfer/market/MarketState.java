package dev.verinfer.market;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the market holds. Read access is public; changes go through the package's
 * transitions only. Maps are sorted so that iteration, and hence every transition, is deterministic.
 */
public final class MarketState {
    final NavigableMap<String, Account> accounts = new TreeMap<>();
    final NavigableMap<String, Model> models = new TreeMap<>();
    final NavigableMap<String, Prover> provers = new TreeMap<>();
    final NavigableMap<String, OracleSet> oracleSets = new TreeMap<>();
    final NavigableMap<Long, Request> requests = new TreeMap<>();
    final NavigableMap<Long, Workflow> workflows = new TreeMap<>();
    /** Pending SAMPLED draws by request id. */
    final NavigableMap<Long, Sample> samples = new TreeMap<>();
    final List<Payment> payments = new ArrayList<>();
    final List<Slash> slashes = new ArrayList<>();
    long treasury;
    long deposited;
    long withdrawn;
    long nextRequestId = 1;
    long nextWorkflowId = 1;

    public Optional<Account> account(String id) {
        return Optional.ofNullable(accounts.get(id));
    }

    public long balance(String id) {
        return account(id).map(Account::balance).orElse(0L);
    }

    public Optional<Model> model(String id) {
        return Optional.ofNullable(models.get(id));
    }

    public List<Model> models() {
        return List.copyOf(models.values());
    }

    public Optional<Prover> prover(String id) {
        return Optional.ofNullable(provers.get(id));
    }

    public Optional<OracleSet> oracleSet(String id) {
        return Optional.ofNullable(oracleSets.get(id));
    }

    public Optional<Request> request(long id) {
        return Optional.ofNullable(requests.get(id));
    }

    public List<Request> requests() {
        return List.copyOf(requests.values());
    }

    /** The requests with ids above {@code id}, in id order (a reader's new ones, without copying the rest). */
    public List<Request> requestsAfter(long id) {
        return List.copyOf(requests.tailMap(id, false).values());
    }

    public Optional<Workflow> workflow(long id) {
        return Optional.ofNullable(workflows.get(id));
    }

    public List<Workflow> workflows() {
        return List.copyOf(workflows.values());
    }

    /** The id the next workflow will get. */
    public long nextWorkflowId() {
        return nextWorkflowId;
    }

    public List<Payment> payments() {
        return Collections.unmodifiableList(payments);
    }

    public List<Slash> slashes() {
        return Collections.unmodifiableList(slashes);
    }

    public long treasury() {
        return treasury;
    }

    /** Whether a SAMPLED request's draw still waits for its client's reveal (it carries a commitment not yet drawn on). */
    public boolean awaitsReveal(long requestId) {
        return samples.containsKey(requestId);
    }

    /** Whether {@code prover} was slashed on request {@code requestId} (it may not lock it again). */
    public boolean slashedOn(long requestId, String prover) {
        for (int i = slashes.size() - 1; i >= 0; i--) {
            Slash s = slashes.get(i);
            if (s.requestId() == requestId && s.prover().equals(prover)) {
                return true;
            }
        }
        return false;
    }

    /** Value that entered minus value that left: what the market must hold, all places together. */
    public long netDeposits() {
        return deposited - withdrawn;
    }

    /** The id the next request will get. */
    public long nextRequestId() {
        return nextRequestId;
    }

    void credit(String id, long amount) {
        Account a = accounts.get(id);
        accounts.put(id, a.withBalance(Math.addExact(a.balance(), amount)));
    }

    /** Takes {@code amount} from an account, or rejects (before any change) if it holds less. */
    void debit(String id, long amount, String purpose) {
        long balance = balance(id);
        Rejected.unless(balance >= amount, "balance " + balance + " is less than the " + amount + " needed for " + purpose);
        accounts.put(id, accounts.get(id).withBalance(balance - amount));
    }

    Request requireRequest(long id) {
        Request r = requests.get(id);
        Rejected.unless(r != null, "no request " + id);
        return r;
    }

    Prover requireProver(String id) {
        Prover p = provers.get(id);
        Rejected.unless(p != null, "account " + id + " is not a registered prover");
        return p;
    }
}
