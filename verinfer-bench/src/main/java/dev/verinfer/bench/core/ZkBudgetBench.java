package dev.verinfer.bench.core;

import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.VerificationResult;
import dev.verinfer.zkml.Verifier;
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

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What the zero-knowledge weight opening budget costs a proof (ms per proof): x[1,64]·W[64,16] + b with private
 * weights and public x, y, proven in zero knowledge (real hiding WHIR) with the weights committed for {@code budget}
 * openings. The per-proof floor is an oracle of about t₀·budget extension values whatever the model
 * (docs/proof-system.md, "Hiding commitments", item 7), so the proof time follows the budget, not the graph.
 * The key is made once per trial; each proof spends two units, so a trial of the small budget stays within it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(1)
public class ZkBudgetBench {
    @Param({"16", "1024"})
    public int budget;

    @Param({"PROVEN", "CONJECTURED"})
    public String security;

    ProvingKey key;
    Execution execution;

    @Setup
    public void setup() {
        QuantGraph g = graph();
        float[] x = new float[64];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 7.8 - 3.9);
        }
        execution = IntegerExecutor.execute(g, Map.of("x", x));
        key = dev.verinfer.zkml.Setup.setup(g, PcsSecurity.valueOf(security), true, budget);
        byte[] proof = Prover.prove(key, execution).bytes();
        VerificationResult r = Verifier.verify(key.verifyingKey(), proof);
        if (!r.valid()) {
            throw new IllegalStateException("the benchmark's proof does not verify: " + r.reason());
        }
        System.out.println("# budget " + budget + " " + security + ": proof " + proof.length + " bytes");
    }

    @Benchmark
    public Proof prove() {
        return Prover.prove(key, execution);
    }

    /** x (scale 8, 12 bits) · W (scale 8, |w| ≤ 200) + b (scale 16) → y (scale 16, 30 bits). */
    static QuantGraph graph() {
        SplittableRandom rng = new SplittableRandom(2);
        long[] w = rng.longs(64 * 16, -200, 201).toArray();
        long[] b = rng.longs(16, -20000, 20001).toArray();
        QTensor x = new QTensor(0, "x", new int[] {1, 64}, 8, 12, QTensor.Kind.INPUT, null);
        QTensor wt = new QTensor(1, "w", new int[] {64, 16}, 8, 20, QTensor.Kind.WEIGHT, w);
        QTensor bt = new QTensor(2, "b", new int[] {16}, 16, 20, QTensor.Kind.WEIGHT, b);
        QTensor y = new QTensor(3, "gemm", new int[] {1, 16}, 16, 30, QTensor.Kind.ACTIVATION, null);
        return new QuantGraph(List.of(x, wt, bt, y), List.of(new QNode("gemm", new QOp.MatMul(0, 1, 2), 3)), List.of(0), List.of(3));
    }
}
