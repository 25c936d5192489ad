package dev.verinfer.market;

import dev.verinfer.ledger.BlockContext;

import java.util.ArrayList;
import java.util.List;

/**
 * The value movements that end a request's round: payment of a verified result, slashing of a
 * failed prover, re-opening or refunding; for workflow steps, holding a verified step's payment
 * until its workflow ends, opening steps whose inputs are now known, and ending the workflow.
 * Callers have checked the request's stage.
 */
final class Settlement {
    private final MarketState state;
    private final MarketParams params;

    Settlement(MarketState state, MarketParams params) {
        this.state = state;
        this.params = params;
    }

    /**
     * A result verified (or stood unchallenged): the collateral goes back to the stake and the
     * request is paid; a workflow step is instead held as {@link Request.Status#VERIFIED} and its
     * workflow advances (successors open, or every step is paid together once all have verified).
     */
    void verified(Request r, BlockContext block) {
        if (r.status().isFinal() || r.status() == Request.Status.VERIFIED) {
            throw new IllegalStateException("request " + r.id() + " is already " + r.status() + "; it cannot be paid again");
        }
        state.provers.put(r.lock().prover(), state.provers.get(r.lock().prover()).served(r.lock().collateral()));
        if (r.workflowId() == 0) {
            payOut(r, block);
            return;
        }
        state.requests.put(r.id(), r.closed(Request.Status.VERIFIED));
        Workflow w = state.workflows.get(r.workflowId());
        List<Request> steps = steps(w);
        if (steps.stream().allMatch(s -> s.status() == Request.Status.VERIFIED)) {
            steps.forEach(s -> payOut(s, block));
            state.workflows.put(w.id(), w.ended(Workflow.Status.SETTLED));
        } else {
            openReady(w, block);
        }
    }

    /** Pays the locked price: royalty to the model owner, the protocol fee to the treasury, the rest to the prover; the unused escrow back to the client. */
    private void payOut(Request r, BlockContext block) {
        Request.Lock lock = r.lock();
        Model model = state.models.get(r.modelId());
        long royalty = model.royalty();
        long fee = MarketParams.fraction(lock.price() - royalty, params.protocolFeeBps());
        state.credit(lock.prover(), lock.price() - royalty - fee);
        state.credit(model.owner(), royalty);
        state.treasury += fee;
        state.credit(r.client(), r.maxFee() - lock.price());
        state.requests.put(r.id(), r.closed(Request.Status.SETTLED));
        state.samples.remove(r.id());
        state.payments.add(new Payment(r.id(), lock.prover(), lock.price(), royalty, fee, block.height()));
    }

    /** Opens each waiting step all of whose predecessors have verified, on their output roots; fails the workflow if a step names an output its predecessor does not have. */
    private void openReady(Workflow w, BlockContext block) {
        for (int i = 0; i < w.size(); i++) {
            Request step = state.requests.get(w.request(i));
            if (step.status() != Request.Status.WAITING
                    || !w.predecessors(i).stream().allMatch(p -> state.requests.get(w.request(p)).status() == Request.Status.VERIFIED)) {
                continue;
            }
            List<byte[]> roots = new ArrayList<>();
            for (Tx.TensorRef ref : w.inputs().get(i)) {
                switch (ref) {
                    case Tx.TensorRef.Root(byte[] root) -> roots.add(root);
                    case Tx.TensorRef.Output(int from, int tensor) -> {
                        List<byte[]> outputs = state.requests.get(w.request(from)).result().outputRoots();
                        if (tensor >= outputs.size()) {
                            fail(w, block);
                            return;
                        }
                        roots.add(outputs.get(tensor));
                    }
                }
            }
            state.requests.put(step.id(), step.open(roots, block.timeMillis()));
        }
    }

    /**
     * Slashes the locking prover's collateral K for {@code cause}: {@code slashVictimBps} of K to the
     * client, {@code challengeRewardBps} of K to the challenger who caused it (if any, with its bond
     * back), the rest to the treasury. The request then re-opens, or is refunded if its deadline has
     * passed; the slashed prover may not lock it again.
     */
    void slash(Request r, String cause, BlockContext block) {
        penalise(r, cause, block);
        reopenOrRefund(r, block);
    }

    /** As {@link #slash}, the request then refunded (failing its workflow) rather than re-opened: it may not be proven again. */
    void slashAndRefund(Request r, String cause, BlockContext block) {
        penalise(r, cause, block);
        refund(r, block);
    }

    private void penalise(Request r, String cause, BlockContext block) {
        Request.Lock lock = r.lock();
        Request.Dispute dispute = r.dispute();
        boolean challenged = dispute != null && !dispute.challenger().isEmpty();
        long toClient = MarketParams.fraction(lock.collateral(), params.slashVictimBps());
        long toChallenger = challenged ? MarketParams.fraction(lock.collateral(), params.challengeRewardBps()) : 0;
        state.credit(r.client(), toClient);
        state.treasury += lock.collateral() - toClient - toChallenger;
        if (challenged) {
            state.credit(dispute.challenger(), Math.addExact(dispute.bond(), toChallenger));
        }
        state.provers.put(lock.prover(), state.provers.get(lock.prover()).slashed(lock.collateral()));
        state.slashes.add(new Slash(r.id(), lock.prover(), lock.collateral(), r.client(), toClient,
                challenged ? dispute.challenger() : "", toChallenger, cause, block.height()));
    }

    /**
     * The client's fault, shown on the ledger ({@code ClaimUnprovable}): the prover's collateral
     * goes back to its stake, {@code clientFaultBps} of the max fee to the prover as compensation,
     * the rest of the escrow to the client; the request ends REFUNDED (failing its workflow).
     */
    void clientFault(Request r, BlockContext block) {
        Request.Lock lock = r.lock();
        long compensation = MarketParams.fraction(r.maxFee(), params.clientFaultBps());
        state.provers.put(lock.prover(), state.provers.get(lock.prover()).released(lock.collateral()));
        state.credit(lock.prover(), compensation);
        refund(r, r.maxFee() - compensation, block);
    }

    /** Back to auction if the deadline allows, else {@link #refund}. */
    void reopenOrRefund(Request r, BlockContext block) {
        if (block.timeMillis() < r.deadline()) {
            state.requests.put(r.id(), r.open(block.timeMillis()));
        } else {
            refund(r, block);
        }
    }

    /** The escrow back to the client; a step refunded while its workflow is active fails the workflow. */
    void refund(Request r, BlockContext block) {
        refund(r, r.maxFee(), block);
    }

    private void refund(Request r, long amount, BlockContext block) {
        state.credit(r.client(), amount);
        state.requests.put(r.id(), r.closed(Request.Status.REFUNDED));
        state.samples.remove(r.id());
        Workflow w = state.workflows.get(r.workflowId());
        if (w != null && w.status() == Workflow.Status.ACTIVE) {
            fail(w, block);
        }
    }

    /**
     * A workflow that cannot complete ends: verified steps are paid (their work is proven), a lock
     * with time left is released without penalty (its collateral back to the stake), a lock that has
     * run out is slashed as silent, and every step not paid is refunded to the client.
     */
    private void fail(Workflow w, BlockContext block) {
        state.workflows.put(w.id(), w.ended(Workflow.Status.FAILED));
        for (Request s : steps(w)) {
            switch (s.status()) {
                case VERIFIED -> payOut(s, block);
                case LOCKED -> {
                    if (block.timeMillis() >= s.lock().expiresAt()) {
                        penalise(s, "silent prover: no result by the lock's expiry at " + s.lock().expiresAt() + ", when its workflow failed", block);
                    } else {
                        state.provers.put(s.lock().prover(), state.provers.get(s.lock().prover()).released(s.lock().collateral()));
                    }
                    refund(s, block);
                }
                case OPEN, WAITING -> refund(s, block);
                case SETTLED, REFUNDED -> {
                    // already ended (the step whose refund failed the workflow)
                }
                case POSTED, PROOF_DUE -> throw new IllegalStateException("workflow steps are ZK: step " + s.id() + " cannot be " + s.status());
            }
        }
    }

    private List<Request> steps(Workflow w) {
        List<Request> out = new ArrayList<>();
        for (int i = 0; i < w.size(); i++) {
            out.add(state.requests.get(w.request(i)));
        }
        return out;
    }
}
