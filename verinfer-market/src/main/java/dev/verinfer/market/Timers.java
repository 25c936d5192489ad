package dev.verinfer.market;

import dev.verinfer.ledger.BlockContext;

import java.util.List;

/**
 * The transitions time makes at the start of each block, in request order: expired open requests
 * (and workflow steps still waiting at their deadline) are refunded, failing their workflow; silent provers (lock expired without a result) and provers who owe a proof past
 * its due time are slashed; unchallenged optimistic results settle after their window; a sampled
 * result whose client has not revealed its secret within {@code revealMillis} owes its proof
 * (the draw a client withholds counts as drawn, see {@link SampleDraw}).
 *
 * <p>Downtime is excused: a gap of more than {@link #DOWNTIME_MILLIS} between a block and its parent
 * is time the ledger made no block (the node was down, so nobody could send anything), and every
 * running clock of a live request stops for it — a lock's expiry, a result's challenge or reveal
 * window (its posting time moves), a proof's due time all move later by the whole gap — before the
 * timers run. The deadline of a request nobody has locked does not move (it is refunded: nobody is
 * slashed). The gap is the node's own record (block times), not anything a party sends.
 */
final class Timers {
    /** A gap between blocks longer than this is downtime (an idle node seals a block every second). */
    static final long DOWNTIME_MILLIS = 2_000;

    private final MarketState state;
    private final MarketParams params;
    private final Settlement settlement;

    Timers(MarketState state, MarketParams params, Settlement settlement) {
        this.state = state;
        this.params = params;
        this.settlement = settlement;
    }

    void beginBlock(BlockContext block) {
        long now = block.timeMillis();
        List<Long> live = state.requests.values().stream().filter(r -> !r.status().isFinal()).map(Request::id).toList();
        if (block.gapMillis() > DOWNTIME_MILLIS) {
            live.forEach(id -> excuse(state.requests.get(id), block.gapMillis()));
        }
        for (long id : live) {
            // Re-read: an earlier request's workflow may have ended this one in the same block.
            Request r = state.requests.get(id);
            switch (r.status()) {
                case OPEN -> {
                    if (now >= r.deadline()) {
                        settlement.reopenOrRefund(r, block);
                    }
                }
                case WAITING -> {
                    if (now >= r.deadline()) {
                        settlement.refund(r, block);
                    }
                }
                case LOCKED -> {
                    if (now > r.lock().expiresAt()) {
                        settlement.slash(r, "silent prover: no result by the lock's expiry at " + r.lock().expiresAt(), block);
                    }
                }
                case POSTED -> posted(r, block);
                case PROOF_DUE -> {
                    if (now > r.dispute().respondBy()) {
                        settlement.slash(r, "no proof by " + r.dispute().respondBy() + " after " + (r.dispute().challenger().isEmpty() ? "the sampling draw" : "a challenge"), block);
                    }
                }
                case VERIFIED, SETTLED, REFUNDED -> {
                    // waiting for its workflow's other steps, or done
                }
            }
        }
    }

    /** Moves the running clocks of {@code r} later by {@code downtime} (those set at or after the parent block: still running then). */
    private void excuse(Request r, long downtime) {
        Request moved = switch (r.status()) {
            case LOCKED -> r.locked(r.lock().extended(downtime));
            case POSTED -> r.posted(r.result().delayed(downtime));
            case PROOF_DUE -> r.disputed(r.dispute().extended(downtime));
            case OPEN, WAITING, VERIFIED, SETTLED, REFUNDED -> r;
        };
        state.requests.put(r.id(), moved);
    }

    private void posted(Request r, BlockContext block) {
        switch (r.mode()) {
            case Mode.Optimistic(long window) -> {
                if (block.timeMillis() >= r.result().postedAt() + window) {
                    settlement.verified(r, block);
                }
            }
            case Mode.Sampled(int bps, long window) -> {
                if (block.timeMillis() >= r.result().postedAt() + params.revealMillis()) {
                    state.samples.remove(r.id());
                    state.requests.put(r.id(), r.disputed(new Request.Dispute("", 0, block.timeMillis() + window)));
                }
            }
            case Mode.Zk() -> throw new IllegalStateException("ZK results settle when posted");
        }
    }
}
