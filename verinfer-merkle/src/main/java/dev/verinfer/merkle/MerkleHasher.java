package dev.verinfer.merkle;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * SHA-256 (or Keccak-256, {@link MerkleHash}) with domain separation between leaves and inner nodes: leaf = H(0x00 ‖ data),
 * node = H(0x01 ‖ left ‖ right), so no inner node can be passed off as a leaf or vice versa
 * (the second-preimage attack on plain Merkle trees). One instance per thread: it is not thread-safe.
 *
 * <p>A hasher of d &lt; 32 {@link #digestBytes() digest bytes} keeps H's first d bytes and zeroes the
 * other 32 − d (every digest is still a 32-byte array, so a node hashes its children's 64 padded bytes):
 * a truncated SHA-256 of 8d bits, with collision resistance 2^(4d) and second-preimage resistance 2^(8d)
 * (the generic bounds; truncation is how SHA-224 and SHA-512/t are built). A proof carries only the d
 * bytes ({@link MerkleMultiProof#write}), so the padding is never read from a prover.
 */
public final class MerkleHasher {
    /** Bytes of a digest in memory (and of an untruncated one). */
    public static final int DIGEST_BYTES = 32;
    /** Fewest digest bytes a hasher keeps: 128 bits, 64-bit collision resistance. */
    public static final int MIN_DIGEST_BYTES = 16;
    private static final byte LEAF = 0;
    private static final byte NODE = 1;

    private final MessageDigest sha;
    private final int digestBytes;

    /** Full 32-byte SHA-256 digests. */
    public MerkleHasher() {
        this(MerkleHash.SHA256, DIGEST_BYTES);
    }

    /** {@code hash} truncated to its first {@code digestBytes} bytes, zero-padded to 32. */
    public MerkleHasher(MerkleHash hash, int digestBytes) {
        this.digestBytes = checkDigestBytes(digestBytes);
        sha = hash.newDigest();
    }

    /** Checks a digest length is in [{@value #MIN_DIGEST_BYTES}, {@value #DIGEST_BYTES}]. */
    public static int checkDigestBytes(int digestBytes) {
        if (digestBytes < MIN_DIGEST_BYTES || digestBytes > DIGEST_BYTES) {
            throw new IllegalArgumentException("Merkle digest bytes must be in [" + MIN_DIGEST_BYTES + ", " + DIGEST_BYTES + "]: " + digestBytes);
        }
        return digestBytes;
    }

    /** The digest bytes this hasher keeps. */
    public int digestBytes() {
        return digestBytes;
    }

    /** The leaf hash of data[off, off + len). */
    public byte[] leaf(byte[] data, int off, int len) {
        sha.update(LEAF);
        sha.update(data, off, len);
        return truncated(sha.digest());
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
        return truncated(sha.digest());
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
        Arrays.fill(dst, to + digestBytes, to + DIGEST_BYTES, (byte) 0);
    }

    private byte[] truncated(byte[] digest) {
        Arrays.fill(digest, digestBytes, DIGEST_BYTES, (byte) 0);
        return digest;
    }
}
