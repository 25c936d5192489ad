package dev.verinfer.market;

import dev.verinfer.ledger.Block;
import dev.verinfer.ledger.Ledger;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A prover's automaton, run after every block: locks open requests of its models once the
 * auction price reaches its ask, posts the result (with the proof in ZK mode), and proves when
 * challenged or sampled. It tries to lock once per auction round (a request re-opens into a new
 * round), but never again a request it held before: a request it failed goes to others.
 * It serves requests with public inputs and outputs only.
 * Proving runs in {@link #onBlock}; a node would call it off the block-producing thread.
 */
public final class ProverWorker {
    private final TxSender account;
    private final InferenceService inference;
    private final Set<String> models;
    private final int askBps;
    private record Round(long requestId, long openedAt) {
    }

    private final Set<Round> tried = new HashSet<>();
    private final Set<Long> held = new HashSet<>();
    private final Set<Long> resulted = new HashSet<>();
    private final Set<Long> proved = new HashSet<>();

    /** @param askBps the lowest price it serves at, as a fraction of the request's max fee */
    public ProverWorker(TxSender account, InferenceService inference, Set<String> models, int askBps) {
        this.account = account;
        this.inference = inference;
        this.models = Set.copyOf(models);
        this.askBps = askBps;
    }

    public void onBlock(Ledger<Market> ledger, Block block) {
        onBlock(ledger.read(Market::params), ledger.read(m -> m.state().requests()), block.timeMillis());
    }

    /**
     * The same on a view of the market as of a block of time {@code blockTime}: its parameters and
     * its requests (at least the live ones; a request's input is read only once it is locked).
     */
    public void onBlock(MarketParams params, List<Request> requests, long blockTime) {
        // Only public inputs and outputs: a committed input's values reach a prover off the market.
        List<Request> live = requests.stream()
                .filter(r -> !r.status().isFinal() && models.contains(r.modelId()) && !r.inputCommitted() && !r.outputCommitted()).toList();
        for (Request r : live) {
            boolean mine = r.lock() != null && r.lock().prover().equals(account.id());
            if (mine) {
                held.add(r.id());
            }
            switch (r.status()) {
                case OPEN -> {
                    if (!held.contains(r.id()) && Auction.price(r, blockTime, params) >= MarketParams.fractionRoundedUp(r.maxFee(), askBps)
                            && tried.add(new Round(r.id(), r.openedAt()))) {
                        account.send(new Tx.LockRequest(r.id()));
                    }
                }
                case LOCKED -> {
                    if (mine && resulted.add(r.id())) {
                        byte[] proof = r.mode() instanceof Mode.Zk ? inference.prove(r.modelId(), r.input(), context(params, r)) : new byte[0];
                        account.send(new Tx.SubmitResult(r.id(), inference.output(r.modelId(), r.input()), proof));
                    }
                }
                case PROOF_DUE -> {
                    if (mine && proved.add(r.id())) {
                        account.send(new Tx.SubmitProof(r.id(), inference.prove(r.modelId(), r.input(), context(params, r))));
                    }
                }
                case POSTED, WAITING, VERIFIED, SETTLED, REFUNDED -> {
                    // nothing to do: waiting for the window, the draw or the workflow, or done
                }
            }
        }
    }

    /** Its proofs are bound to the request and to itself (the market checks it). */
    private byte[] context(MarketParams params, Request r) {
        return ProofContext.request(params.chainId(), r.id(), account.id());
    }
}
