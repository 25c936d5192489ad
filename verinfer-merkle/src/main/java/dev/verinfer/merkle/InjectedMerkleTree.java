package dev.verinfer.merkle;

import dev.verinfer.field.Parallelism;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * A binary Merkle tree of 2^L leaves, leaf q at position bitrev_L(q), whose inner nodes may hold values of their own
 * (docs/proof-system.md, "The carrier with its parts injected at their own height"). The node at height h and position p is
 * over the leaves q ≡ j mod 2^(L−h), j = bitrev_(L−h)(p), its <em>class</em>: a node holding values V is H(0x02 ‖ left ‖ right ‖ V)
 * ({@link MerkleHasher#injectedNodeAfter}), one without is H(0x01 ‖ left ‖ right), the children of 32 or of d bytes as the tree's
 * {@link MerkleNode} says; a leaf is a {@link MerkleHasher#leaf leaf hash}.
 * A table of 2^(L−h) rows is so committed once, row j in the node of class j at height h (the mixed-height idea of Plonky3's
 * MerkleTreeMmcs). Each level is stored in class order, so leaves, values and children are read in sequence (the node of class j
 * has children j and j + 2^(L−h) a level down). Proofs are {@link MerkleMultiProof}s of the leaves' positions ({@link #verify}).
 * The tree is hashed bottom up in steps ({@link #hashThrough}), so the heights below the first that reads a prover's input can
 * be hashed ahead.
 */
public final class InjectedMerkleTree {
    private static final int D = MerkleHasher.DIGEST_BYTES;
    private static final int PARALLEL_CHUNK = 1 << 8;

    /** Writes the values injected into the node of class {@code j} at {@code height} (≥ 1) from {@code at}; returns their byte count (0: none). */
    @FunctionalInterface
    public interface Injected {
        int write(int height, int j, byte[] buffer, int at);
    }

    private final int logLeaves;
    /** Node (h, j) at index 2^(L−h) + j. */
    private final byte[] nodes;
    private final MerkleHash hash;
    private final int digestBytes;
    private final MerkleNode node;
    /** The highest height hashed so far (0: the leaves). */
    private int hashed;

    private InjectedMerkleTree(int logLeaves, byte[] nodes, MerkleHash hash, int digestBytes, MerkleNode node) {
        this.logLeaves = logLeaves;
        this.nodes = nodes;
        this.hash = hash;
        this.digestBytes = digestBytes;
        this.node = node;
    }

    /**
     * The tree's 2^logLeaves leaves q hashed ({@link MerkleTree#ofLeafBytes}'s leaf writer, given q), no inner node yet; its inner
     * nodes will hash their children as {@code node} says.
     */
    public static InjectedMerkleTree leaves(int logLeaves, int maxLeafBytes, MerkleHash hash, int digestBytes, MerkleNode node,
                                            MerkleTree.LeafBytes leaves) {
        MerkleHasher.checkDigestBytes(digestBytes);
        if (logLeaves < 0 || logLeaves > Integer.numberOfTrailingZeros(MerkleTree.MAX_LEAVES)) {
            throw new IllegalArgumentException("2^" + logLeaves + " leaves outside [1, " + MerkleTree.MAX_LEAVES + "]");
        }
        int width = 1 << logLeaves;
        byte[] nodes = new byte[2 * width * D];
        hashEach(width, maxLeafBytes, hash, digestBytes, leaves, false, nodes, width);
        return new InjectedMerkleTree(logLeaves, nodes, hash, digestBytes, node);
    }

    /**
     * The {@link MerkleHasher#half half} digests of 2^logLeaves leaves q ({@code halves} writes leaf q's input-independent half,
     * given q), 32 bytes each at q·32: hashed ahead (a prover's reserve), a leaf writer of {@link #leaves} then appends leaf q's
     * digest's d bytes to its other values, so the leaf hashes H(0x00 ‖ other values ‖ half digest).
     */
    public static byte[] halves(int logLeaves, int maxHalfBytes, MerkleHash hash, int digestBytes, MerkleTree.LeafBytes halves) {
        MerkleHasher.checkDigestBytes(digestBytes);
        byte[] out = new byte[(1 << logLeaves) * D];
        hashEach(1 << logLeaves, maxHalfBytes, hash, digestBytes, halves, true, out, 0);
        return out;
    }

    /** Each of the {@code count} leaves' (or halves') hashes written to out's digest slot {@code first} + q. */
    private static void hashEach(int count, int maxBytes, MerkleHash hash, int digestBytes, MerkleTree.LeafBytes bytes, boolean half, byte[] out, int first) {
        Parallelism.forEachChunk(count, PARALLEL_CHUNK, (from, to) -> {
            MerkleHasher h = new MerkleHasher(hash, digestBytes);
            byte[] buffer = new byte[1 + maxBytes];
            for (int q = from; q < to; q++) {
                int len = bytes.write(q, buffer, 1);
                if (half) {
                    h.halfAfter(buffer, 0, len, out, (first + q) * D);
                } else {
                    h.leafAfter(buffer, 0, len, out, (first + q) * D);
                }
            }
        });
    }

    /** Hashes the inner nodes of every height above the ones hashed, through {@code top}, with {@code injected} values (at most {@code maxInjectedBytes} a node). */
    public InjectedMerkleTree hashThrough(int top, int maxInjectedBytes, Injected injected) {
        if (top < hashed || top > logLeaves) {
            throw new IllegalArgumentException("heights through " + top + " after " + hashed + " of " + logLeaves);
        }
        for (int height = hashed + 1; height <= top; height++) {
            int level = 1 << (logLeaves - height);
            int at = height;
            Parallelism.forEachChunk(level, PARALLEL_CHUNK, (from, to) -> {
                MerkleHasher h = new MerkleHasher(hash, digestBytes, node);
                int child = h.childBytes();
                byte[] buffer = new byte[1 + 2 * D + maxInjectedBytes];
                for (int j = from; j < to; j++) {
                    int len = injected.write(at, j, buffer, 1 + 2 * child);
                    if (len == 0) {
                        h.node(nodes, (2 * level + j) * D, nodes, (3 * level + j) * D, nodes, (level + j) * D);
                    } else {
                        System.arraycopy(nodes, (2 * level + j) * D, buffer, 1, child); // children: classes j and j + level a level down
                        System.arraycopy(nodes, (3 * level + j) * D, buffer, 1 + child, child);
                        h.injectedNodeAfter(buffer, 0, 2 * child + len, nodes, (level + j) * D);
                    }
                }
            });
        }
        hashed = top;
        return this;
    }

    /** The heights hashed so far (0: the leaves alone). */
    public int hashed() {
        return hashed;
    }

    public int logLeaves() {
        return logLeaves;
    }

    public byte[] root() {
        if (hashed != logLeaves) {
            throw new IllegalStateException("the tree is hashed through height " + hashed + " of " + logLeaves);
        }
        return Arrays.copyOfRange(nodes, D, 2 * D);
    }

    /** One proof for the leaves {@code leaves} (distinct): {@link MerkleTree#open}'s of their positions bitrev_L(q), ascending. */
    public MerkleMultiProof open(int[] leaves) {
        root();
        int[] positions = Arrays.stream(leaves).map(q -> reverse(q, logLeaves)).sorted().toArray();
        // heap node i = 2^(L−h) + p is stored at 2^(L−h) + bitrev_(L−h)(p)
        return MerkleTree.open(nodes, i -> {
            int bits = 31 - Integer.numberOfLeadingZeros(i);
            return (1 << bits) + reverse(i - (1 << bits), bits);
        }, 1 << logLeaves, 1 << logLeaves, digestBytes, positions);
    }

    /**
     * Checks {@code proof} ({@link #open}'s) for the leaves {@code leaves} (distinct) with digests {@code leafHashes} (in the same
     * order) of a tree of 2^logLeaves leaves with this root, a node on their paths holding the values {@code injected} writes for its
     * class (at most {@code maxInjectedBytes}).
     */
    public static void verify(MerkleMultiProof proof, MerkleHash hash, MerkleNode node, byte[] root, int logLeaves, int[] leaves, byte[][] leafHashes,
                              int maxInjectedBytes, Injected injected) throws MerkleProofException {
        if (logLeaves < 0 || logLeaves > Integer.numberOfTrailingZeros(MerkleTree.MAX_LEAVES) || leaves.length != leafHashes.length) {
            throw new MerkleProofException(leaves.length + " leaves, " + leafHashes.length + " hashes, of 2^" + logLeaves);
        }
        for (int q : leaves) {
            if (q < 0 || q >= 1 << logLeaves) {
                throw new MerkleProofException("leaf " + q + " outside [0, 2^" + logLeaves + ")");
            }
        }
        Integer[] order = IntStream.range(0, leaves.length).boxed().sorted(Comparator.comparingInt(k -> reverse(leaves[k], logLeaves))).toArray(Integer[]::new);
        int[] positions = Arrays.stream(order).mapToInt(k -> reverse(leaves[k], logLeaves)).toArray();
        byte[][] hashes = Arrays.stream(order).map(k -> leafHashes[k]).toArray(byte[][]::new);
        proof.verify(hash, node, root, 1 << logLeaves, positions, hashes, maxInjectedBytes,
                (h, p, buffer, at) -> injected.write(h, reverse(p, logLeaves - h), buffer, at));
    }

    /** x's low {@code bits} bits reversed: a position at a height and its class, either way. */
    public static int reverse(int x, int bits) {
        return bits == 0 ? 0 : Integer.reverse(x) >>> (32 - bits);
    }
}
