package dev.verinfer.merkle;

import dev.verinfer.field.Parallelism;

import java.util.Arrays;

/**
 * A binary Merkle tree of 2^L leaves whose inner nodes may hold values of their own (docs/proof-system.md, "The carrier with its
 * parts injected at their own height"): a node at height h ≥ 1 with injected bytes V is H(0x02 ‖ left ‖ right ‖ V)
 * ({@link MerkleHasher#injectedNodeAfter}), one without is {@link MerkleHasher#node}'s H(0x01 ‖ left ‖ right) (children of 32 or of d
 * bytes, as the tree's {@link MerkleNode} says); a leaf is a
 * {@link MerkleHasher#leaf leaf hash}. A table of 2^(L−h) rows is so committed once, row p in the node at height h and position p
 * (the mixed-height idea of Plonky3's MerkleTreeMmcs). Heap layout as {@link MerkleTree}'s; proofs are {@link MerkleMultiProof}s,
 * checked by {@link MerkleMultiProof#verify(MerkleHash, byte[], int, int[], byte[][], int, Injected)}. The tree is hashed bottom
 * up in steps ({@link #hashThrough}), so the heights below the first that depends on a prover's input can be hashed ahead.
 */
public final class InjectedMerkleTree {
    private static final int D = MerkleHasher.DIGEST_BYTES;
    private static final int PARALLEL_CHUNK = 1 << 8;

    /** Writes the values injected into the node at {@code height} (≥ 1) and {@code position} from {@code at}; returns their byte count (0: none). */
    @FunctionalInterface
    public interface Injected {
        int write(int height, int position, byte[] buffer, int at);
    }

    private final int logLeaves;
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
     * The tree's 2^logLeaves leaves hashed ({@link MerkleTree#ofLeafBytes}'s leaf writer), no inner node yet; its inner nodes will
     * hash their children as {@code node} says.
     */
    public static InjectedMerkleTree leaves(int logLeaves, int maxLeafBytes, MerkleHash hash, int digestBytes, MerkleNode node,
                                            MerkleTree.LeafBytes leaves) {
        MerkleHasher.checkDigestBytes(digestBytes);
        int width = 1 << logLeaves;
        if (logLeaves < 0 || width > MerkleTree.MAX_LEAVES) {
            throw new IllegalArgumentException("2^" + logLeaves + " leaves outside [1, " + MerkleTree.MAX_LEAVES + "]");
        }
        byte[] nodes = new byte[2 * width * D];
        Parallelism.forEachChunk(width, PARALLEL_CHUNK, (from, to) -> {
            MerkleHasher h = new MerkleHasher(hash, digestBytes);
            byte[] buffer = new byte[1 + maxLeafBytes];
            for (int i = from; i < to; i++) {
                h.leafAfter(buffer, 0, leaves.write(i, buffer, 1), nodes, (width + i) * D);
            }
        });
        return new InjectedMerkleTree(logLeaves, nodes, hash, digestBytes, node);
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
                byte[] buffer = new byte[1 + 2 * child + maxInjectedBytes];
                for (int p = from; p < to; p++) {
                    int i = level + p;
                    int len = injected.write(at, p, buffer, 1 + 2 * child);
                    if (len == 0) {
                        h.node(nodes, 2 * i * D, nodes, i * D);
                    } else {
                        System.arraycopy(nodes, 2 * i * D, buffer, 1, child);
                        System.arraycopy(nodes, (2 * i + 1) * D, buffer, 1 + child, child);
                        h.injectedNodeAfter(buffer, 0, 2 * child + len, nodes, i * D);
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

    /** One proof for the leaves at {@code positions} (strictly increasing), as {@link MerkleTree#open}'s. */
    public MerkleMultiProof open(int[] positions) {
        root();
        return MerkleTree.open(nodes, 1 << logLeaves, 1 << logLeaves, digestBytes, positions);
    }
}
