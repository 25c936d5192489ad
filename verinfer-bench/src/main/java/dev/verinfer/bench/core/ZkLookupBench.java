package dev.verinfer.bench.core;

import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.LookupTable;
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
 * The cost of zero knowledge on a proof's look-up phase (ms per call): x[1,64] → Rescale by 2^4 (a
 * range-checked remainder) → ReLU or sigmoid table, proven and verified with and without zero knowledge
 * (PcsSecurity proven, real hiding WHIR). The input is public (a look-up reading a private value is not
 * covered yet: its leaf claims are revealed), so this measures the masked LogUp-GKR with its masks in the
 * proof's hiding mask commitment (LookupProofMasks) and that commitment's opening. The proof size is
 * printed once at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class ZkLookupBench {
    @Param({"relu", "sigmoid"})
    public String activation;

    @Param({"false", "true"})
    public boolean zk;

    ProvingKey key;
    Execution execution;
    byte[] proof;

    @Setup
    public void setup() {
        QuantGraph g = graph(activation);
        float[] x = new float[64];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 7.8 - 3.9);
        }
        execution = IntegerExecutor.execute(g, Map.of("x", x));
        key = dev.verinfer.zkml.Setup.setup(g, PcsSecurity.PROVEN, zk);
        proof = Prover.prove(key, execution).bytes();
        VerificationResult r = Verifier.verify(key.verifyingKey(), proof);
        if (!r.valid()) {
            throw new IllegalStateException("the benchmark's proof does not verify: " + r.reason());
        }
        System.out.println("# " + activation + (zk ? " zero-knowledge" : " plain") + ": proof " + proof.length + " bytes");
    }

    @Benchmark
    public Proof prove() {
        return Prover.prove(key, execution);
    }

    @Benchmark
    public VerificationResult verify() {
        return Verifier.verify(key.verifyingKey(), proof);
    }

    /** x (scale 8, 12 bits) → Rescale by 2^4 (below 2^8) → the activation's table over [−256, 256) (scale 4 → 4). */
    static QuantGraph graph(String activation) {
        int[] shape = {1, 64};
        QTensor x = new QTensor(0, "x", shape, 8, 12, QTensor.Kind.INPUT, null);
        QTensor q = new QTensor(1, "rescale", shape, 4, 8, QTensor.Kind.ACTIVATION, null);
        QTensor y = new QTensor(2, activation, shape, 4, 16, QTensor.Kind.ACTIVATION, null);
        LookupTable table = LookupTable.build(activation, 4, 4, 9, -(1L << 8), 1 << 9);
        return new QuantGraph(List.of(x, q, y),
                List.of(new QNode("rescale", new QOp.Rescale(0, 4), 1), new QNode(activation, new QOp.Lookup(1, table), 2)), List.of(0), List.of(2));
    }
}
