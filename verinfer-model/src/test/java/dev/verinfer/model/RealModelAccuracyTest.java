package dev.verinfer.model;

import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real models, imported, calibrated on one realistic input, quantised, and run by the integer
 * executor on a different realistic input, compared with ONNX Runtime on that input.
 */
class RealModelAccuracyTest {

    static AccuracyReport check(RealModels model, NamedInput calibrate, NamedInput input, boolean classifier) {
        return check(model, List.of(calibrate), input, classifier);
    }

    static AccuracyReport check(RealModels model, List<NamedInput> calibrate, NamedInput input, boolean classifier) {
        CompiledModel m = CompiledModel.compile(model.path(), input.shapes(), calibrate.stream().map(NamedInput::values).toList(), QuantConfig.DEFAULT);
        long t0 = System.nanoTime();
        Execution e;
        try (IntegerExecutor ex = new IntegerExecutor()) {
            e = ex.run(m.quant(), input.values());
        }
        long t1 = System.nanoTime();
        float[] ref;
        try (OrtReference ort = new OrtReference(model.path())) {
            ref = ort.run(input.values(), input.shapes()).values().iterator().next();
        }
        long t2 = System.nanoTime();
        AccuracyReport r = AccuracyReport.compare(ref, e.outputs().values().iterator().next(), classifier);
        System.out.printf("%s on %s: %s, %d quantised ops, integer %.1f ms, ORT (incl. load) %.1f ms%n", model.modelName, input.name(), r,
                m.quant().nodes().size(), (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        return r;
    }

    @Test void alexa() {
        AccuracyReport r = check(RealModels.ALEXA, RealInputs.embeddings(1), RealInputs.embeddings(2), false);
        assertTrue(r.maxAbsError() <= 1e-2, r.toString());
    }

    @Test void alexaAtScoreHalf() {
        AccuracyReport r = check(RealModels.ALEXA, List.of(RealInputs.embeddings(1), RealInputs.embeddingsScoringHalf(RealModels.ALEXA, 4)),
                RealInputs.embeddingsScoringHalf(RealModels.ALEXA, 3), false);
        assertTrue(r.referenceMaxAbs() > 0.3, "input reaches the sigmoid's middle: " + r);
        assertTrue(r.maxAbsError() <= 1e-2, r.toString());
    }

    @Test void heyMycroftAtScoreHalf() {
        AccuracyReport r = check(RealModels.HEY_MYCROFT, List.of(RealInputs.embeddings(1), RealInputs.embeddingsScoringHalf(RealModels.HEY_MYCROFT, 4)),
                RealInputs.embeddingsScoringHalf(RealModels.HEY_MYCROFT, 3), false);
        assertTrue(r.referenceMaxAbs() > 0.3, "input reaches the sigmoid's middle: " + r);
        assertTrue(r.maxAbsError() <= 1e-2, r.toString());
    }

    @Test void heyMycroft() {
        AccuracyReport r = check(RealModels.HEY_MYCROFT, RealInputs.embeddings(1), RealInputs.embeddings(2), false);
        assertTrue(r.maxAbsError() <= 1e-2, r.toString());
    }

    @Test void ocrClassifier() {
        AccuracyReport r = check(RealModels.OCR_CLS, RealInputs.textLine("verinfer proves 42", false), RealInputs.textLine("Hello, world 2026", false), true);
        assertTrue(r.maxAbsError() <= 1e-2, r.toString());
        assertEquals(Boolean.TRUE, r.top1Agrees(), r.toString());
    }

    @Test void ocrClassifierUpsideDown() {
        AccuracyReport r = check(RealModels.OCR_CLS, RealInputs.textLine("verinfer proves 42", false), RealInputs.textLine("Hello, world 2026", true), true);
        assertTrue(r.maxAbsError() <= 1e-2, r.toString());
        assertEquals(Boolean.TRUE, r.top1Agrees(), r.toString());
    }

    @Test void embeddingModel() {
        AccuracyReport r = check(RealModels.EMBEDDING, RealInputs.melWindow(1), RealInputs.melWindow(2), false);
        // embeddings are unbounded features (|x| up to ~refMax): error relative to the output's range
        assertTrue(r.maxAbsError() <= 2e-2 * r.referenceMaxAbs(), r.toString());
    }

    @Test void melspectrogram() {
        AccuracyReport r = check(RealModels.MELSPECTROGRAM, RealInputs.audio(1), RealInputs.audio(2), false);
        // The output is 10·log10(mel power) in dB, clipped 80 dB below its maximum: its absolute error is a
        // ratio error of the power (0.5 dB ≈ 12%) anywhere in that 80 dB range, so an absolute tolerance in dB
        // is the meaningful one. openWakeWord feeds mel/10 + 2 on, so 0.5 dB is 0.05 at the embedding input.
        assertTrue(r.maxAbsError() <= 0.5, r.toString());
    }
}
