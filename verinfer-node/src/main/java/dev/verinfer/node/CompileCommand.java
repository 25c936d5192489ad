package dev.verinfer.node;

import dev.verinfer.model.graph.Graph;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.zkml.ZeroKnowledge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;

@Command(name = "compile", mixinStandardHelpOptions = true, header = "Quantise, calibrate and set up a model: write a model directory.",
        description = "Quantise an ONNX model, calibrate it on sample inputs, commit to its weights and write a model directory: proving.key, verifying.key and settings.json (model id, scales, input/output names and shapes, quantisation, accuracy against ONNX Runtime on the calibration inputs).")
final class CompileCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model.")
    Path onnx;

    @Option(names = {"-c", "--calibration"}, required = true, paramLabel = "FILE",
            description = "Calibration input (EZKL input.json, {\"name\": [...]} or .npy); repeat for more samples.")
    List<Path> calibration;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "The model directory to write.")
    Path out;

    @Option(names = "--pcs-security", defaultValue = "proven", paramLabel = "proven|proven-unique|conjectured|tensor-proven|tensor-conjectured", description = PcsSecurityOption.DESCRIPTION)
    String security;

    @Option(names = "--input-shape", paramLabel = "NAME=D,D,...", description = InputShapes.DESCRIPTION)
    List<String> inputShapes = List.of();

    @Option(names = "--zk", negatable = true, defaultValue = "false",
            description = "Prove this model in zero knowledge (--no-zk, the default: proofs reveal linear information about weights and activations). "
                    + "Fixed in the keys and the model id. Refused, naming the node, while a node touching private values has no zero-knowledge protocol yet.")
    boolean zk;

    @Option(names = "--zk-openings", paramLabel = "N",
            description = "With --zk: the openings the hiding weight commitment is sized for (default 1024, at least 4; each proof spends 1 or 2, "
                    + "the weights' bounds proof 2). Stated in the keys and bound into the model id; a smaller budget makes every proof cheaper. "
                    + "When it is spent (a proof never takes the last 2 units) the prover refuses, naming 'verinfer rotate -m DIR' (the same weights committed again, the same model id); "
                    + "'prove --rotate-when-spent' rotates by itself.")
    Integer zkOpenings;

    @Override int run(Console console) {
        var pcsSecurity = PcsSecurityOption.parse(security);
        if (zkOpenings != null && !zk) {
            throw new CliException(ExitCodes.USAGE, "--zk-openings sizes the hiding weight commitment of a zero-knowledge model: give it with --zk");
        }
        int openings = zkOpenings == null ? ZeroKnowledge.WEIGHT_OPENING_BUDGET : zkOpenings;
        if (zk && !ZeroKnowledge.budgetInRange(openings)) {
            throw new CliException(ExitCodes.USAGE, "--zk-openings: " + ZeroKnowledge.budgetOutsideRange(openings));
        }
        Graph graph = OnnxFiles.read(onnx);
        List<TensorSpec> specs = InputShapes.apply(OnnxFiles.inputs(graph), inputShapes);
        List<NamedInput> samples = calibration.stream().map(f -> TensorFiles.read(f, specs, "input_data")).toList();
        ModelCompiler.Result r;
        try (Progress p = console.progress("compiling " + onnx.getFileName())) {
            r = ModelCompiler.compile(onnx, graph, samples, pcsSecurity, zk, openings, p);
        }
        ModelDir dir = new ModelDir(out);
        dir.write(r.provingKey(), r.settings());
        Settings s = r.settings();
        console.line("compiled %s into %s (quantise %.2f s, setup %.2f s)", onnx.getFileName(), out, r.quantiseMillis() / 1e3, r.setupMillis() / 1e3);
        SettingsText.print(console, s);
        console.line("files      %s (%s), %s (%s), %s", ModelDir.PROVING_KEY, Sizes.of(out.resolve(ModelDir.PROVING_KEY)),
                ModelDir.VERIFYING_KEY, Sizes.of(out.resolve(ModelDir.VERIFYING_KEY)), ModelDir.SETTINGS);
        console.result(new Report(out.toString(), s, r.quantiseMillis(), r.setupMillis()));
        return ExitCodes.OK;
    }

    record Report(String directory, Settings settings, double quantiseMillis, double setupMillis) {}
}
