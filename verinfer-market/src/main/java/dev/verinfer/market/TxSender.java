package dev.verinfer.market;

import dev.verinfer.ledger.Hash;

import java.util.List;

/** An account that signs and sends transactions: on an in-process ledger ({@link MarketAccount}) or to a node over its API. */
public interface TxSender {
    /** The sender's account id. */
    String id();

    /** Signs {@code body} with the account's next nonce and sends it; returns the transaction's hash. */
    Hash send(Tx body);

    /** The context a proof for request {@code requestId} by this account is bound to on its market (the embedded market's {@link ProofContext}). */
    default byte[] proofContext(MarketParams params, long requestId) {
        return ProofContext.request(params.chainId(), requestId, id());
    }

    /** The most requests one batch proof settles on its market (the embedded market's bound; a market contract's may be lower). */
    default int maxBatch() {
        return Batches.MAX_BATCH;
    }

    /** The context one batch proof of {@code requestIds} (in the listed order) by this account is bound to on its market ({@link ProofContext#batch}). */
    default byte[] batchProofContext(MarketParams params, List<Long> requestIds) {
        return ProofContext.batch(params.chainId(), requestIds, id());
    }
}
