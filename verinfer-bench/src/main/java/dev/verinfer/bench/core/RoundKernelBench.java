package dev.verinfer.bench.core;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;
import dev.verinfer.sumcheck.BaseTable;
import dev.verinfer.sumcheck.ExtTable;
import dev.verinfer.sumcheck.MleTable;
import dev.verinfer.sumcheck.ProductTerm;
import dev.verinfer.sumcheck.SumcheckProver;
import dev.verinfer.sumcheck.SumcheckProverResult;
import dev.verinfer.transcript.Transcript;
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
 * The sumcheck shapes the prover spends its round-kernel time on (ms per proof of 2^16 entries): a
 * LogUp-GKR layer (eq-weighted, per tree p0·q1 + p1·q0 + λ·q0·q1 over four extension tables) for one
 * and for eight trees, and claim batching (a base table times an extension weight, degree 2, no eq).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class RoundKernelBench {
    static final int LOG_N = 16;

    @Param({"1", "2"})
    int threads;

    List<MleTable> gkr1;
    List<ProductTerm> gkr1Terms;
    List<MleTable> gkr8;
    List<ProductTerm> gkr8Terms;
    Ext2[] eqPoint;
    List<MleTable> batching;
    List<ProductTerm> batchingTerms;

    @Setup
    public void setup() {
        Parallelism.setThreads(threads);
        SplittableRandom rng = new SplittableRandom(3);
        Ext2 lambda = Ext2.random(rng);
        gkr1 = extTables(rng, 4);
        gkr1Terms = gkrTerms(1, lambda);
        gkr8 = extTables(rng, 32);
        gkr8Terms = gkrTerms(8, lambda);
        eqPoint = new Ext2[LOG_N];
        for (int j = 0; j < LOG_N; j++) {
            eqPoint[j] = Ext2.random(rng);
        }
        long[] base = new long[1 << LOG_N];
        for (int i = 0; i < base.length; i++) {
            base[i] = Goldilocks.random(rng);
        }
        batching = List.of(new BaseTable(base), extTables(rng, 1).getFirst());
        batchingTerms = List.of(ProductTerm.of(Ext2.ONE, 0, 1));
    }

    private static List<MleTable> extTables(SplittableRandom rng, int count) {
        List<MleTable> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            ExtVector v = ExtVector.zeros(1 << LOG_N);
            for (int i = 0; i < v.length(); i++) {
                v.set(i, Ext2.random(rng));
            }
            out.add(new ExtTable(v));
        }
        return out;
    }

    /** Tree a owns tables 4a … 4a + 3 = p0, p1, q0, q1 (as the GKR layer sumcheck). */
    private static List<ProductTerm> gkrTerms(int trees, Ext2 lambda) {
        List<ProductTerm> terms = new ArrayList<>();
        Ext2 w = Ext2.ONE;
        for (int a = 0; a < trees; a++) {
            Ext2 next = w.mul(lambda);
            terms.add(ProductTerm.of(w, 4 * a, 4 * a + 3));
            terms.add(ProductTerm.of(w, 4 * a + 1, 4 * a + 2));
            terms.add(ProductTerm.of(next, 4 * a + 2, 4 * a + 3));
            w = next.mul(lambda);
        }
        return terms;
    }

    @Benchmark
    public SumcheckProverResult gkrLayerOneTree() {
        return SumcheckProver.proveWithEq(new Transcript("bench"), eqPoint, gkr1, gkr1Terms);
    }

    @Benchmark
    public SumcheckProverResult gkrLayerEightTrees() {
        return SumcheckProver.proveWithEq(new Transcript("bench"), eqPoint, gkr8, gkr8Terms);
    }

    @Benchmark
    public SumcheckProverResult claimBatching() {
        return SumcheckProver.prove(new Transcript("bench"), batching, batchingTerms);
    }
}
