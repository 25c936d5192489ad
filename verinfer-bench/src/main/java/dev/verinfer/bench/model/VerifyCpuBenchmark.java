package dev.verinfer.bench.model;

import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.Setup;
import dev.verinfer.zkml.VerificationResult;
import dev.verinfer.zkml.Verifier;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * The verifier's time on a warm JVM: {@link Verifier#verify} of one proof of a real model on its realistic input, in a
 * loop (the verifier is single-threaded), thread CPU and wall time, min and median over the rounds after warm-up. Run it
 * under a profiler (JFR) to find the verifier's hot spots.
 *
 * <p>Run: {@code java -cp verinfer-bench/target/verinfer-benchmarks.jar dev.verinfer.bench.model.VerifyCpuBenchmark
 * [model] [rounds] [warmup] [proven|conjectured]} (defaults: alexa_v0.1 200 200 proven), from the repository root.
 */
public final class VerifyCpuBenchmark {
    private VerifyCpuBenchmark() {}

    public static void main(String[] args) {
        RealModels model = Workload.named(args.length > 0 ? args[0] : "alexa_v0.1");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        PcsSecurity security = args.length > 3 && args[3].equals("conjectured") ? PcsSecurity.CONJECTURED : PcsSecurity.PROVEN;
        Workload w = Workload.of(model);
        CompiledModel m = CompiledModel.compile(model.path(), w.input().shapes(), List.of(w.calibration().values()), QuantConfig.DEFAULT);
        ProvingKey key = Setup.setup(m.quant(), security);
        Execution execution = IntegerExecutor.execute(m.quant(), w.input().values());
        Proof proof = Prover.prove(key, execution);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] cpu = new double[rounds];
        double[] wall = new double[rounds];
        for (int r = 0; r < warmup + rounds; r++) {
            long c = threads.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            VerificationResult result = Verifier.verify(key.verifyingKey(), proof.bytes());
            if (!result.valid()) {
                throw new IllegalStateException("the proof was rejected: " + result);
            }
            if (r >= warmup) {
                cpu[r - warmup] = (threads.getCurrentThreadCpuTime() - c) / 1e6;
                wall[r - warmup] = (System.nanoTime() - t) / 1e6;
            }
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        System.out.printf("%s %s: verify CPU ms min %.2f, median %.2f; wall ms min %.2f, median %.2f; of %d after %d warm-up; proof %,d bytes%n",
                model.modelName, security.label(), cpu[0], Timing.median(cpu), wall[0], Timing.median(wall), rounds, warmup, proof.size());
    }
}
