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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Many eq tables added into one weight table, one thread, ms per call: a zero-knowledge proof's weight
 * commitment takes one off-face claim per weight read (108 on ch_ppocr_mobile_v2.0_cls), and its hiding run adds an eq
 * table per claim to the run's weight. Point by point ({@link Mle#addEqTable}) against together ({@link Mle#addEqTables}).
 * {@code points=5} is the whole-table block of alexa_v0.1's and hey_mycroft_v0.1's online hiding run (one claim and four
 * out-of-domain points over 2^19 entries with {@code logN=19}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class MultiPointBench {
    @Param({"18"})
    public int logN;

    @Param({"64"})
    public int points;

    List<Ext2[]> at;
    List<Ext2> scales;
    ExtVector w;

    @Setup
    public void setup() {
        Parallelism.setThreads(1);
        SplittableRandom rng = new SplittableRandom(5);
        at = new ArrayList<>();
        scales = new ArrayList<>();
        for (int k = 0; k < points; k++) {
            Ext2[] p = new Ext2[logN];
            for (int j = 0; j < logN; j++) {
                p[j] = Ext2.random(rng);
            }
            at.add(p);
            scales.add(Ext2.random(rng));
        }
        w = ExtVector.zeros(1 << logN);
    }

    @Benchmark
    public ExtVector addEqPointByPoint() {
        for (int k = 0; k < points; k++) {
            Mle.addEqTable(at.get(k), scales.get(k), w, 0, 1);
        }
        return w;
    }

    @Benchmark
    public ExtVector addEqTogether() {
        Mle.addEqTables(at, scales, w, 0, 1);
        return w;
    }
}
