package dev.verinfer.bench.core;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
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

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Many eq tables added into one weight table, one thread, ns per (entry, point): a zero-knowledge proof's weight
 * commitment takes one off-face claim per weight read (108 on ch_ppocr_mobile_v2.0_cls), and its hiding run adds an eq
 * table per claim to the run's weight. Point by point ({@link Mle#addEqTable}) against together ({@link Mle#addEqTables}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class MultiPointBench {
    static final int LOG_N = 18;
    static final int POINTS = 64;

    List<Ext2[]> points;
    List<Ext2> scales;
    ExtVector w;

    @Setup
    public void setup() {
        Parallelism.setThreads(1);
        SplittableRandom rng = new SplittableRandom(5);
        points = new ArrayList<>();
        scales = new ArrayList<>();
        for (int k = 0; k < POINTS; k++) {
            Ext2[] p = new Ext2[LOG_N];
            for (int j = 0; j < LOG_N; j++) {
                p[j] = Ext2.random(rng);
            }
            points.add(p);
            scales.add(Ext2.random(rng));
        }
        w = ExtVector.zeros(1 << LOG_N);
    }

    @Benchmark
    @OperationsPerInvocation(POINTS << LOG_N)
    public ExtVector addEqPointByPoint() {
        for (int k = 0; k < POINTS; k++) {
            Mle.addEqTable(points.get(k), scales.get(k), w, 0, 1);
        }
        return w;
    }

    @Benchmark
    @OperationsPerInvocation(POINTS << LOG_N)
    public ExtVector addEqTogether() {
        Mle.addEqTables(points, scales, w, 0, 1);
        return w;
    }
}
