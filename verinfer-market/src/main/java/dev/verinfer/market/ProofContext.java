package dev.verinfer.market;

import dev.verinfer.ledger.Hash;

import java.util.List;

/**
 * The context a market proof is bound to (verinfer-zkml's {@code PublicStatement.context}, absorbed
 * before any prover message): SHA-256 of the market's chain id, the request (or the batch's
 * requests, in order) and the locking prover's account. A proof copied from the ledger into another
 * request, or submitted by another prover, states another context and is refused as invalid, so the
 * copier is slashed, never paid. A workflow step is a request of its own, so its id names it.
 */
public final class ProofContext {
    private ProofContext() {
    }

    /** The context of a proof for request {@code requestId} by {@code prover}: a ZK result, or a proof when challenged or sampled. */
    public static byte[] request(String chainId, long requestId, String prover) {
        return Hash.of(new Wire.Writer().str("verinfer-proof-context-request-v1").str(chainId).i64(requestId).str(prover).toBytes()).bytes();
    }

    /** The context of one batch proof of {@code requestIds} (in the listed order) by {@code prover}. */
    public static byte[] batch(String chainId, List<Long> requestIds, String prover) {
        Wire.Writer w = new Wire.Writer().str("verinfer-proof-context-batch-v1").str(chainId).i32(requestIds.size());
        requestIds.forEach(w::i64);
        return Hash.of(w.str(prover).toBytes()).bytes();
    }
}
