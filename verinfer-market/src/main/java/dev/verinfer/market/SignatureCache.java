package dev.verinfer.market;

import dev.verinfer.ledger.Hash;


/**
 * Signatures found valid, by the SHA-256 of the signed transaction's bytes: a node checks a
 * transaction's Ed25519 signature where it arrives ({@link Market#signatureCheck}), and applying it
 * in a block then finds that verdict instead of verifying again on the block producer's thread
 * (under the ledger's write lock, where every block waits for it). Validity is a pure function of
 * the bytes and the chain id, so replay and the journal's recorded outcomes are unaffected; only
 * valid verdicts are kept, the least recently used dropped beyond {@link #ENTRIES}.
 */
final class SignatureCache {
    /** More than the transactions admitted and not yet in a block at the load the node is built for. */
    static final int ENTRIES = 16_384;

    private final String chainId;
    private final BoundedCache<Hash, Boolean> valid = new BoundedCache<>(ENTRIES);

    SignatureCache(String chainId) {
        this.chainId = chainId;
    }

    /** Whether {@code tx}, decoded from the bytes whose hash is {@code hash}, is signed by its key for this market. */
    boolean valid(Hash hash, SignedTx tx) {
        if (valid.get(hash) != null) {
            return true;
        }
        boolean ok = tx.signatureValid(chainId);
        if (ok) {
            valid.put(hash, Boolean.TRUE);
        }
        return ok;
    }
}
