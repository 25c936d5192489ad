package dev.verinfer.merkle;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MerkleTest {
    static byte[][] leaves(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new byte[1 + rng.nextInt(40)];
            rng.nextBytes(out[i]);
        }
        return out;
    }

    static int[] randomIndices(int leafCount, SplittableRandom rng) {
        TreeSet<Integer> set = new TreeSet<>();
        int k = 1 + rng.nextInt(Math.min(leafCount, 40));
        while (set.size() < k) {
            set.add(rng.nextInt(leafCount));
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    static byte[][] hashesAt(MerkleTree tree, int[] indices) {
        return Arrays.stream(indices).mapToObj(tree::leafHash).toArray(byte[][]::new);
    }

    /** The root by the textbook recursion over the zero-padded leaf hashes. */
    static byte[] naiveRoot(byte[][] leaves) {
        MerkleHasher h = new MerkleHasher();
        int width = Integer.highestOneBit(leaves.length) == leaves.length ? leaves.length : Integer.highestOneBit(leaves.length) << 1;
        byte[][] level = new byte[width][];
        for (int i = 0; i < width; i++) {
            level[i] = i < leaves.length ? h.leaf(leaves[i]) : new byte[32];
        }
        while (level.length > 1) {
            byte[][] up = new byte[level.length / 2][];
            for (int i = 0; i < up.length; i++) {
                up[i] = h.node(level[2 * i], level[2 * i + 1]);
            }
            level = up;
        }
        return level[0];
    }

    static MerkleMultiProof roundTrip(MerkleMultiProof p) throws MalformedProofException {
        ProofWriter w = ProofWriter.begin("MKLT", 1);
        p.write(w);
        ProofReader r = ProofReader.open(w.toByteArray(), "MKLT", 1);
        MerkleMultiProof q = MerkleMultiProof.read(r, 1 << 20);
        r.finish();
        return q;
    }

    @Property(tries = 300)
    void multiOpeningsVerify(@ForAll @IntRange(min = 1, max = 300) int leafCount, @ForAll long seed) throws Exception {
        byte[][] leaves = leaves(leafCount, seed);
        MerkleTree tree = MerkleTree.ofLeaves(leaves);
        assertArrayEquals(naiveRoot(leaves), tree.root());
        int[] idx = randomIndices(leafCount, new SplittableRandom(seed + 1));
        MerkleMultiProof proof = roundTrip(tree.open(idx));
        proof.verify(MerkleHash.SHA256, tree.root(), leafCount, idx, hashesAt(tree, idx));
        assertTrue(proof.siblingCount() <= MerkleMultiProof.maxSiblings(leafCount, idx.length));
    }

    @Property(tries = 200)
    void tamperingIsRejected(@ForAll @IntRange(min = 2, max = 200) int leafCount, @ForAll long seed) {
        MerkleTree tree = MerkleTree.ofLeaves(leaves(leafCount, seed));
        SplittableRandom rng = new SplittableRandom(seed + 2);
        int[] idx = randomIndices(leafCount, rng);
        byte[][] hashes = hashesAt(tree, idx);
        MerkleMultiProof proof = tree.open(idx);
        byte[] root = tree.root();

        byte[][] alteredLeaf = hashes.clone();
        int victim = rng.nextInt(idx.length);
        alteredLeaf[victim] = hashes[victim].clone();
        alteredLeaf[victim][rng.nextInt(32)] ^= (byte) (1 << rng.nextInt(8));
        assertThrows(MerkleProofException.class, () -> proof.verify(MerkleHash.SHA256, root, leafCount, idx, alteredLeaf), "altered leaf");

        byte[] wrongRoot = root.clone();
        wrongRoot[rng.nextInt(32)] ^= 1;
        assertThrows(MerkleProofException.class, () -> proof.verify(MerkleHash.SHA256, wrongRoot, leafCount, idx, hashes), "wrong root");

        for (int s = 0; s < proof.siblingCount(); s++) {
            byte[][] sib = siblings(proof);
            sib[s][rng.nextInt(32)] ^= (byte) 0x80;
            MerkleMultiProof altered = new MerkleMultiProof(sib, 32);
            assertThrows(MerkleProofException.class, () -> altered.verify(MerkleHash.SHA256, root, leafCount, idx, hashes), "altered sibling " + s);
        }
        if (proof.siblingCount() > 0) {
            MerkleMultiProof truncated = new MerkleMultiProof(Arrays.copyOf(siblings(proof), proof.siblingCount() - 1), 32);
            assertThrows(MerkleProofException.class, () -> truncated.verify(MerkleHash.SHA256, root, leafCount, idx, hashes), "truncated");
        }
        byte[][] longer = Arrays.copyOf(siblings(proof), proof.siblingCount() + 1);
        longer[proof.siblingCount()] = new byte[32];
        assertThrows(MerkleProofException.class, () -> new MerkleMultiProof(longer, 32).verify(MerkleHash.SHA256, root, leafCount, idx, hashes), "extra sibling");

        // the same leaves claimed at another position: move one index to a leaf not opened
        int[] moved = idx.clone();
        int k = rng.nextInt(idx.length);
        for (int c = 0; c < leafCount; c++) {
            int cand = (idx[k] + 1 + c) % leafCount;
            if (Arrays.binarySearch(idx, cand) < 0) {
                moved[k] = cand;
                int[] sorted = moved.clone();
                Arrays.sort(sorted);
                byte[][] permuted = new byte[idx.length][];
                for (int i = 0; i < idx.length; i++) {
                    permuted[Arrays.binarySearch(sorted, moved[i])] = hashes[i];
                }
                assertThrows(MerkleProofException.class, () -> proof.verify(MerkleHash.SHA256, root, leafCount, sorted, permuted), "wrong index");
                break;
            }
        }
    }

    static byte[][] siblings(MerkleMultiProof p) {
        byte[][] out = new byte[p.siblingCount()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = p.sibling(i);
        }
        return out;
    }

    /** Hashed as subtrees in parallel (with two or more workers) then the top: the root and openings across subtrees. */
    @Test
    void largeTreeHashedInParallelMatchesNaiveRoot() throws Exception {
        byte[][] leaves = leaves(5000, 9);
        MerkleTree tree = MerkleTree.ofLeaves(leaves);
        assertArrayEquals(naiveRoot(leaves), tree.root());
        int[] idx = randomIndices(5000, new SplittableRandom(10));
        tree.open(idx).verify(MerkleHash.SHA256, tree.root(), 5000, idx, hashesAt(tree, idx));
    }

    /** Leaves written after the tree's free domain byte, against the textbook recursion (each hash's bytes given whole to H). */
    @Property(tries = 100)
    void leavesHashedInPlaceBuildTheSameTree(@ForAll @IntRange(min = 1, max = 3000) int leafCount, @ForAll long seed,
                                             @ForAll MerkleHash hash, @ForAll @IntRange(min = 16, max = 32) int d, @ForAll MerkleNode node) {
        byte[][] leaves = leaves(leafCount, seed);
        MerkleTree streamed = MerkleTree.ofLeafBytes(leafCount, 40, hash, d, node, (i, buf, at) -> {
            Arrays.fill(buf, (byte) 0x5a); // the tree writes the domain byte before at itself; nothing else is read
            System.arraycopy(leaves[i], 0, buf, at, leaves[i].length);
            return leaves[i].length;
        });
        assertArrayEquals(naiveTruncatedRoot(leaves, hash, d, node), streamed.root());
        for (int i = 0; i < leafCount; i += 1 + leafCount / 7) {
            assertArrayEquals(new MerkleHasher(hash, d).leaf(leaves[i]), streamed.leafHash(i));
        }
    }

    @Test
    void singleLeafIsItsOwnRoot() throws Exception {
        byte[][] leaves = leaves(1, 3);
        MerkleTree tree = MerkleTree.ofLeaves(leaves);
        assertArrayEquals(new MerkleHasher().leaf(leaves[0]), tree.root());
        MerkleMultiProof p = tree.open(new int[] {0});
        assertEquals(0, p.siblingCount());
        p.verify(MerkleHash.SHA256, tree.root(), 1, new int[] {0}, new byte[][] {tree.root()});
    }

    @Test
    void malformedInputIsRejectedNotThrown() {
        MerkleTree tree = MerkleTree.ofLeaves(leaves(8, 1));
        MerkleMultiProof p = tree.open(new int[] {1, 6});
        byte[][] h = {tree.leafHash(1), tree.leafHash(6)};
        assertDoesNotThrow(() -> p.verify(MerkleHash.SHA256, tree.root(), 8, new int[] {1, 6}, h));
        assertThrows(MerkleProofException.class, () -> p.verify(MerkleHash.SHA256, tree.root(), 8, new int[] {6, 1}, new byte[][] {h[1], h[0]}), "unsorted");
        assertThrows(MerkleProofException.class, () -> p.verify(MerkleHash.SHA256, tree.root(), 8, new int[] {1, 8}, h), "out of range");
        assertThrows(MerkleProofException.class, () -> p.verify(MerkleHash.SHA256, tree.root(), 16, new int[] {1, 6}, h), "wrong leaf count");
        assertThrows(MerkleProofException.class, () -> p.verify(MerkleHash.SHA256, tree.root(), 8, new int[] {1}, h), "count mismatch");
        assertThrows(MerkleProofException.class, () -> p.verify(MerkleHash.SHA256, new byte[31], 8, new int[] {1, 6}, h), "short root");
        assertThrows(MerkleProofException.class, () -> p.verify(MerkleHash.SHA256, tree.root(), 8, new int[] {1, 6}, new byte[][] {h[0], new byte[5]}), "short leaf");
        assertThrows(MerkleProofException.class, () -> p.verify(MerkleHash.SHA256, tree.root(), 0, new int[] {1, 6}, h), "no leaves");
    }

    @Test
    void truncatedOrOversizedBytesFailToParse() {
        MerkleTree tree = MerkleTree.ofLeaves(leaves(64, 5));
        ProofWriter w = ProofWriter.begin("MKLT", 1);
        tree.open(new int[] {3, 40}).write(w);
        byte[] bytes = w.toByteArray();
        for (int cut = 0; cut < bytes.length; cut += 7) {
            byte[] part = Arrays.copyOf(bytes, cut);
            assertThrows(MalformedProofException.class, () -> MerkleMultiProof.read(ProofReader.open(part, "MKLT", 1), 100));
        }
        assertThrows(MalformedProofException.class, () -> MerkleMultiProof.read(ProofReader.open(bytes, "MKLT", 1), 3), "above the bound");
    }

    @Test
    void leafAndNodeHashesAreSeparated() {
        MerkleHasher h = new MerkleHasher();
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) 7);
        byte[] concat = new byte[64];
        System.arraycopy(b, 0, concat, 32, 32);
        assertFalse(Arrays.equals(h.leaf(concat), h.node(a, b)));
    }

    /** The root by the textbook recursion, every hash truncated to d bytes and zero-padded, its nodes {@link MerkleNode#PADDED}. */
    static byte[] naiveTruncatedRoot(byte[][] leaves, MerkleHash hash, int d) {
        return naiveTruncatedRoot(leaves, hash, d, MerkleNode.PADDED);
    }

    /** The same, a node over its children's 32 padded bytes or (compact) their first d bytes alone. */
    static byte[] naiveTruncatedRoot(byte[][] leaves, MerkleHash hash, int d, MerkleNode node) {
        int child = node == MerkleNode.COMPACT ? d : 32;
        java.security.MessageDigest sha = hash.newDigest();
        int width = Integer.highestOneBit(leaves.length) == leaves.length ? leaves.length : Integer.highestOneBit(leaves.length) << 1;
        byte[][] level = new byte[width][];
        for (int i = 0; i < width; i++) {
            if (i < leaves.length) {
                sha.update((byte) 0);
                level[i] = Arrays.copyOf(Arrays.copyOf(sha.digest(leaves[i]), d), 32);
            } else {
                level[i] = new byte[32];
            }
        }
        while (level.length > 1) {
            byte[][] up = new byte[level.length / 2][];
            for (int i = 0; i < up.length; i++) {
                sha.update((byte) 1);
                sha.update(level[2 * i], 0, child);
                sha.update(level[2 * i + 1], 0, child);
                up[i] = Arrays.copyOf(Arrays.copyOf(sha.digest(), d), 32);
            }
            level = up;
        }
        return level[0];
    }

    static byte[] encode(MerkleMultiProof p) {
        ProofWriter w = ProofWriter.begin("MKLT", 1);
        p.write(w);
        return w.toByteArray();
    }

    static MerkleMultiProof decode(byte[] bytes, int d) throws MalformedProofException {
        ProofReader r = ProofReader.open(bytes, "MKLT", 1);
        MerkleMultiProof q = MerkleMultiProof.read(r, 1 << 20, d);
        r.finish();
        return q;
    }

    @Property(tries = 200)
    void truncatedDigestTreesCarryExactlyTheirBytes(@ForAll @IntRange(min = 1, max = 300) int leafCount, @ForAll @IntRange(min = 16, max = 32) int d,
                                                    @ForAll MerkleHash hash, @ForAll long seed) throws Exception {
        byte[][] leaves = leaves(leafCount, seed);
        MerkleTree tree = MerkleTree.ofLeaves(leaves, hash, d);
        assertArrayEquals(naiveTruncatedRoot(leaves, hash, d), tree.root());
        assertEquals(32, tree.root().length);
        int[] idx = randomIndices(leafCount, new SplittableRandom(seed + 1));
        MerkleMultiProof proof = tree.open(idx);
        byte[] bytes = encode(proof);
        assertEquals(encode(MerkleTree.ofLeaves(new byte[][] {{1}}).open(new int[] {0})).length + (long) d * proof.siblingCount(), bytes.length);
        MerkleMultiProof read = decode(bytes, d);
        assertEquals(d, read.digestBytes());
        read.verify(hash, tree.root(), leafCount, idx, hashesAt(tree, idx));
        if (d < 32 && proof.siblingCount() > 0) {
            // read at another length: the bytes do not parse to the end, or do not verify
            assertThrows(Exception.class, () -> decode(bytes, d + 1).verify(hash, tree.root(), leafCount, idx, hashesAt(tree, idx)));
        }
        if (proof.siblingCount() > 0) {
            // verified with the other hash: its nodes lead elsewhere
            MerkleHash other = hash == MerkleHash.SHA256 ? MerkleHash.KECCAK256 : MerkleHash.SHA256;
            assertThrows(MerkleProofException.class, () -> read.verify(other, tree.root(), leafCount, idx, hashesAt(tree, idx)));
        }
    }

    /** Every bit of every 25-byte sibling on the wire matters; a root with non-zero padding never matches. */
    @Property(tries = 60)
    void truncatedSiblingTamperingIsRejected(@ForAll @IntRange(min = 2, max = 200) int leafCount, @ForAll long seed) throws Exception {
        int d = 25;
        MerkleTree tree = MerkleTree.ofLeaves(leaves(leafCount, seed), MerkleHash.SHA256, d);
        SplittableRandom rng = new SplittableRandom(seed + 3);
        int[] idx = randomIndices(leafCount, rng);
        byte[][] hashes = hashesAt(tree, idx);
        byte[] root = tree.root();
        byte[] bytes = encode(tree.open(idx));
        int header = bytes.length - d * tree.open(idx).siblingCount();
        for (int at = header; at < bytes.length; at++) {
            byte[] altered = bytes.clone();
            altered[at] ^= (byte) (1 << rng.nextInt(8));
            MerkleMultiProof p = decode(altered, d);
            assertThrows(MerkleProofException.class, () -> p.verify(MerkleHash.SHA256, root, leafCount, idx, hashes), "flipped byte " + at);
        }
        byte[] padded = root.clone();
        padded[d + rng.nextInt(32 - d)] = 1;
        assertThrows(MerkleProofException.class, () -> decode(bytes, d).verify(MerkleHash.SHA256, padded, leafCount, idx, hashes), "non-zero root padding");
        // the same positions opened in another tree of the same shape: its siblings do not lead to this root
        MerkleTree other = MerkleTree.ofLeaves(leaves(leafCount, seed + 1), MerkleHash.SHA256, d);
        MerkleMultiProof foreign = decode(encode(other.open(idx)), d);
        // (siblings that are only the zero padding of the last level are the same in both trees)
        if (!Arrays.deepEquals(siblings(foreign), siblings(decode(bytes, d)))) {
            assertThrows(MerkleProofException.class, () -> foreign.verify(MerkleHash.SHA256, root, leafCount, idx, hashes), "siblings of another tree");
            byte[][] mixed = siblings(decode(bytes, d));
            int s = rng.nextInt(mixed.length);
            mixed[s] = siblings(foreign)[s];
            if (!Arrays.equals(mixed[s], siblings(decode(bytes, d))[s])) {
                assertThrows(MerkleProofException.class, () -> new MerkleMultiProof(mixed, d).verify(MerkleHash.SHA256, root, leafCount, idx, hashes), "one sibling of another tree");
            }
        }
        // the untruncated tree of the same leaves is another tree
        assertFalse(Arrays.equals(root, MerkleTree.ofLeaves(leaves(leafCount, seed)).root()));
    }

    /**
     * A compact tree opens and verifies with the compact node only: for d &lt; 32 its root is another tree's than the padded one's
     * (both directions of verification fail), at d = 32 the two nodes hash the same bytes.
     */
    @Property(tries = 100)
    void compactNodesVerifyOnlyAsCompact(@ForAll @IntRange(min = 2, max = 300) int leafCount, @ForAll @IntRange(min = 16, max = 32) int d,
                                         @ForAll MerkleHash hash, @ForAll long seed) throws Exception {
        byte[][] leaves = leaves(leafCount, seed);
        MerkleTree compact = MerkleTree.ofLeafBytes(leafCount, 40, hash, d, MerkleNode.COMPACT, (i, buf, at) -> {
            System.arraycopy(leaves[i], 0, buf, at, leaves[i].length);
            return leaves[i].length;
        });
        MerkleTree padded = MerkleTree.ofLeaves(leaves, hash, d);
        int[] idx = randomIndices(leafCount, new SplittableRandom(seed + 1));
        MerkleMultiProof c = decode(encode(compact.open(idx)), d);
        MerkleMultiProof p = decode(encode(padded.open(idx)), d);
        c.verify(hash, MerkleNode.COMPACT, compact.root(), leafCount, idx, hashesAt(compact, idx));
        p.verify(hash, MerkleNode.PADDED, padded.root(), leafCount, idx, hashesAt(padded, idx));
        assertEquals(d == 32, Arrays.equals(compact.root(), padded.root()));
        if (d < 32) {
            assertThrows(MerkleProofException.class, () -> c.verify(hash, MerkleNode.PADDED, compact.root(), leafCount, idx, hashesAt(compact, idx)));
            assertThrows(MerkleProofException.class, () -> p.verify(hash, MerkleNode.COMPACT, padded.root(), leafCount, idx, hashesAt(padded, idx)));
        }
    }

    @Test
    void digestLengthsOutsideTheRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MerkleHasher(MerkleHash.SHA256, 15));
        assertThrows(IllegalArgumentException.class, () -> new MerkleHasher(MerkleHash.SHA256, 33));
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.ofLeaves(leaves(4, 1), MerkleHash.SHA256, 8));
        byte[] h = new MerkleHasher(MerkleHash.SHA256, 25).leaf(new byte[] {1, 2, 3});
        assertEquals(32, h.length);
        assertArrayEquals(new byte[7], Arrays.copyOfRange(h, 25, 32));
        assertArrayEquals(Arrays.copyOf(new MerkleHasher().leaf(new byte[] {1, 2, 3}), 25), Arrays.copyOf(h, 25));
    }
}
