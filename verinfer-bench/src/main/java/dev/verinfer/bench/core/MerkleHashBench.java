package dev.verinfer.bench.core;

import dev.verinfer.merkle.MerkleHash;
import dev.verinfer.merkle.MerkleHasher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * One Merkle hash of a WHIR tree, SHA-256 (the JDK's, SHA-NI where present) against verinfer-merkle's Keccak-256 (ns per
 * hash, 25-byte digests): a node (0x01 ‖ 64 bytes, one Keccak-f block), a base-field fibre of 16 values (0x00 ‖ 128 bytes,
 * one block) and an extension fibre (0x00 ‖ 256 bytes, two blocks).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MerkleHashBench {
    @Param({"SHA256", "KECCAK256"})
    public MerkleHash hash;
    @Param({"64", "128", "256"})
    public int bytes;
    MerkleHasher hasher;
    byte[] data;

    @Setup
    public void setup() {
        hasher = new MerkleHasher(hash, 25);
        data = new byte[bytes];
        new SplittableRandom(1).nextBytes(data);
    }

    @Benchmark
    public byte[] leaf() {
        return hasher.leaf(data, 0, bytes);
    }
}
