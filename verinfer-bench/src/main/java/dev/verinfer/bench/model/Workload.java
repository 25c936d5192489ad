package dev.verinfer.bench.model;

import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A real model of MODELS.md with the deterministic realistic inputs the benchmark and the demo use:
 * one to calibrate on and a different one to run, prove and measure on.
 */
public record Workload(RealModels model, NamedInput calibration, NamedInput input, boolean classifier) {

    /** The workload of a real model (fetches the front-end models the inputs are computed with). */
    public static Workload of(RealModels model) {
        return switch (model) {
            case ALEXA, HEY_MYCROFT -> new Workload(model, RealInputs.embeddings(1), RealInputs.embeddings(2), false);
            case EMBEDDING -> new Workload(model, RealInputs.melWindow(1), RealInputs.melWindow(2), false);
            case MELSPECTROGRAM -> new Workload(model, RealInputs.audio(1), RealInputs.audio(2), false);
            case OCR_CLS -> new Workload(model, RealInputs.textLine("verinfer proves 42", false),
                    RealInputs.textLine("Hello, world 2026", false), true);
            case OCR_REC -> new Workload(model, RealInputs.recognitionLine("calibrate: ONNX Runtime float"),
                    RealInputs.recognitionLine("Hello, world 2026"), false);
        };
    }

    /** The real model called {@code name} (e.g. alexa_v0.1). */
    public static RealModels named(String name) {
        for (RealModels m : RealModels.values()) {
            if (m.modelName.equals(name)) return m;
        }
        throw new IllegalArgumentException("unknown model '" + name + "': the real models are " + names());
    }

    public static String names() {
        return Arrays.stream(RealModels.values()).map(m -> m.modelName).collect(Collectors.joining(", "));
    }
}
