package dev.verinfer.node;

import dev.verinfer.field.Parallelism;
import dev.verinfer.model.AccuracyReport;
import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.OrtReference;
import dev.verinfer.model.graph.Graph;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Setup;
import dev.verinfer.zkml.ZeroKnowledge;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * An ONNX model and calibration samples to a model directory's contents: quantised and calibrated,
 * compared with ONNX Runtime on the samples, and set up (weights committed, keys derived).
 */
final class ModelCompiler {
    record Result(ProvingKey provingKey, Settings settings, double quantiseMillis, double setupMillis) {}

    private ModelCompiler() {}

    /** @param weightOpenings zero knowledge only: the hiding weight commitment's opening budget ({@link Setup#setup(QuantGraph, PcsSecurity, boolean, int)}) */
    static Result compile(Path onnx, Graph graph, List<NamedInput> samples, PcsSecurity security, boolean zeroKnowledge, int weightOpenings,
                          Progress progress) {
        progress.step("quantising and calibrating on " + samples.size() + " input(s)");
        long t0 = System.nanoTime();
        CompiledModel m = CompiledModel.compile(graph, samples.getFirst().shapes(), samples.stream().map(NamedInput::values).toList(), QuantConfig.DEFAULT);
        long t1 = System.nanoTime();
        progress.step("comparing with ONNX Runtime");
        AccuracyReport accuracy = worstAccuracy(onnx, m.quant(), samples);
        if (zeroKnowledge) {
            requireZeroKnowledge(m.quant(), security);
        }
        progress.step(zeroKnowledge ? "setup: committing to the weights (hiding) and proving their bounds in zero knowledge"
                + " (compile's default; --no-zk sets up a plain key, in far less time and memory)" : "setup: committing to the weights");
        long t2 = System.nanoTime();
        ProvingKey pk = Setup.setup(m.quant(), security, zeroKnowledge, weightOpenings);
        pk.verifyingKey().toBytes(); // makes the weights' bounds proof, which setup leaves lazy: it is the larger part of a zero-knowledge setup
        long t3 = System.nanoTime();
        QuantGraph g = m.quant();
        long parameters = g.tensors().stream().filter(t -> t.kind() == QTensor.Kind.WEIGHT).mapToLong(QTensor::size).sum();
        Settings settings = new Settings(pk.verifyingKey().modelIdHex(), security.label(), zeroKnowledge, pk.verifyingKey().reveals(), onnx.getFileName().toString(), sha256(FileIO.read(onnx, "ONNX model")),
                TensorInfo.inputs(g), TensorInfo.outputs(g), m.config(), g.nodes().size(), parameters,
                samples.stream().map(NamedInput::name).toList(), accuracy);
        return new Result(pk, settings, (t1 - t0) / 1e6, (t3 - t2) / 1e6);
    }

    /**
     * Zero knowledge is the default: where it is not available the refusal names the opt-out, {@code --no-zk}, and what it gives
     * up. A graph the prover cannot prove at all is left to setup's own refusal (no flag helps there).
     */
    private static void requireZeroKnowledge(QuantGraph g, PcsSecurity security) {
        requireHiding(security);
        List<String> uncovered;
        try {
            uncovered = ZeroKnowledge.uncovered(g);
        } catch (RuntimeException e) {
            if (!ProverSupport.unsupported(g).isEmpty()) {
                return; // setup refuses it
            }
            throw e;
        }
        // Setting each node up alone (ProverSupport) costs more than the zero-knowledge setup's own plan: only for a refusal
        if (!uncovered.isEmpty() && ProverSupport.unsupported(g).isEmpty()) {
            throw new CliException(ExitCodes.UNSUPPORTED, "zero-knowledge proofs (the default) are not available for this model yet: " + uncovered.getFirst()
                    + (uncovered.size() > 1 ? " (and " + (uncovered.size() - 1) + " more)" : "") + PLAIN);
        }
    }

    private static final String PLAIN = "; --no-zk sets it up without zero knowledge (a plain key: its proofs reveal linear information about the weights and activations)";

    /** Zero knowledge (the default of every command that sets models up) needs a hiding commitment: refused naming --no-zk where there is none. */
    static void requireHiding(PcsSecurity security) {
        if (security == PcsSecurity.TENSOR_PROVEN || security == PcsSecurity.TENSOR_CONJECTURED) {
            throw new CliException(ExitCodes.USAGE, "zero knowledge (the default) needs a hiding commitment and --pcs-security " + security.label()
                    + " has none: choose proven, proven-unique or conjectured" + PLAIN);
        }
        // conjectured-evm holds 2^21 entries a commitment (rate 1/128); a hiding commitment takes one variable more, and the
        // weights' zero-knowledge bounds proof commits more than it holds then (alexa_v0.1: 2^22 bits).
        if (security == PcsSecurity.CONJECTURED_EVM) {
            throw new CliException(ExitCodes.USAGE, "--pcs-security conjectured-evm is for plain keys verified on chain (the verifier session takes no"
                    + " zero-knowledge key, and its commitments are too small for a zero-knowledge key's hiding ones): choose proven, proven-unique or conjectured" + PLAIN);
        }
    }

    /** The integer executor against ONNX Runtime on every sample; the report with the largest error. */
    private static AccuracyReport worstAccuracy(Path onnx, QuantGraph g, List<NamedInput> samples) {
        List<AccuracyReport> reports = new ArrayList<>();
        try (OrtReference ort = new OrtReference(onnx, Parallelism.threads()); IntegerExecutor executor = new IntegerExecutor(Parallelism.threads())) {
            for (NamedInput s : samples) {
                Iterator<float[]> reference = ort.run(s.values(), s.shapes()).values().iterator();
                for (float[] actual : executor.run(g, s.values()).outputs().values()) {
                    reports.add(AccuracyReport.compare(reference.next(), actual, false));
                }
            }
        }
        return reports.stream().max(java.util.Comparator.comparingDouble(AccuracyReport::maxAbsError)).orElseThrow();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
