package dev.verinfer.model;

import dev.verinfer.model.inputs.CtcDecoder;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * PaddleOCR v4 text recognition (an SVTR transformer) calibrated on one rendered line, then run by the
 * integer executor on five others: the CTC-decoded text equals ONNX Runtime's on each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OcrRecognitionAccuracyTest {
    private CompiledModel model;
    private final CtcDecoder ctc = CtcDecoder.ppocrV4();

    @BeforeAll void compile() {
        NamedInput calibration = RealInputs.recognitionLine("calibrate: ONNX Runtime float");
        model = CompiledModel.compile(RealModels.OCR_REC.path(), calibration.shapes(), List.of(calibration.values()), QuantConfig.DEFAULT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Hello, world 2026", "verinfer proves 42", "The quick brown fox", "PaddleOCR v4 text", "Invoice No. 8317"})
    void decodesAsOnnxRuntime(String text) {
        NamedInput line = RealInputs.recognitionLine(text);
        float[] reference, scores;
        try (OrtReference ort = new OrtReference(RealModels.OCR_REC.path())) {
            reference = ort.run(line.values(), line.shapes()).values().iterator().next();
        }
        try (IntegerExecutor executor = new IntegerExecutor()) {
            scores = executor.run(model.quant(), line.values()).outputs().values().iterator().next();
        }
        String expected = ctc.decode(reference);
        AccuracyReport r = AccuracyReport.compare(reference, scores, false);
        System.out.printf("%s: ONNX Runtime '%s', integer '%s', %s%n", line.name(), expected, ctc.decode(scores), r);
        assertFalse(expected.isBlank(), "ONNX Runtime reads the rendered line");
        assertEquals(expected, ctc.decode(scores), r.toString());
    }

    @Test void ctcMergesRepeatsAndDropsBlanks() {
        CtcDecoder small = new CtcDecoder(List.of("a", "b"));
        // classes: 0 blank, 1 'a', 2 'b', 3 space; steps: a a blank a b space b
        int[] best = {1, 1, 0, 1, 2, 3, 2};
        float[] scores = new float[best.length * small.classes()];
        for (int t = 0; t < best.length; t++) scores[t * small.classes() + best[t]] = 1;
        assertEquals("aab b", small.decode(scores));
        assertEquals(6625, ctc.classes());
    }
}
