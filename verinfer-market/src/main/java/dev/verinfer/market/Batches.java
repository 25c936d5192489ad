package dev.verinfer.market;

import dev.verinfer.ledger.BlockContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Batch settlement: one batch proof for several ZK requests of one model, all locked by the
 * sender, with public inputs and outputs. The listing is checked first (a refusal changes
 * nothing); then the proof is verified against the requests in the listed order, bound to the
 * batch's {@link ProofContext} (these requests, this prover): valid, each is
 * verified as by its own proof; invalid, each is slashed, as an invalid proof with a single result is.
 */
final class Batches {
    /**
     * Bound on the requests one batch settles. A batch proof's cost hardly grows with its size (alexa_v0.1, one
     * proof on the loaded 2-core machine: B = 64 4.2 s, 128 4.1 s, 256 4.7 s), so the bound is what the
     * transaction's lists hold ({@link TxCodec#MAX_LIST}); the market contract keeps 64.
     */
    static final int MAX_BATCH = TxCodec.MAX_LIST;

    private final MarketState state;
    private final MarketParams params;
    private final ProofVerifier verifier;
    private final Settlement settlement;

    Batches(MarketState state, MarketParams params, ProofVerifier verifier, Settlement settlement) {
        this.state = state;
        this.params = params;
        this.verifier = verifier;
        this.settlement = settlement;
    }

    /** Returns null if the batch verified, else the cause of its members' slashes (the transaction is then answered as refused). */
    String submit(String sender, Tx.SubmitBatchResult b, BlockContext block) {
        List<Long> ids = b.requestIds();
        Rejected.unless(ids.size() >= 2 && ids.size() <= MAX_BATCH, "a batch settles 2.." + MAX_BATCH + " requests, not " + ids.size());
        Rejected.unless(b.outputs().size() == ids.size(), "a batch of " + ids.size() + " requests posts as many outputs, not " + b.outputs().size());
        for (int i = 1; i < ids.size(); i++) {
            Rejected.unless(!ids.subList(0, i).contains(ids.get(i)), "request " + ids.get(i) + " is listed twice in the batch");
        }
        for (int i = 1; i < ids.size(); i++) {
            Rejected.unless(ids.get(i - 1) < ids.get(i), "a batch lists its requests in increasing id order, the order of the proof's inferences: "
                    + ids.get(i) + " follows " + ids.get(i - 1));
        }
        Rejected.unless(b.proof().length > 0, "a batch result comes with its proof");
        List<Request> posted = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Request r = Transitions.lockedBy(state, sender, ids.get(i), Request.Status.LOCKED);
            Rejected.unless(r.mode() instanceof Mode.Zk, "request " + r.id() + " is " + r.mode() + ": only ZK requests settle in a batch");
            Rejected.unless(!r.inputCommitted() && !r.outputCommitted(), "request " + r.id()
                    + " has a committed input or output: a batch proof shows its inputs and outputs");
            Rejected.unless(r.modelId().equals(state.requests.get(ids.getFirst()).modelId()), "request " + r.id() + " is for model " + r.modelId()
                    + ", the batch for " + state.requests.get(ids.getFirst()).modelId());
            Transitions.checkOutput(b.outputs().get(i));
            posted.add(r.posted(new Request.Result(b.outputs().get(i), List.of(), block.timeMillis(), block.height())));
        }
        Model m = state.models.get(posted.getFirst().modelId());
        byte[] context = ProofContext.batch(params.chainId(), ids, sender);
        Verdict v = verifier.verifyBatch(m.verifyingKey(), m.weightRotations(), posted.stream().map(r -> r.statement().bound(context)).toList(), b.proof());
        for (Request r : posted) {
            // A member's workflow may have ended (and released it) while earlier members settled.
            if (state.requests.get(r.id()).status() != Request.Status.LOCKED) {
                continue;
            }
            if (v.valid()) {
                settlement.verified(r, block);
            } else {
                settlement.slash(r, "invalid batch proof with the results: " + v.reason(), block);
            }
        }
        return v.valid() ? null : "invalid batch proof with the results: " + v.reason() + "; prover slashed on every request of the batch";
    }
}
