package dev.verinfer.bench.core;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.sumcheck.BaseTable;
import dev.verinfer.sumcheck.MleTable;
import dev.verinfer.sumcheck.ProductTerm;
import dev.verinfer.sumcheck.SumcheckProver;
import dev.verinfer.sumcheck.SumcheckProverResult;
import dev.verinfer.sumcheck.SubClaim;
import dev.verinfer.sumcheck.SumcheckRejectedException;
import dev.verinfer.sumcheck.SumcheckVerifier;
import dev.verinfer.transcript.Transcript;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** Sumcheck of Σ_x a(x)·b(x) for two base-field tables of 2^20 entries: prover and verifier time. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-XX:+UseParallelGC"})
public class SumcheckBench {
    static final int LOG_N = 20;
    List<MleTable> tables;
    List<ProductTerm> terms;
    SumcheckProverResult proved;

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(1);
        long[] a = new long[1 << LOG_N];
        long[] b = new long[1 << LOG_N];
        for (int i = 0; i < a.length; i++) {
            a[i] = Goldilocks.random(rng);
            b[i] = Goldilocks.random(rng);
        }
        tables = List.of(new BaseTable(a), new BaseTable(b));
        terms = List.of(ProductTerm.of(Ext2.ONE, 0, 1));
        proved = prove();
    }

    @Benchmark
    public SumcheckProverResult prove() {
        return SumcheckProver.prove(new Transcript("bench"), tables, terms);
    }

    @Benchmark
    public SubClaim verify() throws SumcheckRejectedException {
        SubClaim sub = SumcheckVerifier.verify(new Transcript("bench"), proved.claimedSum(), LOG_N, 2, proved.proof());
        sub.check(terms, proved.finalEvaluations());
        return sub;
    }
}
