package dev.verinfer.bench.model;

import dev.verinfer.field.Parallelism;
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

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The prover's CPU time on one thread: the thread CPU time of {@link Prover#prove} for one real model on its realistic
 * input, min and median over the rounds after warm-up, with the proof's size and SHA-256 prefix (so two builds can be
 * compared for speed and for identical bytes). Thread CPU time moves far less than wall time on a shared machine;
 * run the two builds alternately in the same minutes and compare them, not machines.
 *
 * <p>Run: {@code java -cp verinfer-bench/target/verinfer-benchmarks.jar dev.verinfer.bench.model.ProveCpuBenchmark
 * [model] [rounds] [warmup] [setting]} with setting a {@code --pcs-security} label (defaults: alexa_v0.1 15 3 proven), from the repository root.
 */
public final class ProveCpuBenchmark {
    private ProveCpuBenchmark() {}

    public static void main(String[] args) throws NoSuchAlgorithmException {
        RealModels model = Workload.named(args.length > 0 ? args[0] : "alexa_v0.1");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        PcsSecurity security = args.length > 3 ? Arrays.stream(PcsSecurity.values()).filter(s -> s.label().equals(args[3])).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no commitment setting " + args[3])) : PcsSecurity.PROVEN;
        Parallelism.setThreads(1);
        Workload w = Workload.of(model);
        CompiledModel m = CompiledModel.compile(model.path(), w.input().shapes(), List.of(w.calibration().values()), QuantConfig.DEFAULT);
        ProvingKey key = Setup.setup(m.quant(), security);
        Execution execution = IntegerExecutor.execute(m.quant(), w.input().values());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] millis = new double[rounds];
        Proof proof = null;
        for (int r = 0; r < warmup + rounds; r++) {
            long cpu = threads.getCurrentThreadCpuTime();
            proof = Prover.prove(key, execution);
            if (r >= warmup) {
                millis[r - warmup] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
            }
        }
        Arrays.sort(millis);
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(proof.bytes())).substring(0, 16);
        System.out.printf("%s %s, 1 thread: prove CPU ms min %.0f, median %.0f of %d after %d warm-up; proof %,d bytes, SHA-256 %s…%n",
                model.modelName, security.label(), millis[0], Timing.median(millis), rounds, warmup, proof.size(), digest);
    }
}
