package dev.verinfer.market;

import dev.verinfer.ledger.Block;
import dev.verinfer.ledger.Ledger;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A prover's automaton, run after every block: locks open requests of its models once the
 * auction price reaches its ask, posts the result (with the proof in ZK mode), and proves when
 * challenged or sampled. It tries to lock once per auction round (a request re-opens into a new
 * round), but never again a request it held before: a request it failed goes to others.
 * It serves requests with public inputs and outputs only.
 *
 * <p>Before it locks it runs the model on the input (a request whose input does not run is never
 * locked: the market's entry check sees the input bound, not the intermediate ones, which need the
 * weights), and it locks only if the time its proof may need covers its proving time for that
 * model — the largest it has measured, times {@link #SAFETY}, and never less than the estimate it
 * was given (before either, the market's full lock length): in ZK mode the time the lock leaves,
 * in OPTIMISTIC the response time to a challenge, in SAMPLED the proof window. A ZK lock must also
 * leave time for the ZK proofs it owes already: it queues behind the ZK requests it holds unproven
 * and those it locks in the same block, {@code perProof} of them per proof (1, or a batching
 * prover's batch size, never more than the model's {@link InferenceService#maxBatch}), so it never locks more than it can prove in time (before it has measured a
 * proof, no more than one proof's worth). It locks none of a model's requests while its inference
 * refuses the model ({@link InferenceService#refusal}: a private model's spent weight opening count). If a locked
 * input nonetheless fails, it claims it unprovable ({@link Tx.ClaimUnprovable}).
 * Proving runs in {@link #onBlock}; a node would call it off the block-producing thread.
 */
public final class ProverWorker {
    /** Proving-time margin: a lock must leave this multiple of the measured proving time. */
    public static final double SAFETY = 2.0;

    private final TxSender account;
    private final InferenceService inference;
    private final Set<String> models;
    private final int askBps;
    private final long initialProvingMillis;
    private final int perProof;
    private record Round(long requestId, long openedAt) {
    }

    private final Set<Round> tried = new HashSet<>();
    private final Set<Long> held = new HashSet<>();
    private final Set<Long> resulted = new HashSet<>();
    private final Set<Long> proved = new HashSet<>();
    private final Map<Long, byte[]> outputs = new HashMap<>();
    private final Map<String, Long> provingMillis = new HashMap<>();
    /** ZK requests it owes proofs for that its view does not show as its own locked ones (a batching prover's held and under way). */
    private int owedElsewhere;
    /** Models whose open ZK requests it leaves to others in its next block (a batching prover of the same process collects them). */
    private Set<String> zkLeftToOthers = Set.of();

    /** @param askBps the lowest price it serves at, as a fraction of the request's max fee */
    public ProverWorker(TxSender account, InferenceService inference, Set<String> models, int askBps) {
        this(account, inference, models, askBps, 0);
    }

    /** @param initialProvingMillis its proving time per model before it has measured one */
    public ProverWorker(TxSender account, InferenceService inference, Set<String> models, int askBps, long initialProvingMillis) {
        this(account, inference, models, askBps, initialProvingMillis, 1);
    }

    /** @param perProof how many ZK requests one of its proofs settles (a batching prover's batch size) */
    ProverWorker(TxSender account, InferenceService inference, Set<String> models, int askBps, long initialProvingMillis, int perProof) {
        this.perProof = perProof;
        this.account = account;
        this.inference = inference;
        this.models = Set.copyOf(models);
        this.askBps = askBps;
        this.initialProvingMillis = initialProvingMillis;
    }

    public void onBlock(Ledger<Market> ledger, Block block) {
        onBlock(ledger.read(Market::params), ledger.read(m -> m.state().requests()), block.timeMillis());
    }

    /** The time it reckons a proof of {@code modelId} needs; -1 while it has neither measured nor been told one. */
    public long provingEstimate(String modelId) {
        long known = Math.max(initialProvingMillis, provingMillis.getOrDefault(modelId, 0L));
        return known == 0 ? -1 : (long) Math.ceil(SAFETY * known);
    }

    /**
     * The same on a view of the market as of a block of time {@code blockTime}: its parameters and
     * its requests (at least the live ones, with the inputs of open and own ones).
     */
    public void onBlock(MarketParams params, List<Request> requests, long blockTime) {
        // Only public inputs and outputs: a committed input's values reach a prover off the market.
        List<Request> live = requests.stream()
                .filter(r -> !r.status().isFinal() && models.contains(Model.modelIdOf(r.modelId())) && !r.inputCommitted() && !r.outputCommitted()).toList();
        outputs.keySet().retainAll(live.stream().map(Request::id).toList());
        int queued = owedElsewhere + (int) live.stream().filter(r -> r.status() == Request.Status.LOCKED && r.mode() instanceof Mode.Zk
                && r.lock().prover().equals(account.id()) && !resulted.contains(r.id())).count();
        List<Long> locks = new java.util.ArrayList<>();
        Map<String, Boolean> refused = new HashMap<>(); // asked once per model and block (a private key's count is read from its file)
        for (Request r : live) {
            boolean mine = r.lock() != null && r.lock().prover().equals(account.id());
            if (mine) {
                held.add(r.id());
            }
            switch (r.status()) {
                case OPEN -> {
                    if (!held.contains(r.id()) && !(r.mode() instanceof Mode.Zk && zkLeftToOthers.contains(Model.modelIdOf(r.modelId())))
                            && Auction.price(r, blockTime, params) >= MarketParams.fractionRoundedUp(r.maxFee(), askBps)
                            && servable(r, params, blockTime, queued) && !refused.computeIfAbsent(Model.modelIdOf(r.modelId()), m -> inference.refusal(m).isPresent()) && tried.add(new Round(r.id(), r.openedAt())) && runs(r)) {
                        locks.add(r.id());
                        queued += r.mode() instanceof Mode.Zk ? 1 : 0;
                    }
                }
                case LOCKED -> {
                    if (mine && resulted.add(r.id())) {
                        try {
                            byte[] output = outputs.containsKey(r.id()) ? outputs.get(r.id()) : inference.output(Model.modelIdOf(r.modelId()), r.input());
                            byte[] proof = r.mode() instanceof Mode.Zk ? prove(r, params) : new byte[0];
                            account.send(new Tx.SubmitResult(r.id(), output, proof));
                        } catch (RuntimeException e) {
                            account.send(new Tx.ClaimUnprovable(r.id(), new byte[0]));
                        }
                    }
                }
                case PROOF_DUE -> {
                    if (mine && proved.add(r.id())) {
                        account.send(new Tx.SubmitProof(r.id(), prove(r, params)));
                    }
                }
                case POSTED, WAITING, VERIFIED, SETTLED, REFUNDED -> {
                    // nothing to do: waiting for the window, the draw or the workflow, or done
                }
            }
        }
        // A batching prover takes the block's locks in one transaction (they land in one block anyway).
        for (int from = 0; from < locks.size(); from += perProof > 1 ? TxCodec.MAX_LIST : 1) {
            List<Long> part = locks.subList(from, Math.min(locks.size(), from + (perProof > 1 ? TxCodec.MAX_LIST : 1)));
            account.send(part.size() == 1 ? new Tx.LockRequest(part.getFirst()) : new Tx.LockRequests(part));
        }
    }

    /** Tells it how many ZK proofs' requests it owes besides those its view shows (they queue before any it locks now). */
    void owedElsewhere(int requests) {
        this.owedElsewhere = requests;
    }

    /** Tells it the models whose open ZK requests it does not lock (another prover of its process collects them now; not marked tried). */
    void leaveZkToOthers(Set<String> modelIds) {
        this.zkLeftToOthers = Set.copyOf(modelIds);
    }

    /** The output it computed for {@code requestId} before locking it, if it still holds it. */
    byte[] outputOf(long requestId) {
        return outputs.get(requestId);
    }

    /** Whether the lock (and a proof it may owe later) leaves it time to prove, behind the {@code queued} ZK proofs it owes. */
    private boolean servable(Request r, MarketParams params, long blockTime, int queued) {
        long estimate = provingEstimate(Model.modelIdOf(r.modelId()));
        long lockWindow = Math.min(r.deadline(), blockTime + params.lockMillis()) - blockTime;
        // Not knowing its proving time yet, it takes only ZK locks of the market's full length, and
        // trusts the market's minimum windows for a proof demanded later.
        long need = Math.max(estimate, 0);
        // ZK: the proof comes with the result, within the lock. Otherwise the result is the output
        // (already computed before locking) and a proof, if demanded, is due within its own window.
        return switch (r.mode()) {
            case Mode.Zk() -> {
                // A proof settles perProof requests, or fewer where the model's verifier bounds a batch (a verifier session: one).
                int per = Math.max(1, Math.min(perProof, inference.maxBatch(Model.modelIdOf(r.modelId()))));
                long proofs = (queued + per) / per;
                yield estimate < 0 ? proofs == 1 && lockWindow >= params.lockMillis() : lockWindow >= Math.max(proofs * need, params.minLockMillis());
            }
            case Mode.Optimistic(long window) -> lockWindow >= params.minLockMillis() && params.responseMillis() >= need;
            case Mode.Sampled(int bps, long window) -> lockWindow >= params.minLockMillis() && window >= need;
        };
    }

    /** Runs the model on the request's input; false (and it never locks the request) if the input does not run. */
    private boolean runs(Request r) {
        try {
            outputs.put(r.id(), inference.output(Model.modelIdOf(r.modelId()), r.input()));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A proof bound to the request and to itself (the market checks it), its time measured. */
    private byte[] prove(Request r, MarketParams params) {
        long start = System.nanoTime();
        byte[] proof = inference.prove(Model.modelIdOf(r.modelId()), r.input(), account.proofContext(params, r.id()));
        provingMillis.merge(Model.modelIdOf(r.modelId()), (System.nanoTime() - start) / 1_000_000, Math::max);
        return proof;
    }
}
