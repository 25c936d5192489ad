package dev.verinfer.market;

import dev.verinfer.ledger.BlockContext;
import dev.verinfer.ledger.Hash;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The transitions time makes at the start of each block, in request order: expired open requests
 * (and workflow steps still waiting at their deadline) are refunded, failing their workflow; silent provers (lock expired without a result) and provers who owe a proof past
 * its due time are slashed; unchallenged optimistic results settle after their window; sampled
 * results are drawn once the block after the result is sealed.
 */
final class Timers {
    private static final byte[] SAMPLE_DOMAIN = "verinfer-market-sample-v1".getBytes(StandardCharsets.US_ASCII);

    private final MarketState state;
    private final Settlement settlement;

    Timers(MarketState state, Settlement settlement) {
        this.state = state;
        this.settlement = settlement;
    }

    void beginBlock(BlockContext block) {
        long now = block.timeMillis();
        List<Long> live = state.requests.values().stream().filter(r -> !r.status().isFinal()).map(Request::id).toList();
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

    private void posted(Request r, BlockContext block) {
        switch (r.mode()) {
            case Mode.Optimistic(long window) -> {
                if (block.timeMillis() >= r.result().postedAt() + window) {
                    settlement.verified(r, block);
                }
            }
            case Mode.Sampled(int bps, long window) -> {
                // The parent of this block was sealed after the result's block: its hash was unknown when the result was posted.
                if (block.height() >= r.result().postedHeight() + 2) {
                    if (sampled(block.parentHash(), r.id(), bps)) {
                        state.requests.put(r.id(), r.disputed(new Request.Dispute("", 0, block.timeMillis() + window)));
                    } else {
                        settlement.verified(r, block);
                    }
                }
            }
            case Mode.Zk() -> throw new IllegalStateException("ZK results settle when posted");
        }
    }

    /**
     * The draw: SHA-256(domain, block hash, request id) read as an unsigned number, below {@code bps}/10000 of its range.
     * Limitation: whoever can choose the contents of the block after the result and predict its
     * timestamp can try contents until the draw misses; a randomness beacon (e.g. the operator's
     * VRF output, or commit–reveal) mixed in here would close that.
     */
    static boolean sampled(Hash blockHash, long requestId, int bps) {
        byte[] d = Hash.of(SAMPLE_DOMAIN, blockHash.bytes(), ByteBuffer.allocate(8).putLong(requestId).array()).bytes();
        long x = ByteBuffer.wrap(d).getLong();
        return Long.remainderUnsigned(x, 10_000) < bps;
    }
}
