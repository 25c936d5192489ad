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
        description = "Quantise an ONNX model, calibrate it on sample inputs, commit to its weights (hiding, for zero-knowledge proofs, unless --no-zk) and write a model directory: proving.key, verifying.key and settings.json (model id, scales, input/output names and shapes, quantisation, accuracy against ONNX Runtime on the calibration inputs).")
final class CompileCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model.")
    Path onnx;

    @Option(names = {"-c", "--calibration"}, required = true, paramLabel = "FILE",
            description = "Calibration input (EZKL input.json, {\"name\": [...]} or .npy); repeat for more samples.")
    List<Path> calibration;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "The model directory to write.")
    Path out;

    @Option(names = "--pcs-security", defaultValue = "proven", paramLabel = "proven|proven-evm|proven-unique|conjectured|conjectured-evm|tensor-proven|tensor-conjectured", description = PcsSecurityOption.DESCRIPTION)
    String security;

    @Option(names = "--input-shape", paramLabel = "NAME=D,D,...", description = InputShapes.DESCRIPTION)
    List<String> inputShapes = List.of();

    // Named by its negative form: picocli sets a negatable option that is true by default to false by its negated name (--no-zk), true by the other (--zk).
    @Option(names = "--no-zk", negatable = true, defaultValue = "true",
            description = {"Zero-knowledge proofs, the default: a proof reveals the statement only, the weights and activations stay hidden for the weight "
                    + "commitment's opening budget (--zk-openings). Fixed in the keys and the model id.",
                    "--no-zk: a plain key, for public weights: proofs reveal linear information about weights and activations (enough proofs give the "
                    + "weights away), but they are 1.6-2.3x smaller and 2.7-8x faster to make, and setup takes seconds instead of 10-76 s (the five real models). Needed by the "
                    + "on-chain verifier ('market chain register-key'), by OPTIMISTIC and SAMPLED market requests (a watcher re-runs the model), by the "
                    + "tensor-code commitments (--pcs-security tensor-*) and by a model with a node zero knowledge does not cover yet (refused, naming it and --no-zk)."})
    boolean zk;

    @Option(names = "--zk-openings", paramLabel = "N",
            description = "Zero knowledge only: the openings the hiding weight commitment is sized for (default: 256 or 512 where the weights top the proof's batched run and it still holds the witness, else 1024 — chosen at setup; at least 4; each proof spends 1 or 2, "
                    + "the weights' bounds proof 2). Stated in the keys and bound into the model id; a smaller budget makes every proof cheaper. "
                    + "When it is spent (a proof never takes the last 2 units) the prover refuses, naming 'verinfer rotate -m DIR' (the same weights committed again, the same model id); "
                    + "'prove --rotate-when-spent' rotates by itself.")
    Integer zkOpenings;

    @Override int run(Console console) {
        var pcsSecurity = PcsSecurityOption.parse(security);
        if (zkOpenings != null && !zk) {
            throw new CliException(ExitCodes.USAGE, "--zk-openings sizes the hiding weight commitment of a zero-knowledge model: a --no-zk key has none");
        }
        int openings = zkOpenings == null ? ZeroKnowledge.WEIGHT_OPENING_BUDGET : zkOpenings;
        if (zk && zkOpenings != null && !ZeroKnowledge.budgetInRange(openings)) {
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
