package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
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
 * A hiding batch's iteration 0 from the constraint points to F₁ and w₁ (ms per call, the {@code verinfer.threads} workers), both
 * ways: {@code contracted} ({@link Contractions}: the cross values, the sumcheck on 2^k₀ entries per point, F₁ and w₁) and
 * {@code tables} (the cross values by {@link Batching.Evaluator}, F's combination and the weight over V variables, k₀ rounds of
 * {@link FoldKernels}). Shapes of the wake-word models' online runs (first fold 4): {@code hey} members of 19 (the weights), 18
 * (the witness, lifted by 1) and 14 variables, {@code alexa} 19, 15 and 13; five points of the top on all its variables, three of
 * the second member's (its claim and commit points, lifted), three of the third's. In package {@code dev.verinfer.whir} to reach
 * the prover's package-private kernels (one class loader on the benchmark's class path).
 * {@code java -jar verinfer-bench/target/verinfer-benchmarks.jar IterationZeroBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IterationZeroBench {
    private static final int VARS = 19;
    private static final int FOLD = 4;
    private static final int[] POINTS = {5, 3, 3};

    @Param({"hey", "alexa"})
    public String shape;

    private long[][] tables;
    private int[] memberVars;
    private List<Ext2[]> points;
    private List<Integer> owners;
    private Ext2[] kappa;
    private Ext2 rho;
    private Ext2 beta;
    private Ext2[] alphas;

    @Setup
    public void setup() {
        memberVars = shape.equals("hey") ? new int[] {19, 18, 14} : new int[] {19, 15, 13};
        SplittableRandom rng = new SplittableRandom(1);
        tables = new long[2 * memberVars.length][];
        for (int t = 0; t < tables.length; t++) {
            tables[t] = new long[1 << memberVars[t / 2]];
            for (int i = 0; i < tables[t].length; i++) {
                tables[t][i] = Goldilocks.random(rng);
            }
        }
        points = new ArrayList<>();
        owners = new ArrayList<>();
        for (int j = 0; j < memberVars.length; j++) {
            for (int c = 0; c < POINTS[j]; c++) {
                Ext2[] own = new Ext2[memberVars[j]];
                for (int i = 0; i < own.length; i++) {
                    own[i] = Ext2.random(rng);
                }
                points.add(Batching.lift(own, VARS));
                owners.add(j);
            }
        }
        kappa = new Ext2[tables.length];
        for (int t = 0; t < kappa.length; t++) {
            kappa[t] = t == 0 ? Ext2.ONE : Ext2.random(rng);
        }
        rho = Ext2.random(rng);
        beta = Ext2.random(rng);
        alphas = new Ext2[FOLD];
        for (int s = 0; s < FOLD; s++) {
            alphas[s] = Ext2.random(rng);
        }
    }

    @Benchmark
    public Object contracted() {
        Contractions contractions = Contractions.of(tables, points, VARS, FOLD);
        Ext2 cross = Ext2.ZERO;
        for (int c = 0; c < points.size(); c++) {
            for (int j = 0; j < memberVars.length; j++) {
                if (j != owners.get(c)) {
                    cross = cross.add(contractions.value(c, 2 * j).add(rho.mul(contractions.value(c, 2 * j + 1))));
                }
            }
        }
        Contractions.Sumcheck sumcheck = contractions.sumcheck(kappa, beta);
        for (Ext2 alpha : alphas) {
            cross = cross.add(sumcheck.message()[0]);
            sumcheck.bind(alpha);
        }
        return new Object[] {cross, sumcheck.folded(), sumcheck.weight()};
    }

    @Benchmark
    public Object tables() {
        Batching.Evaluator[] at = new Batching.Evaluator[tables.length];
        for (int t = 0; t < tables.length; t++) {
            at[t] = new Batching.Evaluator(tables[t]);
        }
        Ext2 cross = Ext2.ZERO;
        for (int c = 0; c < points.size(); c++) {
            for (int j = 0; j < memberVars.length; j++) {
                if (j != owners.get(c)) {
                    Ext2[] fg = at[2 * j].atWith(at[2 * j + 1], Batching.tail(points.get(c), memberVars[j]));
                    cross = cross.add(fg[0].add(rho.mul(fg[1])));
                }
            }
        }
        ExtVector f = Batching.combine(tables, VARS, kappa);
        ExtVector w = Batching.constraintWeight(points, beta, VARS);
        Ext2[] h = FoldKernels.message(f, w);
        for (int s = 0; s < FOLD; s++) {
            cross = cross.add(h[0]);
            FoldKernels.Step step = FoldKernels.fold(null, f, w, alphas[s], s + 1 < FOLD);
            f = step.f();
            w = step.w();
            h = step.message();
        }
        return new Object[] {cross, f, w};
    }
}
