package dev.verinfer.market;

import dev.verinfer.ledger.BlockContext;

/**
 * The value movements that end a request's round: payment of a verified result, slashing of a
 * failed prover, and re-opening or refunding. Callers have checked the request's stage.
 */
final class Settlement {
    private final MarketState state;
    private final MarketParams params;

    Settlement(MarketState state, MarketParams params) {
        this.state = state;
        this.params = params;
    }

    /** Pays the locked price: royalty to the model owner, the protocol fee to the treasury, the rest to the prover; the unused escrow back to the client; the collateral back to the stake. */
    void pay(Request r, BlockContext block) {
        if (r.status().isFinal()) {
            throw new IllegalStateException("request " + r.id() + " is already " + r.status() + "; it cannot be paid again");
        }
        Request.Lock lock = r.lock();
        Model model = state.models.get(r.modelId());
        long royalty = model.royalty();
        long fee = MarketParams.fraction(lock.price() - royalty, params.protocolFeeBps());
        state.credit(lock.prover(), lock.price() - royalty - fee);
        state.credit(model.owner(), royalty);
        state.treasury += fee;
        state.credit(r.client(), r.maxFee() - lock.price());
        state.provers.put(lock.prover(), state.provers.get(lock.prover()).served(lock.collateral()));
        state.requests.put(r.id(), r.closed(Request.Status.SETTLED));
        state.payments.add(new Payment(r.id(), lock.prover(), lock.price(), royalty, fee, block.height()));
    }

    /**
     * Slashes the locking prover's collateral for {@code cause}: {@code slashVictimBps} of it to the
     * wronged party ({@code victim}: the challenger who caught it, else the client), the rest to the
     * treasury. A challenger's bond goes back to the challenger. The request then re-opens, or is
     * refunded if its deadline has passed.
     */
    void slash(Request r, String cause, BlockContext block) {
        Request.Lock lock = r.lock();
        Request.Dispute dispute = r.dispute();
        boolean challenged = dispute != null && !dispute.challenger().isEmpty();
        String victim = challenged ? dispute.challenger() : r.client();
        long toVictim = MarketParams.fraction(lock.collateral(), params.slashVictimBps());
        state.credit(victim, toVictim);
        state.treasury += lock.collateral() - toVictim;
        if (challenged) {
            state.credit(dispute.challenger(), dispute.bond());
        }
        state.provers.put(lock.prover(), state.provers.get(lock.prover()).slashed(lock.collateral()));
        state.slashes.add(new Slash(r.id(), lock.prover(), lock.collateral(), victim, toVictim, cause, block.height()));
        reopenOrRefund(r, block);
    }

    /** Back to auction if the deadline allows, else the escrow back to the client. */
    void reopenOrRefund(Request r, BlockContext block) {
        if (block.timeMillis() < r.deadline()) {
            state.requests.put(r.id(), r.open(block.timeMillis()));
        } else {
            state.credit(r.client(), r.maxFee());
            state.requests.put(r.id(), r.closed(Request.Status.REFUNDED));
        }
    }
}
