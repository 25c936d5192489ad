package dev.verinfer.merkle;

/**
 * How an inner node of a truncated tree ({@link MerkleHasher}, d digest bytes) hashes its children. Both are H(0x01 ‖ …) with the
 * leaf's 0x00 apart, and both keep H's generic bounds at d bytes (collisions 2^(4d), second preimages 2^(8d)); they differ only
 * in whether the children's 32 − d zero bytes of padding are hashed. A tree is built and verified with one of them: which, every
 * verifier knows from the proof's format, never from a prover's choice.
 */
public enum MerkleNode {
    /** H(0x01 ‖ left ‖ right) over the children's 32-byte zero-padded digests: 65 bytes, two SHA-256 compression blocks. */
    PADDED,
    /**
     * H(0x01 ‖ left[0, d) ‖ right[0, d)): 1 + 2d bytes, one SHA-256 compression block when d ≤ 27 (a padded block holds 55
     * message bytes). The same as {@link #PADDED} at d = 32; for d &lt; 32 the padded node's bytes without its zero padding.
     */
    COMPACT
}
