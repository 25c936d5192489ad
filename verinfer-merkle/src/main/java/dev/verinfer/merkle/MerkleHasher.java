package dev.verinfer.merkle;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * SHA-256 (or Keccak-256, {@link MerkleHash}) with domain separation between leaves and inner nodes: leaf = H(0x00 ‖ data),
 * node = H(0x01 ‖ left ‖ right) (an {@link InjectedMerkleTree}'s node holding values: H(0x02 ‖ left ‖ right ‖ values)), so no inner node can be passed off as a leaf or vice versa
 * (the second-preimage attack on plain Merkle trees); a leaf's input-independent half hashed ahead is H(0x03 ‖ data) ({@link #half}). One instance per thread: it is not thread-safe.
 *
 * <p>A hasher of d &lt; 32 {@link #digestBytes() digest bytes} keeps H's first d bytes and zeroes the
 * other 32 − d (every digest is still a 32-byte array, so a node hashes its children's 64 padded bytes):
 * a truncated SHA-256 of 8d bits, with collision resistance 2^(4d) and second-preimage resistance 2^(8d)
 * (the generic bounds; truncation is how SHA-224 and SHA-512/t are built). A proof carries only the d
 * bytes ({@link MerkleMultiProof#write}), so the padding is never read from a prover. A node hashes its children's padded
 * 32 bytes ({@link MerkleNode#PADDED}) or their d bytes alone ({@link MerkleNode#COMPACT}: one SHA-256 block where the padded
 * node takes two, for d ≤ 27).
 */
public final class MerkleHasher {
    /** Bytes of a digest in memory (and of an untruncated one). */
    public static final int DIGEST_BYTES = 32;
    /** Fewest digest bytes a hasher keeps: 128 bits, 64-bit collision resistance. */
    public static final int MIN_DIGEST_BYTES = 16;
    private static final byte LEAF = 0;
    private static final byte NODE = 1;
    private static final byte INJECTED = 2;
    private static final byte HALF = 3;

    private final MessageDigest sha;
    private final int digestBytes;
    /** Bytes of each child a node hashes: 32 ({@link MerkleNode#PADDED}) or {@link #digestBytes} ({@link MerkleNode#COMPACT}). */
    private final int childBytes;
    private byte[] scratch = new byte[1 + 2 * DIGEST_BYTES];

    /** Full 32-byte SHA-256 digests. */
    public MerkleHasher() {
        this(MerkleHash.SHA256, DIGEST_BYTES);
    }

    /** {@code hash} truncated to its first {@code digestBytes} bytes, zero-padded to 32; {@link MerkleNode#PADDED} nodes. */
    public MerkleHasher(MerkleHash hash, int digestBytes) {
        this(hash, digestBytes, MerkleNode.PADDED);
    }

    /** {@code hash} truncated to its first {@code digestBytes} bytes, zero-padded to 32, its inner nodes hashed as {@code node} says. */
    public MerkleHasher(MerkleHash hash, int digestBytes, MerkleNode node) {
        this.digestBytes = checkDigestBytes(digestBytes);
        this.childBytes = node == MerkleNode.COMPACT ? digestBytes : DIGEST_BYTES;
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
        sha.update(prefixed(LEAF, data, off, len), 0, 1 + len);
        return truncated(sha.digest());
    }

    /**
     * Writes the leaf hash of buf[at + 1, at + 1 + len) to dst[to, to + 32); buf[at] is the caller's free byte, where the
     * domain byte is written, so the leaf is hashed by one update and not copied (a tree's leaf writer leaves it free).
     */
    void leafAfter(byte[] buf, int at, int len, byte[] dst, int to) {
        after(LEAF, buf, at, len, dst, to);
    }

    /**
     * H(0x03 ‖ data[off, off + len)), truncated: a leaf's input-independent half (its masks' values and salt), hashed apart so that
     * it can be hashed before the leaf's other values exist; the leaf then hashes its other values and this digest's d bytes
     * ({@link InjectedMerkleTree#halves}).
     */
    public byte[] half(byte[] data, int off, int len) {
        sha.update(prefixed(HALF, data, off, len), 0, 1 + len);
        return truncated(sha.digest());
    }

    /** {@link #half} of buf[at + 1, at + 1 + len) written to dst[to, to + 32); buf[at] is the caller's free byte. */
    void halfAfter(byte[] buf, int at, int len, byte[] dst, int to) {
        after(HALF, buf, at, len, dst, to);
    }

    private void after(byte domain, byte[] buf, int at, int len, byte[] dst, int to) {
        buf[at] = domain;
        sha.update(buf, at, 1 + len);
        digestInto(dst, to);
    }

    public byte[] leaf(byte[] data) {
        return leaf(data, 0, data.length);
    }

    /** The node over two 32-byte digests (their first {@link #digestBytes} bytes alone for a {@link MerkleNode#COMPACT} node). */
    public byte[] node(byte[] left, byte[] right) {
        if (left.length != DIGEST_BYTES || right.length != DIGEST_BYTES) {
            throw new IllegalArgumentException("a node's children are " + DIGEST_BYTES + "-byte digests: " + left.length + ", " + right.length);
        }
        sha.update(children(left, 0, right, 0), 0, 1 + 2 * childBytes);
        return truncated(sha.digest());
    }

    /** Writes the node over src[at, at + 32) and src[at + 32, at + 64) to dst[to, to + 32): both children are adjacent in a heap layout. */
    void node(byte[] src, int at, byte[] dst, int to) {
        node(src, at, src, at + DIGEST_BYTES, dst, to);
    }

    /** Writes the node over left[l, l + 32) and right[r, r + 32) to dst[to, to + 32). */
    void node(byte[] left, int l, byte[] right, int r, byte[] dst, int to) {
        sha.update(children(left, l, right, r), 0, 1 + 2 * childBytes);
        digestInto(dst, to);
    }

    /** The bytes of each child an inner node hashes: 32, or {@link #digestBytes} for {@link MerkleNode#COMPACT} nodes. */
    int childBytes() {
        return childBytes;
    }

    /** 0x01 ‖ left's then right's first {@link #childBytes} bytes in the scratch buffer, to be hashed by one update. */
    private byte[] children(byte[] left, int l, byte[] right, int r) {
        byte[] in = scratch(1 + 2 * childBytes);
        in[0] = NODE;
        System.arraycopy(left, l, in, 1, childBytes);
        System.arraycopy(right, r, in, 1 + childBytes, childBytes);
        return in;
    }

    /**
     * Writes H(0x02 ‖ buf[at + 1, at + 1 + len)) to dst[to, to + 32): an inner node holding values of its own
     * ({@link InjectedMerkleTree}), buf[at + 1, …) its children's {@link #childBytes} bytes each then the values; buf[at] is the
     * caller's free byte.
     */
    void injectedNodeAfter(byte[] buf, int at, int len, byte[] dst, int to) {
        after(INJECTED, buf, at, len, dst, to);
    }

    /**
     * The domain byte then data[off, off + len) in this hasher's scratch buffer, to be hashed by one update: an update of
     * the domain byte alone then one of the data costs ≈ 20 ns more per two-block SHA-256 hash (a second pass through the
     * digest's buffering, which then copies the data too).
     */
    private byte[] prefixed(byte domain, byte[] data, int off, int len) {
        byte[] in = scratch(1 + len);
        in[0] = domain;
        System.arraycopy(data, off, in, 1, len);
        return in;
    }

    /** The scratch buffer, of at least {@code bytes} bytes. */
    private byte[] scratch(int bytes) {
        if (scratch.length < bytes) {
            scratch = new byte[bytes];
        }
        return scratch;
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
