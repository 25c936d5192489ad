package dev.verinfer.merkle;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 with domain separation between leaves and inner nodes: leaf = H(0x00 ‖ data),
 * node = H(0x01 ‖ left ‖ right), so no inner node can be passed off as a leaf or vice versa
 * (the second-preimage attack on plain Merkle trees). One instance per thread: it is not thread-safe.
 */
public final class MerkleHasher {
    public static final int DIGEST_BYTES = 32;
    private static final byte LEAF = 0;
    private static final byte NODE = 1;

    private final MessageDigest sha;

    public MerkleHasher() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** The leaf hash of data[off, off + len). */
    public byte[] leaf(byte[] data, int off, int len) {
        sha.update(LEAF);
        sha.update(data, off, len);
        return sha.digest();
    }

    /** Writes the leaf hash of data[off, off + len) to dst[to, to + 32). */
    void leaf(byte[] data, int off, int len, byte[] dst, int to) {
        sha.update(LEAF);
        sha.update(data, off, len);
        digestInto(dst, to);
    }

    public byte[] leaf(byte[] data) {
        return leaf(data, 0, data.length);
    }

    public byte[] node(byte[] left, byte[] right) {
        sha.update(NODE);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    /** Writes H(0x01 ‖ src[at, at + 64)) to dst[to, to + 32): both children are adjacent in a heap layout. */
    void node(byte[] src, int at, byte[] dst, int to) {
        sha.update(NODE);
        sha.update(src, at, 2 * DIGEST_BYTES);
        digestInto(dst, to);
    }

    private void digestInto(byte[] dst, int to) {
        try {
            sha.digest(dst, to, DIGEST_BYTES);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }
}
