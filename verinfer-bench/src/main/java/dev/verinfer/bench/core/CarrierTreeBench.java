package dev.verinfer.bench.core;

import dev.verinfer.merkle.InjectedMerkleTree;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * alexa_v0.1's carrier tree (branch inject29), one thread ({@code -jvmArgsAppend -Dverinfer.threads=1}): 2^20 leaves of the
 * weights' g fibre (4 values) and a salt, the witness's pair fibres (4 values) injected at height 3, M's (4 values) at height 5.
 * {@code copied}: format 15's tree, every leaf 112 bytes (g, the witness's and M's fibres copied, the salt); {@code injected} the
 * whole injected tree; {@code online} its heights 3–20 over heights 0–2 hashed ahead (the reserve's part, not timed). Digests of
 * 25 bytes (the proven preset's); the injected tree's inner nodes as {@code node} says (format 16's: compact), the copied tree's
 * padded (format 15's).
 *
 * <p>melspectrogram's carrier (branch carrier30; a pair on top): 2^20 leaves of the witness's (f′, g) fibre (2 × 16 values) and
 * the weights' g fibre (16 values) with a salt, M's pair (4 values) injected at height 3. {@code melOneLeaf}: format 16's tree,
 * each leaf H(0x00 ‖ 400 bytes) hashed online (7 SHA-256 blocks); {@code melHalves}: format 17's mask halves H(0x03 ‖ g's and
 * the weights' g's fibres ‖ salt) (272 bytes, 5 blocks), the reserve's part; {@code melOnline}: format 17's tree over prepared
 * halves, each leaf H(0x00 ‖ f′'s 128 bytes ‖ the half's d bytes) (3 blocks, as a plain leaf of 16 values), what the proof
 * hashes. The fibres are read in sequence here (the prover reads them strided from the codewords).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CarrierTreeBench {
    private static final int L = 20;
    private static final int D = 25;
    @Param({"COMPACT", "PADDED"})
    public MerkleNode node;
    private byte[] top;
    private byte[] witness;
    private byte[] m;
    private InjectedMerkleTree below;
    private byte[] melInput;
    private byte[] melMasks;
    private byte[] melM;
    private byte[] melPrepared;

    @Setup(Level.Invocation)
    public void setup() {
        if (top == null) {
            SplittableRandom rng = new SplittableRandom(1);
            top = new byte[48 << L];
            witness = new byte[32 << (L - 3)];
            m = new byte[32 << (L - 5)];
            rng.nextBytes(top);
            rng.nextBytes(witness);
            rng.nextBytes(m);
            melInput = new byte[128 << L];
            melMasks = new byte[272 << L];
            melM = new byte[32 << (L - 3)];
            rng.nextBytes(melInput);
            rng.nextBytes(melMasks);
            rng.nextBytes(melM);
            melPrepared = melHalves();
        }
        below = leaves().hashThrough(2, 32, this::inject);
    }

    private InjectedMerkleTree leaves() {
        return InjectedMerkleTree.leaves(L, 48, MerkleHash.SHA256, D, node, (i, buf, at) -> {
            System.arraycopy(top, 48 * i, buf, at, 48);
            return 48;
        });
    }

    private int inject(int h, int p, byte[] buf, int at) {
        byte[] part = h == 3 ? witness : h == 5 ? m : null;
        if (part == null) {
            return 0;
        }
        System.arraycopy(part, 32 * p, buf, at, 32);
        return 32;
    }

    @Benchmark
    public MerkleTree copied() {
        return MerkleTree.ofLeafBytes(1 << L, 112, MerkleHash.SHA256, D, (i, buf, at) -> {
            System.arraycopy(top, 48 * i, buf, at, 32);
            System.arraycopy(witness, 32 * (i & ((1 << (L - 3)) - 1)), buf, at + 32, 32);
            System.arraycopy(m, 32 * (i & ((1 << (L - 5)) - 1)), buf, at + 64, 32);
            System.arraycopy(top, 48 * i + 32, buf, at + 96, 16);
            return 112;
        });
    }

    @Benchmark
    public byte[] injected() {
        return leaves().hashThrough(L, 32, this::inject).root();
    }

    @Benchmark
    public byte[] online() {
        return below.hashThrough(L, 32, this::inject).root();
    }

    private int injectMel(int h, int p, byte[] buf, int at) {
        if (h != 3) {
            return 0;
        }
        System.arraycopy(melM, 32 * p, buf, at, 32);
        return 32;
    }

    @Benchmark
    public byte[] melOneLeaf() {
        return InjectedMerkleTree.leaves(L, 400, MerkleHash.SHA256, D, node, (q, buf, at) -> {
            System.arraycopy(melInput, 128 * q, buf, at, 128);
            System.arraycopy(melMasks, 272 * q, buf, at + 128, 272);
            return 400;
        }).hashThrough(L, 32, this::injectMel).root();
    }

    @Benchmark
    public byte[] melHalves() {
        return InjectedMerkleTree.halves(L, 272, MerkleHash.SHA256, D, (q, buf, at) -> {
            System.arraycopy(melMasks, 272 * q, buf, at, 272);
            return 272;
        });
    }

    @Benchmark
    public byte[] melOnline() {
        return InjectedMerkleTree.leaves(L, 128 + D, MerkleHash.SHA256, D, node, (q, buf, at) -> {
            System.arraycopy(melInput, 128 * q, buf, at, 128);
            System.arraycopy(melPrepared, 32 * q, buf, at + 128, D);
            return 128 + D;
        }).hashThrough(L, 32, this::injectMel).root();
    }
}
