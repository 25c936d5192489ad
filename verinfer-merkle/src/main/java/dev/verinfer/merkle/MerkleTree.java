package dev.verinfer.merkle;

import dev.verinfer.field.Parallelism;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A binary SHA-256 (or Keccak-256) Merkle tree ({@link MerkleHasher}) over a fixed list of leaves. A leaf count that
 * is not a power of two is padded up to one with all-zero digests; a single leaf is its own root.
 * Nodes live in one heap-ordered array: node i has children 2i and 2i + 1, the root is node 1 and
 * leaf j is node width + j. Leaves and wide levels are hashed in parallel.
 */
public final class MerkleTree {
    /** Largest leaf count: keeps the node array (64 bytes per leaf) below 2^31 bytes. */
    public static final int MAX_LEAVES = 1 << 24;
    private static final int PARALLEL_CHUNK = 1 << 10;
    /** Fewest leaves of a subtree {@link #build} hashes as one task. */
    private static final int MIN_SUBTREE = 1 << 8;
    private static final int D = MerkleHasher.DIGEST_BYTES;

    private final int leafCount;
    private final int width;
    private final byte[] nodes;
    private final int digestBytes;

    private MerkleTree(int leafCount, int width, byte[] nodes, int digestBytes) {
        this.leafCount = leafCount;
        this.width = width;
        this.nodes = nodes;
        this.digestBytes = digestBytes;
    }

    /** A tree whose leaves are the {@link MerkleHasher#leaf leaf hashes} of the given byte strings. */
    public static MerkleTree ofLeaves(byte[][] leaves) {
        return ofLeaves(leaves, MerkleHash.SHA256, D);
    }

    /** The same with {@code hash} truncated to {@code digestBytes} ({@link MerkleHasher#MerkleHasher(MerkleHash, int)}). */
    public static MerkleTree ofLeaves(byte[][] leaves, MerkleHash hash, int digestBytes) {
        MerkleHasher.checkDigestBytes(digestBytes);
        return ofLeafBytes(leaves.length, Arrays.stream(leaves).mapToInt(l -> l.length).max().orElse(0), hash, digestBytes, MerkleNode.PADDED, (i, buf, at) -> {
            System.arraycopy(leaves[i], 0, buf, at, leaves[i].length);
            return leaves[i].length;
        });
    }

    /** A tree over leaf digests computed by the caller (each 32 bytes, e.g. {@link MerkleHasher#leaf}). */
    public static MerkleTree ofLeafHashes(byte[][] leafHashes) {
        int n = leafHashes.length;
        int width = paddedWidth(checkLeafCount(n));
        byte[] nodes = new byte[2 * width * D];
        for (int i = 0; i < n; i++) {
            if (leafHashes[i].length != D) {
                throw new IllegalArgumentException("leaf hash " + i + " has " + leafHashes[i].length + " bytes, not " + D);
            }
            System.arraycopy(leafHashes[i], 0, nodes, (width + i) * D, D);
        }
        return build(n, width, nodes, MerkleHash.SHA256, D, MerkleNode.PADDED);
    }

    /**
     * Writes leaf {@code index}'s bytes to {@code buffer} from {@code at} and returns how many it wrote (the byte before
     * {@code at} is the tree's: the leaf's domain byte goes there, so the leaf is hashed by one update).
     */
    @FunctionalInterface
    public interface LeafBytes {
        int write(int index, byte[] buffer, int at);
    }

    /**
     * A tree over {@code n} leaves given by their bytes (at most {@code maxLeafBytes} each), each
     * {@link MerkleHasher#leaf leaf-hashed} straight into the tree: no leaf or digest is held apart
     * from the node array (a codeword's tree needs no copy of its fibres). Every hash is {@code hash} truncated to
     * {@code digestBytes} ({@link MerkleHasher#MerkleHasher(MerkleHash, int)}), its inner nodes {@link MerkleNode#PADDED}.
     */
    public static MerkleTree ofLeafBytes(int n, int maxLeafBytes, MerkleHash hash, int digestBytes, LeafBytes leaves) {
        return ofLeafBytes(n, maxLeafBytes, hash, digestBytes, MerkleNode.PADDED, leaves);
    }

    /** {@link #ofLeafBytes(int, int, MerkleHash, int, LeafBytes)} with its inner nodes hashed as {@code node} says. */
    public static MerkleTree ofLeafBytes(int n, int maxLeafBytes, MerkleHash hash, int digestBytes, MerkleNode node, LeafBytes leaves) {
        MerkleHasher.checkDigestBytes(digestBytes);
        int width = paddedWidth(checkLeafCount(n));
        byte[] nodes = new byte[2 * width * D];
        Parallelism.forEachChunk(n, PARALLEL_CHUNK / 4, (from, to) -> {
            MerkleHasher h = new MerkleHasher(hash, digestBytes);
            byte[] buffer = new byte[1 + maxLeafBytes];
            for (int i = from; i < to; i++) {
                h.leafAfter(buffer, 0, leaves.write(i, buffer, 1), nodes, (width + i) * D);
            }
        });
        return build(n, width, nodes, hash, digestBytes, node);
    }

    private static int checkLeafCount(int n) {
        if (n < 1 || n > MAX_LEAVES) {
            throw new IllegalArgumentException("leaf count " + n + " outside [1, " + MAX_LEAVES + "]");
        }
        return n;
    }

    /**
     * Hashes the inner nodes above the leaf digests already in {@code nodes}: the tree cut into {@code parts} subtrees
     * (a power of two, each of at least {@link #MIN_SUBTREE} leaves), each hashed up to its root by one task, then the
     * top parts − 1 nodes. One fork for all levels, and no level is left to the calling thread alone but the top.
     */
    private static MerkleTree build(int n, int width, byte[] nodes, MerkleHash hash, int digestBytes, MerkleNode node) {
        int parts = Integer.highestOneBit(Parallelism.chunkCount(width, MIN_SUBTREE));
        Parallelism.forEachChunk(parts, 1, (from, to) -> {
            MerkleHasher h = new MerkleHasher(hash, digestBytes, node);
            for (int t = from; t < to; t++) {
                for (int level = width / 2; level >= parts; level /= 2) {
                    int per = level / parts;
                    for (int i = level + t * per; i < level + (t + 1) * per; i++) {
                        h.node(nodes, 2 * i * D, nodes, i * D);
                    }
                }
            }
        });
        MerkleHasher h = new MerkleHasher(hash, digestBytes, node);
        for (int i = parts - 1; i >= 1; i--) {
            h.node(nodes, 2 * i * D, nodes, i * D);
        }
        return new MerkleTree(n, width, nodes, digestBytes);
    }

    /** The bytes of its hash each hash of this tree keeps. */
    public int digestBytes() {
        return digestBytes;
    }

    public int leafCount() {
        return leafCount;
    }

    public byte[] root() {
        return node(1);
    }

    public byte[] leafHash(int index) {
        return node(width + checkIndex(index));
    }

    /**
     * One proof for the leaves at {@code indices} (strictly increasing): the siblings of the union of
     * their root paths that cannot be computed from the opened leaves, bottom level first, left to right.
     */
    public MerkleMultiProof open(int[] indices) {
        return open(nodes, i -> i, width, leafCount, digestBytes, indices);
    }

    /**
     * {@link #open} on a node array of {@code width} leaves, {@code leafCount} of them real, heap node i stored at
     * {@code stored(i)} (the identity for a heap-ordered array).
     */
    static MerkleMultiProof open(byte[] nodes, java.util.function.IntUnaryOperator stored, int width, int leafCount, int digestBytes, int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("no leaves to open");
        }
        int[] pos = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            if (i > 0 && indices[i] <= indices[i - 1]) {
                throw new IllegalArgumentException("leaf indices must be strictly increasing: " + Arrays.toString(indices));
            }
            if (indices[i] < 0 || indices[i] >= leafCount) {
                throw new IllegalArgumentException("leaf index " + indices[i] + " outside [0, " + leafCount + ")");
            }
            pos[i] = width + indices[i];
        }
        List<byte[]> siblings = new ArrayList<>();
        int len = pos.length;
        while (pos[0] > 1) {
            int next = 0;
            for (int i = 0; i < len; i++) {
                int p = pos[i];
                if ((p & 1) == 0 && i + 1 < len && pos[i + 1] == p + 1) {
                    i++; // both children known: nothing to send
                } else {
                    int at = stored.applyAsInt(p ^ 1);
                    siblings.add(Arrays.copyOfRange(nodes, at * D, (at + 1) * D));
                }
                pos[next++] = p >>> 1;
            }
            len = next;
        }
        return new MerkleMultiProof(siblings.toArray(byte[][]::new), digestBytes);
    }

    static int paddedWidth(int leafCount) {
        return Integer.highestOneBit(leafCount) == leafCount ? leafCount : Integer.highestOneBit(leafCount) << 1;
    }

    private byte[] node(int i) {
        return Arrays.copyOfRange(nodes, i * D, (i + 1) * D);
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= leafCount) {
            throw new IllegalArgumentException("leaf index " + index + " outside [0, " + leafCount + ")");
        }
        return index;
    }
}
