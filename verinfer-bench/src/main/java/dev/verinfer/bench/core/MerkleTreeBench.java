package dev.verinfer.bench.core;

import dev.verinfer.merkle.MerkleHash;
import dev.verinfer.merkle.MerkleNode;
import dev.verinfer.merkle.MerkleTree;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * SHA-256 Merkle hashing as a carrier tree does it (branch online28), one thread (run with
 * {@code -jvmArgsAppend -Dverinfer.threads=1}): per hash of a carrier leaf (0x00 ‖ 112 bytes) or a node (0x01 ‖ 64 bytes),
 * both two compression blocks, through {@link MessageDigest} with the domain byte as its own update then the data
 * ({@code *TwoUpdates}, the hasher before) or the two in one buffer and one update ({@code *OneUpdate}, the hasher now);
 * {@code block} is the compression alone (one update of 64 blocks, per block); {@code tree} a whole tree of 2^logLeaves
 * such leaves by {@link MerkleTree#ofLeafBytes} against {@code treeTwoUpdates}, the same tree hashed as before (untruncated).
 * {@code digestBytes} and {@code nodeHash} set {@code tree}'s truncation and inner nodes (branch compact29: {@link MerkleNode#COMPACT}
 * hashes a node's 1 + 2d bytes, one block at d = 25, where {@link MerkleNode#PADDED} hashes 65, two); {@code nodeCompactOneUpdate}
 * is one such node.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MerkleTreeBench {
    private static final int LEAF_BYTES = 112;
    private static final int D = 32;
    @Param({"20"})
    public int logLeaves;
    @Param({"25"})
    public int digestBytes;
    @Param({"PADDED", "COMPACT"})
    public MerkleNode nodeHash;
    MessageDigest sha;
    byte[] leaf;
    byte[] node;
    byte[] blocks;
    byte[] out;
    byte[] data;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        sha = MessageDigest.getInstance("SHA-256");
        SplittableRandom rng = new SplittableRandom(1);
        leaf = new byte[1 + LEAF_BYTES];
        rng.nextBytes(leaf);
        leaf[0] = 0;
        node = new byte[1 + 2 * D];
        rng.nextBytes(node);
        node[0] = 1;
        blocks = new byte[64 * 64];
        rng.nextBytes(blocks);
        out = new byte[D];
        data = new byte[LEAF_BYTES << logLeaves];
        rng.nextBytes(data);
        if (digestBytes == D && nodeHash == MerkleNode.PADDED && !Arrays.equals(tree().root(), treeTwoUpdates())) {
            throw new IllegalStateException("the two trees differ");
        }
    }

    @Benchmark
    public byte[] leafTwoUpdates() throws DigestException {
        sha.update((byte) 0);
        sha.update(leaf, 1, LEAF_BYTES);
        sha.digest(out, 0, D);
        return out;
    }

    @Benchmark
    public byte[] leafOneUpdate() throws DigestException {
        sha.update(leaf, 0, 1 + LEAF_BYTES);
        sha.digest(out, 0, D);
        return out;
    }

    @Benchmark
    public byte[] nodeTwoUpdates() throws DigestException {
        sha.update((byte) 1);
        sha.update(node, 1, 2 * D);
        sha.digest(out, 0, D);
        return out;
    }

    @Benchmark
    public byte[] nodeOneUpdate() throws DigestException {
        sha.update(node, 0, 1 + 2 * D);
        sha.digest(out, 0, D);
        return out;
    }

    /** A compact node at {@code digestBytes}: 0x01 and the two children's first d bytes. */
    @Benchmark
    public byte[] nodeCompactOneUpdate() throws DigestException {
        sha.update(node, 0, 1 + 2 * digestBytes);
        sha.digest(out, 0, D);
        return out;
    }

    /** 64 compression blocks in one update (the digest's final padding block adds a 65th): divide by 65. */
    @Benchmark
    public byte[] block() throws DigestException {
        sha.update(blocks);
        sha.digest(out, 0, D);
        return out;
    }

    @Benchmark
    public MerkleTree tree() {
        return MerkleTree.ofLeafBytes(1 << logLeaves, LEAF_BYTES, MerkleHash.SHA256, digestBytes, nodeHash, (i, buf, at) -> {
            System.arraycopy(data, i * LEAF_BYTES, buf, at, LEAF_BYTES);
            return LEAF_BYTES;
        });
    }

    /** The same tree hashed as {@code MerkleHasher} did before, one thread: each domain byte an update of its own. */
    @Benchmark
    public byte[] treeTwoUpdates() throws DigestException {
        int width = 1 << logLeaves;
        byte[] nodes = new byte[2 * width * D];
        byte[] buf = new byte[LEAF_BYTES];
        for (int i = 0; i < width; i++) {
            System.arraycopy(data, i * LEAF_BYTES, buf, 0, LEAF_BYTES);
            sha.update((byte) 0);
            sha.update(buf, 0, LEAF_BYTES);
            sha.digest(nodes, (width + i) * D, D);
        }
        for (int i = width - 1; i >= 1; i--) {
            sha.update((byte) 1);
            sha.update(nodes, 2 * i * D, 2 * D);
            sha.digest(nodes, i * D, D);
        }
        return Arrays.copyOfRange(nodes, D, 2 * D);
    }
}
