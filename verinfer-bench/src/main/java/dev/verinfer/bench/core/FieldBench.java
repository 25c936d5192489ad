package dev.verinfer.bench.core;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** Goldilocks and extension multiplication, amortised over a bulk array (ns per multiplication). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FieldBench {
    static final int N = 1 << 16;
    long[] a;
    long[] b;
    long[] out;
    Ext2[] ea;
    Ext2[] eb;

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(1);
        a = new long[N];
        b = new long[N];
        out = new long[N];
        ea = new Ext2[N];
        eb = new Ext2[N];
        for (int i = 0; i < N; i++) {
            a[i] = Goldilocks.random(rng);
            b[i] = Goldilocks.random(rng);
            ea[i] = Ext2.random(rng);
            eb[i] = Ext2.random(rng);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long[] baseMulBulk() {
        for (int i = 0; i < N; i++) {
            out[i] = Goldilocks.mul(a[i], b[i]);
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long baseMulChain() {
        long acc = 1;
        for (int i = 0; i < N; i++) {
            acc = Goldilocks.mul(acc, a[i]);
        }
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public Ext2 extMulChain() {
        Ext2 acc = Ext2.ONE;
        for (int i = 0; i < N; i++) {
            acc = acc.mul(ea[i]);
        }
        return acc;
    }
}
