package dev.verinfer.bench.model;

import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.ProverTrace;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.Setup;
import dev.verinfer.zkml.Verifier;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Batch proofs of one real model (one proof of B inferences, {@link ProvingKey#batched}): per batch size the median
 * wall and process CPU time of a proof, per inference, its size and its phases' median wall times. The batch sizes
 * are proven round-robin (one proof of each per round), so a load change on a shared machine hits all alike.
 * Each proof's B inputs are the model's realistic inputs of {@code distinct} seeds, repeated.
 *
 * <p>Run: {@code java -cp verinfer-bench/target/verinfer-benchmarks.jar dev.verinfer.bench.model.BatchBenchmark
 * [model] [B,B,...] [rounds] [warmup] [proven|conjectured]} (defaults: alexa_v0.1 1,16,64,256 5 1 proven).
 */
public final class BatchBenchmark {
    private BatchBenchmark() {}

    public static void main(String[] args) {
        RealModels model = Workload.named(args.length > 0 ? args[0] : "alexa_v0.1");
        int[] batches = Arrays.stream((args.length > 1 ? args[1] : "1,16,64,256").split(",")).mapToInt(Integer::parseInt).toArray();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        PcsSecurity security = args.length > 4 && args[4].equals("conjectured") ? PcsSecurity.CONJECTURED : PcsSecurity.PROVEN;
        int distinct = 8;

        Workload w = Workload.of(model);
        CompiledModel m = CompiledModel.compile(model.path(), w.input().shapes(), List.of(w.calibration().values()), QuantConfig.DEFAULT);
        ProvingKey key = Setup.setup(m.quant(), security);
        List<NamedInput> inputs = new ArrayList<>();
        for (int s = 0; s < distinct; s++) {
            inputs.add(s == 0 ? w.input() : inputFor(model, 2 + s));
        }
        List<Case> cases = new ArrayList<>();
        for (int b : batches) {
            ProvingKey batched = key.batched(b);
            cases.add(new Case(b, batched, stacked(batched.graph(), inputs, b)));
        }
        for (int r = 0; r < warmup + rounds; r++) {
            for (Case c : cases) {
                c.prove(r >= warmup);
            }
        }
        System.out.printf("%s, %s, %d rounds after %d warm-up, %d threads, load average %.2f%n", model.modelName, security.label(), rounds, warmup,
                dev.verinfer.field.Parallelism.threads(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| B | wall ms | CPU ms | CPU ms per inference | proof bytes | witness slots used / committed | LogUp leaves | verified | phases (median wall ms) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Case c : cases) {
            boolean valid = Verifier.verify(key.verifyingKey(), c.proof.bytes()).valid();
            StringBuilder phases = new StringBuilder();
            c.phaseMillis.forEach((name, v) -> phases.append(String.format("%s %.0f, ", name, Timing.median(v.stream().mapToDouble(Double::doubleValue).toArray()))));
            double cpu = Timing.median(c.cpuMillis.stream().mapToDouble(Double::doubleValue).toArray());
            dev.verinfer.zkml.ProverFootprint size = dev.verinfer.zkml.ProverFootprint.of(c.key);
            System.out.printf("| %d | %.0f | %.0f | %.2f | %,d | %,d / %,d | %,d | %s | %s |%n", c.batch, Timing.median(c.wallMillis.stream().mapToDouble(Double::doubleValue).toArray()),
                    cpu, cpu / c.batch, c.proof.size(), size.witnessUsed(), size.witnessEntries(), size.lookupLeaves(), valid, phases.length() > 2 ? phases.substring(0, phases.length() - 2) : "");
        }
    }

    private static NamedInput inputFor(RealModels model, long seed) {
        return switch (model) {
            case ALEXA, HEY_MYCROFT -> dev.verinfer.model.inputs.RealInputs.embeddings(seed);
            default -> throw new IllegalArgumentException("batch benchmark inputs exist for the wake-word classifiers only");
        };
    }

    /** The B inputs (the given ones repeated) stacked along each input's batch axis, run by the integer executor. */
    private static Execution stacked(QuantGraph g, List<NamedInput> inputs, int batch) {
        Map<String, float[]> floats = new HashMap<>();
        for (int in : g.inputs()) {
            String name = g.tensor(in).name();
            int part = g.tensor(in).size() / batch;
            float[] all = new float[part * batch];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(inputs.get(b % inputs.size()).values().get(name), 0, all, b * part, part);
            }
            floats.put(name, all);
        }
        return IntegerExecutor.execute(g, floats);
    }

    private static final class Case {
        final int batch;
        final ProvingKey key;
        final Execution execution;
        final List<Double> wallMillis = new ArrayList<>();
        final List<Double> cpuMillis = new ArrayList<>();
        final Map<String, List<Double>> phaseMillis = new LinkedHashMap<>();
        Proof proof;

        Case(int batch, ProvingKey key, Execution execution) {
            this.batch = batch;
            this.key = key;
            this.execution = execution;
        }

        void prove(boolean record) {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            proof = Prover.prove(key, execution);
            long wall = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            if (record) {
                wallMillis.add(wall / 1e6);
                cpuMillis.add(cpu / 1e6);
                ProverTrace.last().forEach((phase, spent) -> {
                    if (spent.nanos() > 0) {
                        phaseMillis.computeIfAbsent(phase, p -> new ArrayList<>()).add(spent.nanos() / 1e6);
                    }
                });
            }
        }
    }
}
