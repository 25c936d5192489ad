package dev.verinfer.market;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A prover's automaton for ZK requests with a committed input or output: workflow steps (and
 * committed requests). The market holds such an input as commitment roots only; the worker takes
 * the values (and, for a private model's hiding roots, their seeds) from a {@link TensorStore} and
 * recomputes their roots ({@link InferenceService#inputRoots}) before it locks: a request whose input
 * it cannot get, or whose stored values do not commit to its roots, is not locked (the values may
 * arrive later). Once it holds the lock it proves with the request's visibilities, puts the committed
 * outputs' values (with a private model's fresh seeds) in the store under their roots (so the next
 * step's prover can take them) and posts {@link Tx.SubmitCommittedResult} (or {@link Tx.SubmitResult}
 * for a public output); an input it cannot prove it claims unprovable ({@link Tx.ClaimUnprovable}, with the
 * committed input's opening). It locks once per auction round, never a request it held before, at its ask,
 * and only if the lock leaves {@link ProverWorker#SAFETY} times its measured proving time for each
 * proof it owes already and this one (before it has measured one, one step at a time, on a lock of
 * the market's full length).
 */
public final class StepWorker {
    private final TxSender account;
    private final InferenceService inference;
    private final TensorStore store;
    private final Set<String> models;
    private final int askBps;

    private record Round(long requestId, long openedAt) {
    }

    private final Set<Round> tried = new HashSet<>();
    private final Set<Long> held = new HashSet<>();
    private final Set<Long> resulted = new HashSet<>();
    private final Map<Long, Opened> inputs = new HashMap<>();
    private final Map<String, Long> provingMillis = new HashMap<>();

    public StepWorker(TxSender account, InferenceService inference, TensorStore store, Set<String> models, int askBps) {
        this.account = account;
        this.inference = inference;
        this.store = store;
        this.models = Set.copyOf(models);
        this.askBps = askBps;
    }

    /** Whether this worker (rather than a {@link ProverWorker}) serves {@code r}: a ZK request of its models with a committed input or output. */
    public boolean serves(Request r) {
        return (r.inputCommitted() || r.outputCommitted()) && r.mode() instanceof Mode.Zk && models.contains(Model.modelIdOf(r.modelId()));
    }

    /** One step on a view of the market as of a block of time {@code blockTime}. */
    public void onBlock(MarketParams params, List<Request> requests, long blockTime) {
        List<Request> live = requests.stream().filter(r -> !r.status().isFinal() && serves(r)).toList();
        inputs.keySet().retainAll(live.stream().map(Request::id).toList());
        List<Request> queued = new ArrayList<>(live.stream()
                .filter(r -> r.status() == Request.Status.LOCKED && r.lock().prover().equals(account.id()) && !resulted.contains(r.id())).toList());
        Map<String, Boolean> refused = new HashMap<>(); // asked once per model and block
        for (Request r : live) {
            boolean mine = r.lock() != null && r.lock().prover().equals(account.id());
            if (mine) {
                held.add(r.id());
            }
            if (r.status() == Request.Status.OPEN && !held.contains(r.id())
                    && Auction.price(r, blockTime, params) >= MarketParams.fractionRoundedUp(r.maxFee(), askBps) && servable(r, params, blockTime, queued)
                    && !refused.computeIfAbsent(Model.modelIdOf(r.modelId()), m -> inference.refusal(m).isPresent())) {
                Optional<Opened> input = input(r);
                if (input.isPresent() && tried.add(new Round(r.id(), r.openedAt()))) {
                    inputs.put(r.id(), input.get());
                    account.send(new Tx.LockRequest(r.id()));
                    queued.add(r);
                }
            } else if (r.status() == Request.Status.LOCKED && mine && resulted.add(r.id())) {
                prove(params, r);
            }
        }
    }

    /** A request's input as the worker proves it: the encoded values and, for a private model's committed input, their seeds. */
    private record Opened(byte[] input, List<byte[]> seeds) {
    }

    /**
     * The request's input: public, or taken from the store (values, and seeds for hiding roots) and checked against its
     * roots; empty if not (yet) available. A root of nothing — no stored tensor commits to it — is never locked, nor one
     * stored for another client ({@link TensorStore.Tensor#usableBy}).
     */
    private Optional<Opened> input(Request r) {
        if (!r.inputCommitted()) {
            return Optional.of(new Opened(r.input(), List.of()));
        }
        List<long[]> values = new ArrayList<>();
        List<byte[]> seeds = new ArrayList<>();
        for (byte[] root : r.inputRoots()) {
            Optional<TensorStore.Tensor> v = store.get(root);
            if (v.isEmpty() || !v.get().usableBy(r.client())) {
                return Optional.empty(); // absent, or another client's: a root is public, anyone may name it in a request
            }
            values.add(v.get().values());
            if (v.get().seed().length > 0) {
                seeds.add(v.get().seed());
            }
        }
        byte[] input = StatementCodec.encode(values);
        try {
            List<byte[]> roots = inference.inputRoots(Model.modelIdOf(r.modelId()), input, seeds);
            for (int i = 0; i < roots.size(); i++) {
                if (!Arrays.equals(roots.get(i), r.inputRoots().get(i))) {
                    return Optional.empty();
                }
            }
            return roots.size() == r.inputRoots().size() ? Optional.of(new Opened(input, seeds)) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the lock leaves time for this proof behind the {@code queued} ones it owes, each at its model's measured proving time. */
    private boolean servable(Request r, MarketParams params, long blockTime, List<Request> queued) {
        long lockWindow = Math.min(r.deadline(), blockTime + params.lockMillis()) - blockTime;
        long measured = millis(r);
        if (measured == 0 || queued.stream().anyMatch(q -> millis(q) == 0)) {
            return queued.isEmpty() && lockWindow >= params.lockMillis();
        }
        long need = (long) Math.ceil(ProverWorker.SAFETY * (measured + queued.stream().mapToLong(this::millis).sum()));
        return lockWindow >= Math.max(need, params.minLockMillis());
    }

    private long millis(Request r) {
        return provingMillis.getOrDefault(Model.modelIdOf(r.modelId()), 0L);
    }

    private void prove(MarketParams params, Request r) {
        String model = Model.modelIdOf(r.modelId());
        Opened input = inputs.containsKey(r.id()) ? inputs.get(r.id()) : input(r).orElse(null);
        if (input == null) {
            return; // its input left the store: the lock expires and the request goes to another prover
        }
        long start = System.nanoTime();
        InferenceService.Committed c;
        try {
            c = inference.proveCommitted(model, input.input(), input.seeds(), r.inputCommitted(), r.outputCommitted(),
                    ProofContext.request(params.chainId(), r.id(), account.id()));
        } catch (RuntimeException e) {
            // As ProverWorker: an input it cannot prove is shown on the ledger, which upholds the claim only if the input fails the
            // model's input check. A committed input is shown by its opening (a private model's with the seeds, making it public),
            // so only once its own check finds the input at fault: a claim the ledger refuses would still publish it.
            if (!r.inputCommitted() || !inference.checkInput(model, input.input()).valid()) {
                account.send(new Tx.ClaimUnprovable(r.id(), r.inputCommitted() ? Openings.encode(StatementCodec.decode(input.input()), input.seeds()) : new byte[0]));
            }
            return;
        }
        provingMillis.merge(model, (System.nanoTime() - start) / 1_000_000, Math::max);
        if (r.outputCommitted()) {
            for (int i = 0; i < c.outputRoots().size(); i++) {
                store.put(c.outputRoots().get(i), new TensorStore.Tensor(c.outputs().get(i), c.outputSeeds().isEmpty() ? new byte[0] : c.outputSeeds().get(i),
                        r.client()));
            }
            account.send(new Tx.SubmitCommittedResult(r.id(), c.outputRoots(), c.proof()));
        } else {
            account.send(new Tx.SubmitResult(r.id(), StatementCodec.encode(c.outputs()), c.proof()));
        }
    }
}
