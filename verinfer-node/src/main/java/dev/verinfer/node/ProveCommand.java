package dev.verinfer.node;

import dev.verinfer.field.Parallelism;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Visibility;
import dev.verinfer.zkml.WeightBudgetSpentException;
import dev.verinfer.zkml.WeightRotations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

@Command(name = "prove", mixinStandardHelpOptions = true, header = "Prove output = model(input); write the proof file.",
        description = "Run the quantised model on an input and prove that output = model(input) for the committed weights. The proof file carries its public statement: the model id, the quantised input, and the output or (with --output-visibility committed) a commitment to it.")
final class ProveCommand extends BaseCommand {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model directory written by 'verinfer compile'.")
    Path model;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE", description = "Input: EZKL input.json, {\"name\": [...]} or .npy.")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The proof file to write.")
    Path out;

    @Option(names = "--reset-openings", description = "A zero-knowledge model whose opening count (proving.key.openings) is missing or corrupt: "
            + "start the count again as at compile. Only if no proof was made with this key but those the count had: openings not counted "
            + "can exceed the budget that keeps the weights hidden unseen.")
    boolean resetOpenings;

    @Option(names = "--rotate-when-spent", description = "A zero-knowledge model whose weight opening count is spent: rotate the weight commitment"
            + " (as 'verinfer rotate', same model id, the last units of the count are kept for it) and prove under the new one.")
    boolean rotateWhenSpent;

    @Option(names = "--output-visibility", defaultValue = "public", paramLabel = "public|committed",
            description = "public (default): the statement holds the output values. committed: it holds only a commitment to the output (binding, not hiding), which a later proof can take as its input.")
    String outputVisibility;

    @Override int run(Console console) {
        Visibility visibility = switch (outputVisibility.toLowerCase(java.util.Locale.ROOT)) {
            case "public" -> Visibility.PUBLIC;
            case "committed" -> Visibility.COMMITTED;
            default -> throw new CliException(ExitCodes.USAGE, "--output-visibility must be public or committed, not '" + outputVisibility + "'");
        };
        ProvingKey pk;
        Proof proof;
        double proveMillis;
        List<TensorValues> outputs;
        try (Progress p = console.progress("loading the proving key")) {
            if (resetOpenings) {
                console.warn("--reset-openings: the weight opening count of %s starts again; openings made before and not counted are not seen", model);
            }
            ModelDir dir = ModelDir.open(model);
            pk = dir.provingKey(resetOpenings);
            QuantGraph graph = pk.graph();
            NamedInput in = TensorFiles.read(input, TensorInfo.specs(TensorInfo.inputs(graph)), "input_data");
            p.step("running the quantised model");
            Execution ex;
            try (IntegerExecutor executor = new IntegerExecutor(Parallelism.threads())) {
                ex = executor.run(graph, in.values());
            }
            p.step("proving");
            long t0 = System.nanoTime();
            try {
                proof = Prover.prove(pk, ex, Visibility.PUBLIC, visibility);
            } catch (WeightBudgetSpentException spent) {
                if (!rotateWhenSpent) {
                    throw spent;
                }
                p.step("rotating the spent weight commitment");
                WeightRotations.Rotated r = dir.rotate(pk);
                RotateCommand.report(console, r, dir.openings(r.key().verifyingKey()));
                pk = r.key();
                p.step("proving");
                t0 = System.nanoTime();
                proof = Prover.prove(pk, ex, Visibility.PUBLIC, visibility);
            }
            proveMillis = (System.nanoTime() - t0) / 1e6;
            outputs = TensorValues.of(TensorInfo.outputs(graph), graph.outputs().stream().map(ex::value).toList());
        }
        FileIO.write(out, proof.bytes(), "proof");
        console.line("proved %s on %s in %.2f s", model, input, proveMillis / 1e3);
        console.line("model id   %s", pk.verifyingKey().modelIdHex());
        outputs.forEach(o -> console.line("output     %s", o.describe()));
        for (int i = 0; i < proof.statement().outputs().size(); i++) {
            if (proof.statement().outputCommitted(i)) {
                console.line("committed  output %d as %s (the proof states only this commitment)", i, java.util.HexFormat.of().formatHex(proof.statement().outputRoots().get(i)));
            }
        }
        console.line("proof      %s (%s; statement: model id, public input, %s output)", out, Sizes.bytes(proof.size()),
                visibility == Visibility.COMMITTED ? "committed" : "public");
        console.result(new Report(pk.verifyingKey().modelIdHex(), out.toString(), proof.size(), proveMillis, outputs));
        return ExitCodes.OK;
    }

    record Report(String modelId, String proof, int proofBytes, double proveMillis, List<TensorValues> outputs) {}
}
