package dev.verinfer.bench.model;

import dev.verinfer.field.Parallelism;
import dev.verinfer.model.AccuracyReport;
import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.OrtReference;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.ProofMaskReserve;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProverTrace;
import dev.verinfer.zkml.Setup;
import dev.verinfer.zkml.ZeroKnowledge;
import dev.verinfer.zkml.UnsupportedGraphException;
import dev.verinfer.zkml.VerificationResult;
import dev.verinfer.zkml.Verifier;
import dev.verinfer.zkml.Visibility;

import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole-model benchmark of one real model on its realistic input: compile (once), then ONNX
 * Runtime, the integer executor, setup, prove and verify, each as the median of {@code runs} runs
 * after {@code warmup} runs, plus the proof size and the peak heap while proving. A model the prover
 * cannot prove yet, or a step that fails, is reported in the result, never thrown. Proving and verification warm up
 * longer ({@link #PROVE_WARMUP_MILLIS}, {@link #VERIFY_WARMUP_MILLIS}): their medians are a warm JVM's, as issue 12's
 * targets say.
 */
public final class ModelBenchmark {
    /** Verification warms up for at least this long (and the requested warm-up runs), up to {@link #VERIFY_WARMUP_RUNS} runs. */
    static final double VERIFY_WARMUP_MILLIS = 5_000;
    static final int VERIFY_WARMUP_RUNS = 300;
    /**
     * Proving warms up for at least this long (and the requested warm-up runs), up to {@link #PROVE_WARMUP_RUNS} runs: on
     * two cores the JIT compiles the prover's kernels to C2 only over its first ~20 alexa_v0.1 proofs (its compilations
     * take CPU from the two prover threads), so after 2 warm-up runs a proof cost ≈ 170 ms of process CPU against ≈ 110
     * ms warm (runs 3–7 against 25–29 of one JVM, load 8). A model whose proofs take over 1.5 s keeps the requested runs.
     */
    static final double PROVE_WARMUP_MILLIS = 3_000;
    static final int PROVE_WARMUP_RUNS = 30;
    /**
     * Rounds of the paired measure at least (each a plain proof and a proof from a reserve): this machine runs the same jar at
     * two speeds, 1.3–1.5× apart, and changes between them within minutes, so a ratio of two rows' medians taken one block after
     * the other can be off by more than a change is worth; a round's two proofs share the machine's state.
     */
    static final int PAIRED_MIN_ROUNDS = 10;
    /** Told which step of which model starts (for progress display). */
    public interface Listener {
        void step(String model, String step);
    }

    private final int warmup;
    private final int runs;
    private final PcsSecurity security;
    private final boolean zeroKnowledge;
    /** The zero-knowledge weight opening budget the model is set up with ({@code compile --zk-openings}). */
    private final int zkOpenings;
    private final boolean pairedPlain;
    private final Listener listener;

    public ModelBenchmark(int warmup, int runs, PcsSecurity security, Listener listener) {
        this(warmup, runs, security, false, listener);
    }

    /** @param zeroKnowledge set the model up in zero-knowledge mode (its row's security label gains "+zk") */
    public ModelBenchmark(int warmup, int runs, PcsSecurity security, boolean zeroKnowledge, Listener listener) {
        this(warmup, runs, security, zeroKnowledge, ZeroKnowledge.WEIGHT_OPENING_BUDGET, listener);
    }

    /** @param zkOpenings the weight opening budget in zero knowledge (a budget other than the default labels the row "+zk/N") */
    public ModelBenchmark(int warmup, int runs, PcsSecurity security, boolean zeroKnowledge, int zkOpenings, Listener listener) {
        this(warmup, runs, security, zeroKnowledge, zkOpenings, false, listener);
    }

    /**
     * @param pairedPlain for a zero-knowledge row: also set the model up plain and measure the online / plain ratio paired
     *                    ({@link ModelResult#pairedOnlineOverPlain}, {@link #PAIRED_MIN_ROUNDS} rounds at least)
     */
    public ModelBenchmark(int warmup, int runs, PcsSecurity security, boolean zeroKnowledge, int zkOpenings, boolean pairedPlain, Listener listener) {
        if (warmup < 0 || runs < 1) throw new IllegalArgumentException("need warmup ≥ 0 and runs ≥ 1");
        if (pairedPlain && !zeroKnowledge) throw new IllegalArgumentException("a paired plain key is measured beside a zero-knowledge row");
        this.pairedPlain = pairedPlain;
        this.zkOpenings = zkOpenings;
        this.warmup = warmup;
        this.runs = runs;
        this.security = security;
        this.zeroKnowledge = zeroKnowledge;
        this.listener = listener;
    }

    public ModelResult run(RealModels model) {
        Partial p = new Partial(model.modelName, security.label() + (!zeroKnowledge ? "" : zkOpenings == ZeroKnowledge.WEIGHT_OPENING_BUDGET ? "+zk" : "+zk/" + zkOpenings));
        try {
            measure(model, p);
        } catch (RuntimeException e) {
            p.status = "failed: " + e.getMessage();
        } catch (OutOfMemoryError e) { // the model's arrays are unreachable once unwound: the next model has the heap again
            p.status = "out of memory: the Java heap is limited to %.1f GB (VERINFER_JAVA_OPTS=-Xmx...)".formatted(Runtime.getRuntime().maxMemory() / 1e9);
        }
        return p.result();
    }

    private void measure(RealModels model, Partial p) {
        String name = model.modelName;
        listener.step(name, "fetching the model and its inputs");
        Path onnx = model.path();
        Workload w = Workload.of(model);
        p.input = w.input().name();
        p.calibrationInput = w.calibration().name();
        listener.step(name, "compiling");
        long t0 = System.nanoTime();
        CompiledModel m = CompiledModel.compile(onnx, w.input().shapes(), List.of(w.calibration().values()), QuantConfig.DEFAULT);
        p.compileMillis = (System.nanoTime() - t0) / 1e6;
        QuantGraph g = m.quant();
        p.quantisedOps = g.nodes().size();
        p.parameters = g.tensors().stream().filter(t -> t.kind() == QTensor.Kind.WEIGHT).mapToLong(QTensor::size).sum();

        listener.step(name, "ONNX Runtime");
        Timing<float[]> ort;
        try (OrtReference ref = new OrtReference(onnx, Parallelism.threads())) {
            ort = Timing.measure(warmup, runs, () -> ref.run(w.input().values(), w.input().shapes()).values().iterator().next());
        }
        p.ortMillis = ort.medianMillis();
        listener.step(name, "integer executor");
        Timing<Execution> exec;
        try (IntegerExecutor executor = new IntegerExecutor(Parallelism.threads())) {
            exec = Timing.measure(warmup, runs, () -> executor.run(g, w.input().values()));
        }
        p.integerMillis = exec.medianMillis();
        p.accuracy = AccuracyReport.compare(ort.last(), exec.last().outputs().values().iterator().next(), w.classifier());

        listener.step(name, "setup");
        Timing<ProvingKey> setup;
        try {
            // In zero knowledge the weights' bounds proof (ZkWeightBounds, made lazily on first use) is part of what `compile --zk`
            // pays: writing the verifying key makes it, so the setup measured here includes it.
            setup = Timing.measure(warmup, runs, () -> {
                ProvingKey key = Setup.setup(g, security, zeroKnowledge, zkOpenings);
                if (zeroKnowledge) {
                    key.verifyingKey().toBytes();
                }
                return key;
            });
        } catch (UnsupportedGraphException e) {
            p.status = "not provable yet: " + e.getMessage();
            return;
        }
        p.setupMillis = setup.medianMillis();
        ProvingKey pk = setup.last();
        Execution execution = exec.last();
        if (pk.graph() != g) { // the key may prove an equivalent graph (saturating look-ups cut, a zero-knowledge key's large pools split): run the key's
            execution = execute(pk, w);
        }
        Execution proven = execution;
        listener.step(name, "proving");
        Proof[] proof = new Proof[1];
        p.peakProveHeapBytes = PeakHeap.bytesDuring(() -> proof[0] = Prover.prove(pk, proven));
        ProverTrace.last().forEach((phase, spent) -> p.proofBytesByPart.put(phase, spent.bytes()));
        Timing<Proof> prove = Timing.measureWarm(warmup, runs, PROVE_WARMUP_MILLIS, PROVE_WARMUP_RUNS, () -> Prover.prove(pk, proven));
        p.proveMillis = prove.medianMillis();
        p.proofBytes = proof[0].size();
        p.proveOverOrt = p.proveMillis / p.ortMillis;
        Proof online = null;
        if (zeroKnowledge) {
            listener.step(name, "proving from reserves");
            online = measureSplit(pk, proven, p);
        }
        if (pairedPlain) {
            listener.step(name, "proving paired with a plain key");
            p.pairedOnlineOverPlain = measurePaired(g, w, pk, proven);
        }
        listener.step(name, "verifying");
        Timing<VerificationResult> verify = Timing.measureWarm(warmup, runs, VERIFY_WARMUP_MILLIS, VERIFY_WARMUP_RUNS, () -> Verifier.verify(pk.verifyingKey(), proof[0].bytes()));
        p.verifyMillis = verify.medianMillis();
        p.status = verify.last().valid() ? "verified" : "failed: the verifier rejected the proof: " + verify.last().reason();
        VerificationResult fromReserve = online == null ? null : Verifier.verify(pk.verifyingKey(), online.bytes());
        if (fromReserve != null && !fromReserve.valid()) {
            p.status = "failed: the verifier rejected the proof made from a reserve: " + fromReserve.reason();
        }
    }

    /**
     * The offline/online split of a zero-knowledge proof: warm-up, then for each measured run a {@link ProofMaskReserve} prepared
     * (timed: offline) and then the proof made from it (timed apart: online); medians of each. Returns the last proof.
     */
    private Proof measureSplit(ProvingKey pk, Execution proven, Partial p) {
        // the heap one reserve holds (what a prover keeps per key between proofs), then its proof as the first warm-up run
        p.reserveHeapBytes = PeakHeap.retainedBy(() -> ProofMaskReserve.prepare(pk, Visibility.PUBLIC, Visibility.PUBLIC),
                r -> Prover.prove(pk, proven, Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], r));
        for (int i = 1; i < warmup; i++) {
            Prover.prove(pk, proven, Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], ProofMaskReserve.prepare(pk, Visibility.PUBLIC, Visibility.PUBLIC));
        }
        double[] offline = new double[runs];
        double[] online = new double[runs];
        Proof last = null;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            ProofMaskReserve reserve = ProofMaskReserve.prepare(pk, Visibility.PUBLIC, Visibility.PUBLIC);
            long t1 = System.nanoTime();
            last = Prover.prove(pk, proven, Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], reserve);
            offline[i] = (t1 - t0) / 1e6;
            online[i] = (System.nanoTime() - t1) / 1e6;
        }
        p.proveOfflineMillis = Timing.median(offline);
        p.proveOnlineMillis = Timing.median(online);
        return last;
    }

    /**
     * The median over rounds of online / plain, each round a plain proof under a plain key of the same graph and a proof from a
     * reserve (prepared untimed) under {@code pk}, in alternating order, after warm-up rounds.
     */
    private double measurePaired(QuantGraph g, Workload w, ProvingKey pk, Execution proven) {
        ProvingKey plain = Setup.setup(g, security);
        Execution plainRun = execute(plain, w);
        int rounds = Math.max(runs, PAIRED_MIN_ROUNDS);
        double[] ratios = new double[rounds];
        for (int i = -Math.max(warmup, 2); i < rounds; i++) {
            ProofMaskReserve reserve = ProofMaskReserve.prepare(pk, Visibility.PUBLIC, Visibility.PUBLIC);
            double plainMillis, onlineMillis;
            if ((i & 1) == 0) {
                plainMillis = Timing.millis(() -> Prover.prove(plain, plainRun));
                onlineMillis = Timing.millis(() -> Prover.prove(pk, proven, Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], reserve));
            } else {
                onlineMillis = Timing.millis(() -> Prover.prove(pk, proven, Visibility.PUBLIC, Visibility.PUBLIC, new byte[0], reserve));
                plainMillis = Timing.millis(() -> Prover.prove(plain, plainRun));
            }
            if (i >= 0) {
                ratios[i] = onlineMillis / plainMillis;
            }
        }
        return Timing.median(ratios);
    }

    /** The workload's input run through the graph {@code key} proves. */
    private static Execution execute(ProvingKey key, Workload w) {
        try (IntegerExecutor executor = new IntegerExecutor(Parallelism.threads())) {
            return executor.run(key.graph(), w.input().values());
        }
    }

    /** The measurements taken so far. */
    private static final class Partial {
        final String model, security;
        String input, calibrationInput;
        Long parameters;
        Integer quantisedOps, proofBytes;
        Double compileMillis, ortMillis, integerMillis, setupMillis, proveMillis, verifyMillis, proveOverOrt, proveOnlineMillis, proveOfflineMillis,
                pairedOnlineOverPlain;
        Long peakProveHeapBytes, reserveHeapBytes;
        AccuracyReport accuracy;
        String status;
        final Map<String, Long> proofBytesByPart = new LinkedHashMap<>();

        Partial(String model, String security) {
            this.model = model;
            this.security = security;
        }

        ModelResult result() {
            return new ModelResult(model, security, input, calibrationInput, parameters, quantisedOps, compileMillis,
                    ortMillis, integerMillis, accuracy, setupMillis, proveMillis, verifyMillis, proofBytes, peakProveHeapBytes, proveOverOrt,
                    status, proofBytesByPart, proveOnlineMillis, proveOfflineMillis, reserveHeapBytes, pairedOnlineOverPlain);
        }
    }
}
