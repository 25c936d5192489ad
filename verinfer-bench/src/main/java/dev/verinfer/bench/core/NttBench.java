package dev.verinfer.bench.core;

import dev.verinfer.dft.Ntt;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;
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
 * Goldilocks NTTs (ms per call): one forward transform of 2^20, WHIR's encodings of a 2^20 witness, of a per-proof mask
 * g and of a first folded oracle, and the PCS encoding shape of a 2^20 table (128 rows of 2^13 padded to 2^15 at rate 1/4) as a batch.
 * Transforms run in place on the same array: the cost does not depend on the values.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NttBench {
    @Param({"1", "2"})
    int threads;

    long[] single;
    long[] mask;
    long[][] batch;

    @Setup
    public void setup() {
        Parallelism.setThreads(threads);
        SplittableRandom rng = new SplittableRandom(1);
        single = new long[1 << 20];
        for (int i = 0; i < single.length; i++) {
            single[i] = Goldilocks.random(rng);
        }
        mask = new long[1 << 21];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = Goldilocks.random(rng);
        }
        batch = new long[128][1 << 15];
        for (long[] row : batch) {
            for (int i = 0; i < row.length; i++) {
                row[i] = Goldilocks.random(rng);
            }
        }
    }

    @Benchmark
    public long[] forward2to20() {
        Ntt.forward(single);
        return single;
    }

    @Benchmark
    public long[] inverse2to20() {
        Ntt.inverse(single);
        return single;
    }

    /** WHIR's encoding of the first folded oracle: 2^15 coefficients on a domain of 2^19 (one coordinate). */
    @Benchmark
    public long[] forwardPadded2to15on2to19() {
        return Ntt.forwardPadded(batch[0], 19);
    }

    /**
     * The shape of a witness commitment's encoding (2^20 coefficients at rate 1/4): the scratch-row butterflies, the
     * per-block fill and the wide radix-4 passes over a codeword far beyond L2.
     */
    @Benchmark
    public long[] forwardPadded2to20on2to22() {
        return Ntt.forwardPadded(single, 22);
    }

    /**
     * A per-proof mask g's encoding, the shape a zero-knowledge proof's reserve spends its time on (docs/proof-system.md,
     * "The reserve's encodings"): 2^21 coefficients at rate 1/8, embedding_model's registered weights' g (its witness's g is
     * 2^22 on 2^25); twice the wide passes of {@link #forwardPadded2to20on2to22}.
     */
    @Benchmark
    public long[] forwardPadded2to21on2to24() {
        return Ntt.forwardPadded(mask, 24);
    }

    @Benchmark
    public long[][] forwardBatch128x2to15() {
        Ntt.forwardBatch(batch);
        return batch;
    }
}
