package dev.verinfer.node;

import dev.verinfer.model.AccuracyReport;

/** The text form of a model's settings, shared by compile and the demo. */
final class SettingsText {
    private SettingsText() {}

    static void print(Console console, Settings s) {
        console.line("model id   %s (commitment security: %s)", s.modelId(), s.commitmentSecurity() == null ? "proven" : s.commitmentSecurity());
        console.line("reveals    %s", s.proofsReveal());
        for (TensorInfo t : s.inputs()) console.line("input      %s, |q| < 2^%d", t.describe(), t.bits());
        for (TensorInfo t : s.outputs()) console.line("output     %s, |q| < 2^%d", t.describe(), t.bits());
        console.line("quantised  %d integer ops, %,d weights (%d-bit weights, %d-bit activations)", s.quantisedOps(), s.parameters(),
                s.quantisation().weightBits(), s.quantisation().activationBits());
        AccuracyReport a = s.accuracyVsOnnxRuntime();
        console.line("accuracy   max |verinfer - ONNX Runtime| = %.3g (output range ±%.3g) on %d calibration input(s)", a.maxAbsError(),
                a.referenceMaxAbs(), s.calibrationInputs().size());
    }
}
