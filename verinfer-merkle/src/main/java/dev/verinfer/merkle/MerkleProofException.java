package dev.verinfer.merkle;

/** A Merkle opening that does not verify; the message says which check failed. */
public final class MerkleProofException extends Exception {
    public MerkleProofException(String message) {
        super(message);
    }
}
