package dev.verinfer.bench.core;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtMath;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;
import dev.verinfer.poly.Mle;
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

/**
 * The extension-field kernels at the top of the prover's profile, one thread, ns per output entry: the fold of an
 * extension and of a base table in their lowest variable ({@link ExtMath#foldRange}: the sumcheck and WHIR folds),
 * an extension product over arrays ({@link ExtMath#mul}: the round kernel's products) and a scaled eq table added
 * into a weight table ({@link Mle#addEqTable}: WHIR's and the claim batching's weights).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class ExtKernelBench {
    static final int LOG_N = 16;
    static final int N = 1 << LOG_N;

    long[] s0;
    long[] s1;
    long[] d0;
    long[] d1;
    Ext2 r;
    Ext2[] point;
    ExtVector w;

    @Setup
    public void setup() {
        Parallelism.setThreads(1);
        SplittableRandom rng = new SplittableRandom(5);
        s0 = new long[2 * N];
        s1 = new long[2 * N];
        for (int i = 0; i < 2 * N; i++) {
            s0[i] = Goldilocks.random(rng);
            s1[i] = Goldilocks.random(rng);
        }
        d0 = new long[N];
        d1 = new long[N];
        r = Ext2.random(rng);
        point = new Ext2[LOG_N];
        for (int j = 0; j < LOG_N; j++) {
            point[j] = Ext2.random(rng);
        }
        w = ExtVector.zeros(N);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long[] foldExt() {
        ExtMath.foldRange(s0, s1, r.c0(), r.c1(), d0, d1, 0, N);
        return d0;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long[] foldBase() {
        ExtMath.foldRange(s0, null, r.c0(), r.c1(), d0, d1, 0, N);
        return d0;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long[] mulExt() {
        for (int i = 0; i < N; i++) {
            ExtMath.mul(s0[i], s1[i], s0[N + i], s1[N + i], d0, d1, i);
        }
        return d0;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public ExtVector addEqTable() {
        Mle.addEqTable(point, r, w, 0, 1);
        return w;
    }
}
