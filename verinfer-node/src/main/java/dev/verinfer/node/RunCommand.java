package dev.verinfer.node;

import dev.verinfer.field.Parallelism;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

@Command(name = "run", mixinStandardHelpOptions = true, header = "Run the quantised model; print the outputs dequantised and raw.",
        description = "Run the quantised model (the exact integer computation a proof is about) on an input; print the outputs dequantised and raw.")
final class RunCommand extends BaseCommand {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model directory written by 'verinfer compile'.")
    Path model;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE", description = "Input: EZKL input.json, {\"name\": [...]} or .npy.")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Also write the outputs as JSON ({\"output_data\": [[...]], \"outputs\": [...]}).")
    Path out;

    @Override int run(Console console) {
        QuantGraph graph;
        try (Progress p = console.progress("loading the model")) {
            graph = ModelDir.open(model).provingKey().graph();
        }
        NamedInput in = TensorFiles.read(input, TensorInfo.specs(TensorInfo.inputs(graph)), "input_data");
        long t0 = System.nanoTime();
        Execution ex;
        try (IntegerExecutor executor = new IntegerExecutor(Parallelism.threads())) {
            ex = executor.run(graph, in.values());
        }
        double millis = (System.nanoTime() - t0) / 1e6;
        List<TensorValues> outputs = TensorValues.of(TensorInfo.outputs(graph), graph.outputs().stream().map(ex::value).toList());
        console.line("ran %s on %s in %.1f ms", model, input, millis);
        outputs.forEach(o -> console.line("output     %s", o.describe()));
        Outputs written = new Outputs(outputs.stream().map(TensorValues::values).toList(), outputs);
        if (out != null) {
            FileIO.write(out, Json.bytes(written), "output file");
            console.line("wrote      %s", out);
        }
        console.result(Map.of("outputs", outputs, "output_data", written.output_data(), "millis", millis));
        return ExitCodes.OK;
    }

    /** The output file: EZKL's output_data (dequantised) and each output with its raw integers. */
    record Outputs(List<float[]> output_data, List<TensorValues> outputs) {}
}
