package dev.verinfer.pipeline;

import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.OrtReference;
import dev.verinfer.model.graph.Graph;
import dev.verinfer.model.graph.GraphPreparer;
import dev.verinfer.model.onnx.OnnxImporter;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.model.quant.TensorFormat;
import dev.verinfer.zkml.CommittedTensors;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Setup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * openWakeWord proven step by step: audio → mel step (melspectrogram, {@code x/10 + 2}, the
 * embedding windows) → one embedding step per window (the real embedding model; one key for all
 * windows) → classifier step (the windows' embeddings concatenated, then the wake-word classifier)
 * → score. Every value passing between steps is a committed tensor (see {@link ChainSpec}): the
 * audio and the score are the only public values.
 * <p>Each step after the first is quantised with its inputs in exactly the format of the outputs
 * feeding them, so the integers flow unchanged; the final score is the integer executor's output of
 * the composed integer computation ({@link #execute}), exactly.
 */
public final class OpenWakeWordPipeline {
    private final List<ProvingKey> keys; // mel, embedding, classifier
    private final List<ChainStep> models;
    private final ChainSpec spec;
    private final int windows;
    private final Calibration calibration;

    /**
     * What a classifier step is calibrated on: the float embeddings (ONNX Runtime) of the calibration
     * audio's windows by classifier input name, their shapes, and the embedding step's output format
     * (the classifier's input format), with the commitment security of the keys and whether they are zero-knowledge.
     */
    private record Calibration(Map<String, float[]> embeddings, Map<String, int[]> shapes, Map<String, TensorFormat> formats, PcsSecurity security,
                               boolean zeroKnowledge) {
    }

    private OpenWakeWordPipeline(List<ProvingKey> keys, List<String> names, Calibration calibration) {
        this.keys = List.copyOf(keys);
        this.models = java.util.stream.IntStream.range(0, 3).mapToObj(i -> new ChainStep(names.get(i), keys.get(i).verifyingKey())).toList();
        this.spec = chain(models);
        this.windows = spec.steps().size() - 2;
        this.calibration = calibration;
    }

    /**
     * Compiles the three models for audio of {@code calibrationAudio.length} samples at 16 kHz
     * (as many windows as the classifier takes, ending at the last mel frame), calibrating every
     * step on the float pipeline (ONNX Runtime) run on that audio, and sets up the three keys with
     * the default commitment security ({@link PcsSecurity#PROVEN}).
     */
    public static OpenWakeWordPipeline compile(Path melspectrogram, Path embedding, Path classifier, float[] calibrationAudio) {
        return compile(melspectrogram, embedding, classifier, calibrationAudio, PcsSecurity.PROVEN);
    }

    /**
     * As {@link #compile(Path, Path, Path, float[])}, the three keys set up with {@code security}: one
     * setting for all steps, since a committed tensor's root depends on it.
     */
    public static OpenWakeWordPipeline compile(Path melspectrogram, Path embedding, Path classifier, float[] calibrationAudio, PcsSecurity security) {
        return compile(melspectrogram, embedding, classifier, calibrationAudio, security, false);
    }

    /**
     * As {@link #compile(Path, Path, Path, float[], PcsSecurity)}, the keys zero-knowledge when {@code zeroKnowledge}: every
     * linked value is then a hiding commitment that the producer's proof makes and the consumer's opens ({@link #prove}
     * hands it over), so the windows, embeddings and weights stay private; the audio and the score are public.
     */
    public static OpenWakeWordPipeline compile(Path melspectrogram, Path embedding, Path classifier, float[] calibrationAudio, PcsSecurity security,
                                               boolean zeroKnowledge) {
        byte[] melBytes = read(melspectrogram), embeddingBytes = read(embedding), classifierBytes = read(classifier);
        int windows = classifierWindows(classifierBytes);
        Graph melGraph = OnnxImporter.parse(melBytes);
        String audioInput = melGraph.inputNames().getFirst();
        Map<String, int[]> audioShape = Map.of(audioInput, new int[] {1, calibrationAudio.length});
        Map<String, float[]> audio = Map.of(audioInput, calibrationAudio);
        byte[] melStep = OpenWakeWordGraphs.melStep(melBytes, frames(melGraph, audioShape), windows);
        CompiledModel mel = CompiledModel.compile(OnnxImporter.parse(melStep), audioShape, List.of(audio), QuantConfig.DEFAULT);

        Graph embeddingGraph = OnnxImporter.parse(embeddingBytes);
        String embeddingInput = embeddingGraph.inputNames().getFirst();
        Map<String, int[]> windowShape = Map.of(embeddingInput, new int[] {1, OpenWakeWordGraphs.WINDOW, OpenWakeWordGraphs.MEL_BINS, 1});
        List<Map<String, float[]>> windowSamples = new ArrayList<>();
        Map<String, float[]> floatWindows = ort(melStep, List.of(audio), audioShape).getFirst();
        for (int k = 0; k < windows; k++) {
            windowSamples.add(Map.of(embeddingInput, floatWindows.get(OpenWakeWordGraphs.windowName(k))));
        }
        CompiledModel emb = CompiledModel.compile(embeddingGraph, windowShape, windowSamples, QuantConfig.DEFAULT,
                Map.of(embeddingInput, outputFormat(mel.quant())));

        int[] embeddingShape = emb.quant().tensor(emb.quant().outputs().getFirst()).shape();
        Map<String, float[]> embeddings = new HashMap<>();
        Map<String, int[]> embeddingShapes = new HashMap<>();
        Map<String, TensorFormat> embeddingFormats = new HashMap<>();
        List<Map<String, float[]>> floatEmbeddings = ort(embeddingBytes, windowSamples, windowShape);
        for (int k = 0; k < windows; k++) {
            String name = OpenWakeWordGraphs.embeddingName(k);
            embeddings.put(name, floatEmbeddings.get(k).values().iterator().next());
            embeddingShapes.put(name, embeddingShape);
            embeddingFormats.put(name, outputFormat(emb.quant()));
        }
        Calibration calibration = new Calibration(java.util.Collections.unmodifiableMap(embeddings), java.util.Collections.unmodifiableMap(embeddingShapes),
                java.util.Collections.unmodifiableMap(embeddingFormats), security, zeroKnowledge);
        List<ProvingKey> keys = List.of(setup(mel.quant(), security, zeroKnowledge), setup(emb.quant(), security, zeroKnowledge),
                classifierKey(classifierBytes, windows, calibration));
        return new OpenWakeWordPipeline(keys, List.of(name(melspectrogram), name(embedding), name(classifier)), calibration);
    }

    /**
     * The same mel and embedding steps (the same keys) with another wake-word classifier, calibrated
     * as {@link #compile} calibrates one: on the float embeddings of this pipeline's calibration audio.
     * openWakeWord's classifiers share the embedding model, so their chains share every step but the last.
     */
    public OpenWakeWordPipeline withClassifier(Path classifier) {
        byte[] classifierBytes = read(classifier);
        int classifierWindows = classifierWindows(classifierBytes);
        if (classifierWindows != windows) {
            throw new dev.verinfer.model.UnsupportedModelException(name(classifier) + " takes " + classifierWindows
                    + " embedding windows; this pipeline's mel step makes " + windows);
        }
        return new OpenWakeWordPipeline(List.of(keys.get(0), keys.get(1), classifierKey(classifierBytes, windows, calibration)),
                List.of(models.get(0).name(), models.get(1).name(), name(classifier)), calibration);
    }

    /** The classifier step (the windows' embeddings concatenated, then the classifier) compiled on the calibration embeddings, set up. */
    private static ProvingKey classifierKey(byte[] classifierBytes, int windows, Calibration calibration) {
        int[] embeddingShape = calibration.shapes().values().iterator().next();
        byte[] classifierStep = OpenWakeWordGraphs.classifierStep(classifierBytes, windows, embeddingShape);
        CompiledModel cls = CompiledModel.compile(OnnxImporter.parse(classifierStep), calibration.shapes(), List.of(calibration.embeddings()), QuantConfig.DEFAULT,
                calibration.formats());
        return setup(cls.quant(), calibration.security(), calibration.zeroKnowledge());
    }

    /**
     * One step's key, its weight bounds proof made before the next key is set up: a zero-knowledge key's is otherwise made
     * when the key is first written, after proving, and embedding_model's alone takes most of a 6 GB heap.
     */
    private static ProvingKey setup(QuantGraph graph, PcsSecurity security, boolean zeroKnowledge) {
        ProvingKey key = Setup.setup(graph, security, zeroKnowledge);
        key.verifyingKey().proveWeightBounds();
        return key;
    }

    /** The number of mel frames ([1, 1, frames, bins]) of the melspectrogram model on audio of this shape. */
    private static int frames(Graph g, Map<String, int[]> audioShape) {
        return GraphPreparer.prepare(g, audioShape).shape(g.outputs().getFirst())[2];
    }

    /** The format of a graph's first output (every output of the mel step has the same one; {@link ChainSpec} checks every link). */
    private static TensorFormat outputFormat(QuantGraph g) {
        return TensorFormat.of(g.tensor(g.outputs().getFirst()));
    }

    /** The float model in ONNX Runtime on each input: the calibration values of the next step. */
    private static List<Map<String, float[]>> ort(byte[] onnx, List<Map<String, float[]>> inputs, Map<String, int[]> shapes) {
        try (OrtReference ort = new OrtReference(onnx)) {
            return inputs.stream().map(in -> ort.run(in, shapes)).toList();
        }
    }

    /**
     * The chain of the three models (mel step, embedding model, classifier step, in this order;
     * e.g. {@link #models()}): step 0 the mel step, steps 1..W the embedding model on window k,
     * step W + 1 the classifier, W its number of inputs; links: mel output k → embedding step k →
     * classifier input k. What a verifier needs, from verifying keys alone.
     */
    public static ChainSpec chain(List<ChainStep> models) {
        if (models.size() != 3) {
            throw new IllegalArgumentException("an openWakeWord chain has 3 models (mel step, embedding, classifier step), not " + models.size());
        }
        int windows = models.get(2).key().graph().inputs().size();
        List<ChainStep> steps = new ArrayList<>();
        List<Link> links = new ArrayList<>();
        steps.add(models.get(0));
        for (int k = 0; k < windows; k++) {
            steps.add(new ChainStep(models.get(1).name() + "[" + k + "]", models.get(1).key()));
            links.add(new Link(0, k, 1 + k, 0));
            links.add(new Link(1 + k, 0, windows + 1, k));
        }
        steps.add(models.get(2));
        return new ChainSpec(steps, links);
    }

    /** The three models (mel step, embedding model, classifier step) by name and verifying key: their model ids name the steps. */
    public List<ChainStep> models() {
        return models;
    }

    /** The chain's steps (verifying keys, hence model ids) and links: all a verifier needs. */
    public ChainSpec spec() {
        return spec;
    }

    public int windows() {
        return windows;
    }

    /**
     * The proving key of chain step {@code step} (0: mel step; 1..W: the embedding model; W + 1:
     * classifier step): with {@link ChainSpec#inputs}/{@link ChainSpec#outputs} of that step, all a
     * prover of one step needs besides the integers of its linked inputs.
     */
    public ProvingKey provingKey(int step) {
        if (step < 0 || step > windows + 1) {
            throw new IllegalArgumentException("the chain has steps 0.." + (windows + 1) + ", not " + step);
        }
        return keys.get(step == 0 ? 0 : step <= windows ? 1 : 2);
    }

    /** The composed integer computation, without proofs. */
    public OpenWakeWordRun execute(float[] audio) {
        return run(audio, (step, key, execution) -> {});
    }

    /** Runs and proves every step, in chain order (one step's execution in memory at a time). */
    public ChainProof prove(float[] audio) {
        return prove(audio, step -> new byte[0]);
    }

    /**
     * As {@link #prove(float[])}, step {@code s}'s proof bound to {@code contexts.apply(s)} (a market
     * workflow binds each step's proof to its request and prover).
     */
    public ChainProof prove(float[] audio, IntFunction<byte[]> contexts) {
        List<StepProof> proofs = new ArrayList<>();
        long[] start = {System.nanoTime()};
        boolean zeroKnowledge = keys.getFirst().verifyingKey().zeroKnowledge();
        Map<Integer, CommittedTensors> made = new HashMap<>(); // zero knowledge: each step's commitments, until its consumers have opened them
        run(audio, (step, key, execution) -> {
            Proof p;
            if (zeroKnowledge) {
                CommittedTensors handed = new CommittedTensors();
                for (int in = 0; in < key.graph().inputs().size(); in++) {
                    int input = in;
                    spec.source(step, in).ifPresent(link -> handed.input(input, made.get(link.fromStep()).output(link.output())));
                }
                p = Prover.prove(key, execution, spec.inputs(step), spec.outputs(step), contexts.apply(step), handed);
                made.put(step, handed);
            } else {
                p = Prover.prove(key, execution, spec.inputs(step), spec.outputs(step), contexts.apply(step));
            }
            long now = System.nanoTime();
            proofs.add(new StepProof(spec.steps().get(step).name(), p, now - start[0]));
            start[0] = now;
        });
        return new ChainProof(proofs);
    }

    public ChainVerdict verify(ChainProof proof) {
        return ChainVerifier.verify(spec, proof.bytes());
    }

    /** The score as a real number (the classifier output's scale). */
    public double score(long raw) {
        QuantGraph g = keys.get(2).graph();
        return Math.scalb((double) raw, -g.tensor(g.outputs().getFirst()).scale());
    }

    /** Called after each step's execution, in chain order. */
    private interface StepSink {
        void accept(int step, ProvingKey key, Execution execution);
    }

    private OpenWakeWordRun run(float[] audio, StepSink sink) {
        try (IntegerExecutor executor = new IntegerExecutor()) {
            ProvingKey mel = keys.get(0), emb = keys.get(1), cls = keys.get(2);
            Execution melRun = executor.run(mel.graph(), Map.of(mel.graph().tensor(mel.graph().inputs().getFirst()).name(), audio));
            sink.accept(0, mel, melRun);
            long[][] windowValues = outputs(mel.graph(), melRun);
            long[][] embeddings = new long[windows][];
            String embInput = emb.graph().tensor(emb.graph().inputs().getFirst()).name();
            for (int k = 0; k < windows; k++) {
                Execution e = executor.runQuantised(emb.graph(), Map.of(embInput, windowValues[k]));
                sink.accept(1 + k, emb, e);
                embeddings[k] = e.value(emb.graph().outputs().getFirst());
            }
            Map<String, long[]> clsInputs = new HashMap<>();
            for (int k = 0; k < windows; k++) {
                clsInputs.put(cls.graph().tensor(cls.graph().inputs().get(k)).name(), embeddings[k]);
            }
            Execution c = executor.runQuantised(cls.graph(), clsInputs);
            sink.accept(windows + 1, cls, c);
            return new OpenWakeWordRun(windowValues, embeddings, c.value(cls.graph().outputs().getFirst()));
        }
    }

    private static long[][] outputs(QuantGraph g, Execution e) {
        return g.outputs().stream().map(e::value).toArray(long[][]::new);
    }

    private static int classifierWindows(byte[] classifier) {
        var inputs = OnnxEdits.realInputs(OnnxEdits.parse(classifier).getGraph());
        var dims = inputs.getFirst().getType().getTensorType().getShape().getDimList();
        if (inputs.size() != 1 || dims.size() != 3) {
            throw new dev.verinfer.model.UnsupportedModelException("a wake-word classifier takes one input [1, windows, embedding]");
        }
        return (int) dims.get(1).getDimValue();
    }

    private static String name(Path onnx) {
        return onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
