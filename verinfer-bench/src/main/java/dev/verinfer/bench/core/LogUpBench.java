package dev.verinfer.bench.core;

import dev.verinfer.logup.LogUpClaims;
import dev.verinfer.logup.LogUpProverResult;
import dev.verinfer.logup.LogUpProver;
import dev.verinfer.logup.LogUpRejectedException;
import dev.verinfer.logup.LogUpShape;
import dev.verinfer.logup.LogUpTable;
import dev.verinfer.logup.LogUpVerifier;
import dev.verinfer.logup.LookupWitness;
import dev.verinfer.logup.Multiplicities;
import dev.verinfer.logup.RangeTable;
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

/** LogUp-GKR of 2^20 look-ups into the 2^16 range table: multiplicity counting, prover and verifier time. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-XX:+UseParallelGC"})
public class LogUpBench {
    static final int LOOKUPS_LOG = 20;
    static final int TABLE_LOG = 16;
    long[][] table;
    List<LookupWitness> groups;
    long[] multiplicities;
    LogUpShape shape;
    LogUpProverResult proved;

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(1);
        table = new long[][] {RangeTable.values(TABLE_LOG)};
        long[] values = new long[1 << LOOKUPS_LOG];
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextInt(1 << TABLE_LOG);
        }
        groups = List.of(LookupWitness.of(values));
        multiplicities = Multiplicities.count(table, groups);
        shape = LogUpShape.of(groups, List.of(new LogUpTable(table, multiplicities)));
        proved = prove();
    }

    @Benchmark
    public long[] countMultiplicities() {
        return Multiplicities.count(table, groups);
    }

    @Benchmark
    public LogUpProverResult prove() {
        return LogUpProver.prove(new Transcript("bench"), groups, table, multiplicities);
    }

    @Benchmark
    public LogUpClaims verify() throws LogUpRejectedException {
        return LogUpVerifier.verify(new Transcript("bench"), shape, proved.proof());
    }
}
