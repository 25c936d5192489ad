package dev.verinfer.node;

import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.UnsupportedModelException;
import dev.verinfer.model.graph.FloatOps;
import dev.verinfer.model.graph.Graph;
import dev.verinfer.model.graph.GraphPreparer;
import dev.verinfer.model.graph.Node;
import dev.verinfer.model.graph.Tensor;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.zkml.ProverFootprint;
import dev.verinfer.zkml.Setup;
import dev.verinfer.zkml.UnsupportedGraphException;
import dev.verinfer.zkml.ZeroKnowledge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

@Command(name = "inspect", mixinStandardHelpOptions = true, header = "Show a model's ops, shapes, parameters and what is supported.",
        description = "Show an ONNX model's inputs, outputs, ops, shapes and parameter count, and what verinfer supports: which nodes it cannot import, and which it cannot prove yet (with the node names).")
final class InspectCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "MODEL.onnx|DIR", description = "The ONNX model, or a model directory written by 'verinfer compile' "
            + "(its model id, zero knowledge and, for a zero-knowledge model, the weight openings used and left).")
    Path onnx;

    @Option(names = {"-c", "--calibration"}, paramLabel = "FILE",
            description = "An input to quantise with (default: a synthetic input uniform in [-1, 1]; only the shapes matter here).")
    Path calibration;

    @Option(names = "--input-shape", paramLabel = "NAME=D,D,...", description = InputShapes.DESCRIPTION)
    List<String> inputShapes = List.of();

    /** A compiled model directory: its key's statements and, in zero knowledge, the weight openings counted across processes. */
    record KeyReport(String model, String modelId, boolean zeroKnowledge, String reveals, Integer openingUnitsUsed, Integer openingUnitBudget,
                     Integer offFaceClaimsUsed, Integer offFaceClaimBudget, Integer epoch) {}

    @Override int run(Console console) {
        if (java.nio.file.Files.isDirectory(onnx)) {
            return inspectKey(console, ModelDir.open(onnx));
        }
        Graph g = OnnxFiles.read(onnx);
        List<TensorSpec> specs = InputShapes.apply(OnnxFiles.inputs(g), inputShapes);
        long parameters = g.constants().values().stream().mapToLong(Tensor::size).sum();
        List<NodeInfo> unimportable = g.nodes().stream().filter(n -> !FloatOps.SUPPORTED.contains(n.opType()) && !GraphPreparer.STRUCTURAL.contains(n.opType()))
                .map(n -> new NodeInfo(n.name(), n.opType(), null)).toList();
        Report r;
        if (!unimportable.isEmpty()) {
            r = new Report(onnx.toString(), g.opset(), specs, g.outputs(), parameters, histogram(g.nodes(), Node::opType), nodes(g, null),
                    unimportable.stream().map(n -> n.name() + " (" + n.op() + "): operator '" + n.op() + "' is not supported").toList(),
                    null, null, List.of(), false, null, Runtime.getRuntime().maxMemory(), null);
        } else {
            NamedInput sample = calibration != null ? TensorFiles.read(calibration, specs, "input_data") : synthetic(specs);
            r = quantised(g, specs, parameters, sample);
        }
        print(console, r);
        console.result(r);
        return ExitCodes.OK;
    }

    private int inspectKey(Console console, ModelDir dir) {
        dev.verinfer.zkml.VerifyingKey vk = dir.verifyingKey();
        dev.verinfer.zkml.WeightOpeningLedger.Count c = dir.openings(vk);
        dev.verinfer.zkml.WeightRotations chain = vk.zeroKnowledge() ? ModelDir.rotations(dir.dir().resolve(ModelDir.VERIFYING_KEY), vk) : null;
        console.line("model id   %s (%s)", vk.modelIdHex(), dir.dir());
        console.line("weights    %s", vk.zeroKnowledge() ? "hidden: a zero-knowledge key (compile's default)"
                : "not hidden: a plain key (compiled with --no-zk), its proofs reveal linear information about the weights and activations");
        console.line("reveals    %s", vk.reveals());
        if (c != null) {
            console.line("epoch      %d (%s; proofs of every epoch verify against the key and %s)", chain.epoch(),
                    chain.epoch() == 0 ? "the registered weight commitment" : chain.epoch() + " rotations of the registered weight commitment, verified",
                    ModelDir.ROTATIONS);
            if (c.epoch() != chain.epoch()) {
                console.line("           the opening count is of epoch %d: %s", c.epoch(), c.epoch() + 1 == chain.epoch()
                        ? "'prove' moves it to the chain's (the last rotation's count was not written)" : "the rotation file is missing or stale");
            }
            console.line("openings   %d of %d weight opening units used, %d left (a proof spends 1 or 2 but never the last %d, a rotation's; counted in %s across processes)",
                    c.units(), c.unitBudget(), c.unitBudget() - c.units(), dev.verinfer.zkml.WeightRotations.UNITS, ModelDir.OPENINGS);
            console.line("off-face   %d of %d off-face claims used, %d left", c.offFace(), c.offFaceBudget(), c.offFaceBudget() - c.offFace());
        }
        console.result(new KeyReport(dir.dir().toString(), vk.modelIdHex(), vk.zeroKnowledge(), vk.reveals(), c == null ? null : c.units(),
                c == null ? null : c.unitBudget(), c == null ? null : c.offFace(), c == null ? null : c.offFaceBudget(), chain == null ? null : chain.epoch()));
        return ExitCodes.OK;
    }

    private Report quantised(Graph g, List<TensorSpec> specs, long parameters, NamedInput sample) {
        CompiledModel m;
        try {
            m = CompiledModel.compile(g, sample.shapes(), List.of(sample.values()), QuantConfig.DEFAULT);
        } catch (UnsupportedModelException e) {
            return new Report(onnx.toString(), g.opset(), specs, g.outputs(), parameters, histogram(g.nodes(), Node::opType), nodes(g, null),
                    List.of(e.getMessage()), null, null, List.of(), false, null, Runtime.getRuntime().maxMemory(), null);
        }
        List<ProverSupport.Unsupported> unprovable = ProverSupport.unsupported(m.quant());
        List<String> reasons = unprovable.stream().map(ProverSupport.Unsupported::reason).collect(Collectors.toList());
        ProverFootprint footprint = null;
        if (reasons.isEmpty()) {
            try {
                footprint = ProverFootprint.of(m.quant());
                Setup.check(m.quant()); // the plan alone: a setup would commit to every weight first
            } catch (UnsupportedGraphException e) {
                reasons.add(e.getMessage());
            }
        }
        List<String> outputs = g.outputs().stream().map(o -> o + "' " + Arrays.toString(m.prepared().shape(o))).toList();
        return new Report(onnx.toString(), g.opset(), specs, outputs, parameters, histogram(g.nodes(), Node::opType), nodes(g, m.prepared().shapes()),
                List.of(), m.quant().nodes().size(), histogram(m.quant().nodes(), n -> n.op().getClass().getSimpleName()), reasons, reasons.isEmpty(),
                footprint == null ? null : footprint.estimatedPeakBytes(), Runtime.getRuntime().maxMemory(), ZeroKnowledge.uncovered(m.quant()));
    }

    /** Uniform in [-1, 1], seeded: enough to fix shapes and exercise quantisation. */
    private static NamedInput synthetic(List<TensorSpec> specs) {
        SplittableRandom rnd = new SplittableRandom(1);
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (TensorSpec s : specs) {
            int[] shape = Arrays.stream(s.shape()).map(d -> d < 0 ? 1 : d).toArray();
            float[] v = new float[Math.toIntExact(TensorSpec.size(shape))];
            for (int i = 0; i < v.length; i++) v[i] = (float) (2 * rnd.nextDouble() - 1);
            values.put(s.name(), v);
            shapes.put(s.name(), shape);
        }
        return new NamedInput("synthetic-uniform", values, shapes);
    }

    private static <T> Map<String, Long> histogram(List<T> items, Function<T, String> key) {
        Map<String, Long> counts = items.stream().collect(Collectors.groupingBy(key, LinkedHashMap::new, Collectors.counting()));
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    private static List<NodeInfo> nodes(Graph g, Map<String, int[]> shapes) {
        return g.nodes().stream().map(n -> new NodeInfo(n.name(), n.opType(), shapes == null ? null : shapes.get(n.output()))).toList();
    }

    private static void print(Console c, Report r) {
        c.line("model      %s: opset %d, %d nodes, %,d parameters", r.model(), r.opset(), r.nodes().size(), r.parameters());
        r.inputs().forEach(s -> c.line("input      '%s' %s", s.name(), s.describe()));
        r.outputs().forEach(o -> c.line("output     '%s", o));
        c.line("ops        %s", text(r.ops()));
        if (!r.unsupported().isEmpty()) {
            c.line("import     NOT SUPPORTED:");
            r.unsupported().forEach(u -> c.line("  %s", u));
        } else {
            c.line("import     all %d nodes supported", r.nodes().size());
            c.line("quantised  %d integer ops: %s", r.quantisedOps(), text(r.quantisedOpTypes()));
            if (r.provable()) {
                c.line("prover     provable: every op has a protocol");
                double need = r.proverPeakHeapBytes() / (double) (1L << 30), have = r.maxHeapBytes() / (double) (1L << 30);
                c.line("memory     proving needs about %.1f GB of Java heap (estimate); this JVM may use %.1f GB%s", need, have,
                        need <= have ? "" : String.format(" -- too little: run with VERINFER_JAVA_OPTS=-Xmx%dg", (long) Math.ceil(need * 1.25)));
            }
            else {
                c.line("prover     NOT PROVABLE YET (%d):", r.unprovable().size());
                r.unprovable().forEach(u -> c.line("  %s", u));
                if (r.proverPeakHeapBytes() != null) {
                    c.line("memory     proving would need about %.1f GB of Java heap (estimate)", r.proverPeakHeapBytes() / (double) (1L << 30));
                }
            }
            if (r.zeroKnowledgeUncovered().isEmpty()) {
                c.line("zk         available, compile's default: proofs reveal %s; the weights stay hidden for --zk-openings N openings (1 or 2 per proof; default chosen at setup: 256 or 512 where the weights top the proof's batched run, else 1024)",
                        ZeroKnowledge.ZK_REVEALS);
            } else {
                c.line("zk         NOT AVAILABLE YET, so compile refuses the model unless --no-zk (%d node(s) or weight bounds proof(s) touch private values without a zero-knowledge protocol):",
                        r.zeroKnowledgeUncovered().size());
                r.zeroKnowledgeUncovered().stream().limit(5).forEach(u -> c.line("  %s", u));
                if (r.zeroKnowledgeUncovered().size() > 5) c.line("  … and %d more", r.zeroKnowledgeUncovered().size() - 5);
            }
            c.line("no-zk      with --no-zk (a plain key): proofs reveal %s", ZeroKnowledge.NON_ZK_REVEALS);
        }
        c.line("nodes      name, op, output shape:");
        r.nodes().forEach(n -> c.line("  %-40s %-20s %s", n.name(), n.op(), n.shape() == null ? "" : Arrays.toString(n.shape())));
    }

    private static String text(Map<String, Long> histogram) {
        return histogram.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining(", "));
    }

    record NodeInfo(String name, String op, int[] shape) {}

    record Report(String model, int opset, List<TensorSpec> inputs, List<String> outputs, long parameters, Map<String, Long> ops,
                  List<NodeInfo> nodes, List<String> unsupported, Integer quantisedOps, Map<String, Long> quantisedOpTypes,
                  List<String> unprovable, boolean provable, Long proverPeakHeapBytes, long maxHeapBytes,
                  List<String> zeroKnowledgeUncovered) {}
}
