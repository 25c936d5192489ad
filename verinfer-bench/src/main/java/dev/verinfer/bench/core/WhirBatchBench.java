package dev.verinfer.bench.core;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.poly.Mle;
import dev.verinfer.transcript.Transcript;
import dev.verinfer.whir.WhirParameters;
import dev.verinfer.whir.WhirPcs;
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

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The WHIR opening of alexa_v0.1's proof (ms per call): its weights' 2^18-entry and its witness's 2^15-entry
 * commitments opened together in one batched run, one claim each (the run's trace: "plain 18 vars (1 claims) plain 15
 * vars (1 claims)"), and the witness's commitment. Together about 60 % of a proven alexa proof's CPU (JFR): the batched
 * table, the folds and weight updates, the folded oracle's encoding and Merkle tree. On a shared machine {@link #main}
 * gives the same calls' thread CPU on one thread ({@code java -cp verinfer-bench/target/verinfer-benchmarks.jar
 * dev.verinfer.bench.core.WhirBatchBench [proven|conjectured] [runs]}): alternate two builds and compare.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WhirBatchBench {
    @Param({"proven", "conjectured"})
    public String security;

    @Param({"1", "2"})
    public int threads;

    WhirPcs pcs;
    long[] witness;
    List<PcsOpening> openings;

    @Setup
    public void setup() {
        Parallelism.setThreads(threads);
        pcs = new WhirPcs(security.equals("proven") ? WhirParameters.PROVEN : WhirParameters.CONJECTURED);
        SplittableRandom rng = new SplittableRandom(1);
        long[] weights = table(18, rng);
        witness = table(15, rng);
        openings = List.of(opening(pcs.commit(weights), weights, rng), opening(pcs.commit(witness), witness, rng));
    }

    private static long[] table(int vars, SplittableRandom rng) {
        long[] t = new long[1 << vars];
        for (int i = 0; i < t.length; i++) {
            t[i] = Goldilocks.random(rng);
        }
        return t;
    }

    private static PcsOpening opening(PcsCommitment c, long[] table, SplittableRandom rng) {
        Ext2[] point = new Ext2[Integer.numberOfTrailingZeros(table.length)];
        for (int j = 0; j < point.length; j++) {
            point[j] = Ext2.random(rng);
        }
        return new PcsOpening(c, point, Mle.evaluate(table, point));
    }

    /** Thread CPU medians of {@link #openBatch} and {@link #commitWitness} on one thread after 30 warm-up rounds. */
    public static void main(String[] args) {
        WhirBatchBench b = new WhirBatchBench();
        b.security = args.length > 0 ? args[0] : "proven";
        b.threads = 1;
        b.setup();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        double[] open = new double[runs];
        double[] commit = new double[runs];
        for (int r = -30; r < runs; r++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            b.openBatch();
            long t1 = cpu.getCurrentThreadCpuTime();
            b.commitWitness();
            long t2 = cpu.getCurrentThreadCpuTime();
            if (r >= 0) {
                open[r] = (t1 - t0) / 1e6;
                commit[r] = (t2 - t1) / 1e6;
            }
        }
        Arrays.sort(open);
        Arrays.sort(commit);
        System.out.printf("WhirBatchBench %s, 1 thread, thread CPU ms (min, median of %d): openBatch %.2f, %.2f; commitWitness %.2f, %.2f%n",
                b.security, runs, open[0], open[runs / 2], commit[0], commit[runs / 2]);
    }

    @Benchmark
    public PcsOpeningProof openBatch() {
        return pcs.open(new Transcript("whir-batch-bench"), openings);
    }

    @Benchmark
    public PcsCommitment commitWitness() {
        return pcs.commit(witness);
    }
}
