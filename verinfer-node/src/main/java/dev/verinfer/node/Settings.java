package dev.verinfer.node;

import dev.verinfer.model.AccuracyReport;
import dev.verinfer.model.quant.QuantConfig;

import java.util.List;

/**
 * settings.json of a model directory: what was compiled from what, the quantisation, the public
 * tensors with their scales, and the accuracy against ONNX Runtime on the calibration inputs
 * (the worst output of the worst sample). {@code commitmentSecurity} is the
 * {@link dev.verinfer.zkml.PcsSecurity} label the model was set up with; {@code zeroKnowledge} whether its
 * proofs are zero-knowledge ({@link dev.verinfer.zkml.ZeroKnowledge}), {@code proofsReveal} what they reveal.
 */
record Settings(String modelId, String commitmentSecurity, boolean zeroKnowledge, String proofsReveal, String source, String sourceSha256, List<TensorInfo> inputs, List<TensorInfo> outputs,
                QuantConfig quantisation, int quantisedOps, long parameters, List<String> calibrationInputs,
                AccuracyReport accuracyVsOnnxRuntime) {
}
