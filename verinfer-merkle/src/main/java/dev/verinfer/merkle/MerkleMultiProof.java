package dev.verinfer.merkle;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A batched opening of several leaves of one {@link MerkleTree}: the sibling digests the verifier
 * cannot recompute from the opened leaves, in the order {@link MerkleTree#open} emits them. Every
 * sibling must be consumed by verification; a proof with too few or too many is rejected. The proof
 * belongs to a tree of a {@link MerkleHash} truncated to {@link #digestBytes()} ({@link MerkleHasher#MerkleHasher(MerkleHash, int)}):
 * it is encoded with exactly that many bytes a sibling, zero-padded to 32 when read, and verified with
 * the same truncation and the hash the verifier names.
 */
public final class MerkleMultiProof {
    private static final int D = MerkleHasher.DIGEST_BYTES;

    private final byte[][] siblings;
    private final int digestBytes;

    MerkleMultiProof(byte[][] siblings, int digestBytes) {
        this.siblings = siblings;
        this.digestBytes = digestBytes;
    }

    /** A proof of no leaves (a part of a proof whose leaves another tree carries). */
    public static MerkleMultiProof empty(int digestBytes) {
        MerkleHasher.checkDigestBytes(digestBytes);
        return new MerkleMultiProof(new byte[0][], digestBytes);
    }

    /** The bytes of its hash each hash of the proof's tree keeps (32: untruncated). */
    public int digestBytes() {
        return digestBytes;
    }

    public int siblingCount() {
        return siblings.length;
    }

    byte[] sibling(int i) {
        return siblings[i].clone();
    }

    /** The most siblings an honest proof of {@code openings} leaves out of {@code leafCount} can hold. */
    public static int maxSiblings(int leafCount, int openings) {
        int depth = Integer.numberOfTrailingZeros(MerkleTree.paddedWidth(Math.max(1, leafCount)));
        return (int) Math.min(Integer.MAX_VALUE, (long) openings * depth);
    }

    /**
     * Checks that the leaves with digests {@code leafHashes} (computed with {@link #digestBytes()}: zero-padded
     * to 32 bytes) sit at {@code indices} (strictly increasing) of a tree of {@code leafCount} leaves with this
     * {@code root} (32 bytes, zero-padded alike: any other root fails the comparison), every node hashed with {@code hash}.
     * Never throws anything else on bad input. The tree's inner nodes are {@link MerkleNode#PADDED}.
     */
    public void verify(MerkleHash hash, byte[] root, int leafCount, int[] indices, byte[][] leafHashes) throws MerkleProofException {
        verify(hash, MerkleNode.PADDED, root, leafCount, indices, leafHashes);
    }

    /** {@link #verify(MerkleHash, byte[], int, int[], byte[][])} of a tree whose inner nodes are hashed as {@code node} says. */
    public void verify(MerkleHash hash, MerkleNode node, byte[] root, int leafCount, int[] indices, byte[][] leafHashes) throws MerkleProofException {
        verify(hash, node, root, leafCount, indices, leafHashes, 0, (height, position, buffer, at) -> 0);
    }

    /**
     * {@link #verify(MerkleHash, MerkleNode, byte[], int, int[], byte[][])} for a tree of {@code leafCount} leaves (a power of two)
     * whose nodes on the leaves' paths hold the values {@code injected} writes for their height and <em>position</em> (at most
     * {@code maxInjectedBytes}; {@link InjectedMerkleTree#verify} gives it their class).
     */
    public void verify(MerkleHash hash, MerkleNode node, byte[] root, int leafCount, int[] indices, byte[][] leafHashes, int maxInjectedBytes,
                       InjectedMerkleTree.Injected injected) throws MerkleProofException {
        if (root == null || root.length != D) {
            throw new MerkleProofException("root must be " + D + " bytes");
        }
        if (leafCount < 1 || leafCount > MerkleTree.MAX_LEAVES) {
            throw new MerkleProofException("leaf count " + leafCount + " outside [1, " + MerkleTree.MAX_LEAVES + "]");
        }
        if (indices.length == 0 || indices.length != leafHashes.length) {
            throw new MerkleProofException(indices.length + " indices for " + leafHashes.length + " leaves");
        }
        int width = MerkleTree.paddedWidth(leafCount);
        int[] pos = new int[indices.length];
        byte[][] digest = new byte[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= leafCount || (i > 0 && indices[i] <= indices[i - 1])) {
                throw new MerkleProofException("leaf indices must be strictly increasing in [0, " + leafCount + "): " + Arrays.toString(indices));
            }
            if (leafHashes[i] == null || leafHashes[i].length != D) {
                throw new MerkleProofException("leaf hash " + i + " is not " + D + " bytes");
            }
            pos[i] = width + indices[i];
            digest[i] = leafHashes[i];
        }
        MerkleHasher h = new MerkleHasher(hash, digestBytes, node);
        int children = 2 * h.childBytes();
        byte[] buffer = new byte[1 + children + maxInjectedBytes];
        int used = 0;
        int len = pos.length;
        for (int height = 1; pos[0] > 1; height++) {
            int next = 0;
            for (int i = 0; i < len; i++) {
                int p = pos[i];
                byte[] left;
                byte[] right;
                if ((p & 1) == 0 && i + 1 < len && pos[i + 1] == p + 1) {
                    left = digest[i];
                    right = digest[++i];
                } else {
                    if (used == siblings.length) {
                        throw new MerkleProofException("proof too short: only " + siblings.length + " siblings");
                    }
                    byte[] s = siblings[used++];
                    left = (p & 1) == 0 ? digest[i] : s;
                    right = (p & 1) == 0 ? s : digest[i];
                }
                int parent = p >>> 1;
                int values = injected.write(height, parent - (width >>> height), buffer, 1 + children);
                if (values == 0) {
                    digest[next] = h.node(left, right);
                } else {
                    System.arraycopy(left, 0, buffer, 1, children / 2);
                    System.arraycopy(right, 0, buffer, 1 + children / 2, children / 2);
                    digest[next] = new byte[D];
                    h.injectedNodeAfter(buffer, 0, children + values, digest[next], 0);
                }
                pos[next++] = parent;
            }
            len = next;
        }
        if (used != siblings.length) {
            throw new MerkleProofException("proof has " + (siblings.length - used) + " unused siblings");
        }
        if (!MessageDigest.isEqual(digest[0], root)) {
            throw new MerkleProofException("recomputed root does not match");
        }
    }

    /** The sibling count, then each sibling's first {@link #digestBytes()} bytes (the rest is zero by construction). */
    public void write(ProofWriter w) {
        w.writeInt(siblings.length);
        for (byte[] s : siblings) {
            w.writeRaw(digestBytes == D ? s : Arrays.copyOf(s, digestBytes));
        }
    }

    /** A proof of a tree of untruncated SHA-256. */
    public static MerkleMultiProof read(ProofReader r, int maxSiblings) throws MalformedProofException {
        return read(r, maxSiblings, D);
    }

    /** A proof of a tree of a hash truncated to {@code digestBytes}: that many bytes a sibling, zero-padded to 32. */
    public static MerkleMultiProof read(ProofReader r, int maxSiblings, int digestBytes) throws MalformedProofException {
        MerkleHasher.checkDigestBytes(digestBytes);
        int n = r.readLength(maxSiblings, "Merkle siblings");
        if ((long) n * digestBytes > r.remaining()) {
            throw new MalformedProofException("truncated: " + n + " Merkle siblings need " + (long) n * digestBytes + " bytes, " + r.remaining() + " left");
        }
        byte[][] s = new byte[n][];
        for (int i = 0; i < n; i++) {
            s[i] = Arrays.copyOf(r.readRaw(digestBytes, "Merkle sibling"), D);
        }
        return new MerkleMultiProof(s, digestBytes);
    }
}
