package dev.verinfer.merkle;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link InjectedMerkleTree}: without injected values it is {@link MerkleTree}'s tree over its leaves in bit-reversed order;
 * with them its root is the textbook recursion's (over positions) with H(0x02 ‖ left ‖ right ‖ class j's values) at the injecting
 * nodes, built in steps or at once alike; its proofs check against the values the verifier is given for the classes on the
 * paths, and fail for any other value of one of them; with either inner node ({@link MerkleNode}: children of 32 bytes or of the
 * digest's kept bytes).
 */
class InjectedMerkleTreeTest {
    static final int L = 7;
    static final int DIGEST = 20;

    /** Leaf i's bytes: 1 + i mod 30 bytes of a seeded stream. */
    static byte[] leaf(int i) {
        byte[] b = new byte[1 + i % 30];
        new SplittableRandom(i).nextBytes(b);
        return b;
    }

    /** The values of class p at height h: heights 2 and 5 hold 8·h bytes (the last byte shifted by {@code shift}). */
    static byte[] values(int h, int p, int shift) {
        if (h != 2 && h != 5) {
            return new byte[0];
        }
        byte[] b = new byte[8 * h];
        new SplittableRandom(1000L * h + p).nextBytes(b);
        b[b.length - 1] += (byte) shift;
        return b;
    }

    static InjectedMerkleTree.Injected injected(int shiftAtH, int shiftAtP) {
        return (h, p, buf, at) -> {
            byte[] v = values(h, p, h == shiftAtH && p == shiftAtP ? 1 : 0);
            System.arraycopy(v, 0, buf, at, v.length);
            return v.length;
        };
    }

    static InjectedMerkleTree tree(MerkleNode node, int stepAt) {
        InjectedMerkleTree t = InjectedMerkleTree.leaves(L, 30, MerkleHash.SHA256, DIGEST, node, (i, buf, at) -> {
            byte[] b = leaf(i);
            System.arraycopy(b, 0, buf, at, b.length);
            return b.length;
        });
        return t.hashThrough(stepAt, 40, injected(-1, -1)).hashThrough(L, 40, injected(-1, -1));
    }

    @ParameterizedTest
    @EnumSource(MerkleNode.class)
    void withoutValuesItIsAMerkleTree(MerkleNode node) {
        byte[][] leaves = new byte[1 << L][];
        Arrays.setAll(leaves, InjectedMerkleTreeTest::leaf);
        InjectedMerkleTree t = InjectedMerkleTree.leaves(L, 30, MerkleHash.SHA256, DIGEST, node, (i, buf, at) -> {
            System.arraycopy(leaves[i], 0, buf, at, leaves[i].length);
            return leaves[i].length;
        }).hashThrough(L, 0, (h, p, buf, at) -> 0);
        byte[][] byPosition = new byte[1 << L][];
        Arrays.setAll(byPosition, p -> leaves[InjectedMerkleTree.reverse(p, L)]);
        MerkleTree plain = MerkleTree.ofLeafBytes(1 << L, 30, MerkleHash.SHA256, DIGEST, node, (i, buf, at) -> {
            System.arraycopy(byPosition[i], 0, buf, at, byPosition[i].length);
            return byPosition[i].length;
        });
        assertArrayEquals(plain.root(), t.root());
        int[] at = {3, 4, 77, 127};
        int[] positions = Arrays.stream(at).map(q -> InjectedMerkleTree.reverse(q, L)).sorted().toArray();
        assertEquals(plain.open(positions).siblingCount(), t.open(at).siblingCount(), "the same proof as the plain tree's of their positions");
        byte[][] hashes = Arrays.stream(at).mapToObj(q -> plain.leafHash(InjectedMerkleTree.reverse(q, L))).toArray(byte[][]::new);
        assertDoesNotThrow(() -> InjectedMerkleTree.verify(plain.open(positions), MerkleHash.SHA256, node, t.root(), L, at, hashes, 0, (h, j, buf, o) -> 0));
    }

    @ParameterizedTest
    @EnumSource(MerkleNode.class)
    void itsRootIsTheRecursionsAndStepsDoNotChangeIt(MerkleNode node) {
        MerkleHasher h = new MerkleHasher(MerkleHash.SHA256, DIGEST, node);
        int c = node == MerkleNode.COMPACT ? DIGEST : 32;
        byte[][] level = new byte[1 << L][];
        Arrays.setAll(level, p -> h.leaf(leaf(InjectedMerkleTree.reverse(p, L))));
        for (int height = 1; height <= L; height++) {
            byte[][] up = new byte[level.length / 2][];
            for (int p = 0; p < up.length; p++) {
                byte[] v = values(height, InjectedMerkleTree.reverse(p, L - height), 0);
                if (v.length == 0) {
                    up[p] = h.node(level[2 * p], level[2 * p + 1]);
                } else {
                    byte[] buf = new byte[1 + 2 * c + v.length];
                    System.arraycopy(level[2 * p], 0, buf, 1, c);
                    System.arraycopy(level[2 * p + 1], 0, buf, 1 + c, c);
                    System.arraycopy(v, 0, buf, 1 + 2 * c, v.length);
                    up[p] = new byte[32];
                    h.injectedNodeAfter(buf, 0, 2 * c + v.length, up[p], 0);
                }
            }
            level = up;
        }
        for (int step = 0; step <= L; step++) {
            assertArrayEquals(level[0], tree(node, step).root(), "hashed through " + step + " first");
        }
        assertThrows(IllegalStateException.class, () -> InjectedMerkleTree.leaves(L, 30, MerkleHash.SHA256, DIGEST, node, (i, buf, at) -> 0).root(),
                "a tree hashed part way has no root");
    }

    /** Every value of every class on the opened paths is checked: one shifted byte at any of them fails, the others are not read. */
    @ParameterizedTest
    @EnumSource(MerkleNode.class)
    void aProofChecksTheValuesOnItsPaths(MerkleNode node) {
        InjectedMerkleTree t = tree(node, 3);
        int[] at = {5, 6, 40, 99};
        MerkleMultiProof proof = t.open(at);
        MerkleHasher h = new MerkleHasher(MerkleHash.SHA256, DIGEST);
        byte[][] hashes = Arrays.stream(at).mapToObj(i -> h.leaf(leaf(i))).toArray(byte[][]::new);
        assertDoesNotThrow(() -> InjectedMerkleTree.verify(proof, MerkleHash.SHA256, node, t.root(), L, at, hashes, 40, injected(-1, -1)));
        int checked = 0;
        for (int height : new int[] {2, 5}) {
            for (int p = 0; p < 1 << (L - height); p++) {
                int j = p;
                boolean onPath = Arrays.stream(at).anyMatch(q -> (q & ((1 << (L - height)) - 1)) == j);
                if (onPath) {
                    checked++;
                    assertThrows(MerkleProofException.class,
                            () -> InjectedMerkleTree.verify(proof, MerkleHash.SHA256, node, t.root(), L, at, hashes, 40, injected(height, j)), height + "/" + j);
                } else {
                    assertDoesNotThrow(() -> InjectedMerkleTree.verify(proof, MerkleHash.SHA256, node, t.root(), L, at, hashes, 40, injected(height, j)), height + "/" + j);
                }
            }
        }
        assertEquals(8, checked, "4 classes at height 2 (5, 6, 8, 3) and 4 at height 5 (1, 2, 0, 3) are on the paths");
        assertThrows(MerkleProofException.class, () -> InjectedMerkleTree.verify(proof, MerkleHash.SHA256, node, t.root(), L, at, hashes, 0, (hh, p, buf, o) -> 0),
                "without the values");
    }

    /**
     * {@link InjectedMerkleTree#halves} (carrier30): half q is {@link MerkleHasher#half}, H(0x03 ‖ its bytes) truncated — not the
     * leaf hash of the same bytes (domain byte 3, not 0) — in the 32-byte slot q, so that a leaf writer appending half q's d
     * bytes to its other bytes makes the tree whose leaf q is H(0x00 ‖ other bytes ‖ half q[0, d)); and a leaf's half binds its
     * bytes: one byte changed in any half's input changes the root.
     */
    @org.junit.jupiter.api.Test
    void halvesAreHashedApartAndBoundIntoTheirLeaves() {
        MerkleHasher h = new MerkleHasher(MerkleHash.SHA256, DIGEST);
        byte[] halves = InjectedMerkleTree.halves(L, 30, MerkleHash.SHA256, DIGEST, (q, buf, at) -> {
            byte[] b = leaf(q + 500);
            System.arraycopy(b, 0, buf, at, b.length);
            return b.length;
        });
        assertEquals(MerkleHasher.DIGEST_BYTES << L, halves.length);
        for (int q = 0; q < 1 << L; q++) {
            byte[] b = leaf(q + 500);
            assertArrayEquals(h.half(b, 0, b.length), Arrays.copyOfRange(halves, q * MerkleHasher.DIGEST_BYTES, (q + 1) * MerkleHasher.DIGEST_BYTES));
            assertFalse(Arrays.equals(h.leaf(b), h.half(b, 0, b.length)), "domain 3 apart from a leaf's 0");
        }
        byte[] root = split(halves).root();
        byte[] textbook = MerkleTree.ofLeafBytes(1 << L, 30 + DIGEST, MerkleHash.SHA256, DIGEST, (i, buf, at) -> { // positions: leaf bitrev(i)
            int q = InjectedMerkleTree.reverse(i, L);
            byte[] b = leaf(q);
            System.arraycopy(b, 0, buf, at, b.length);
            System.arraycopy(halves, q * MerkleHasher.DIGEST_BYTES, buf, at + b.length, DIGEST);
            return b.length + DIGEST;
        }).root();
        assertArrayEquals(textbook, root, "leaf q = H(0x00 ‖ its bytes ‖ half q's d bytes)");
        for (int q : new int[] {0, 77, (1 << L) - 1}) {
            int changed = q;
            byte[] other = InjectedMerkleTree.halves(L, 30, MerkleHash.SHA256, DIGEST, (i, buf, at) -> {
                byte[] b = leaf(i + 500);
                b[0] += (byte) (i == changed ? 1 : 0);
                System.arraycopy(b, 0, buf, at, b.length);
                return b.length;
            });
            assertFalse(Arrays.equals(root, split(other).root()), "half " + q + "'s input changed");
        }
    }

    /** The tree whose leaf q hashes leaf(q)'s bytes then half q's d bytes. */
    private static InjectedMerkleTree split(byte[] halves) {
        return InjectedMerkleTree.leaves(L, 30 + DIGEST, MerkleHash.SHA256, DIGEST, MerkleNode.PADDED, (q, buf, at) -> {
            byte[] b = leaf(q);
            System.arraycopy(b, 0, buf, at, b.length);
            System.arraycopy(halves, q * MerkleHasher.DIGEST_BYTES, buf, at + b.length, DIGEST);
            return b.length + DIGEST;
        }).hashThrough(L, 0, (h, p, buf, at) -> 0);
    }
}
