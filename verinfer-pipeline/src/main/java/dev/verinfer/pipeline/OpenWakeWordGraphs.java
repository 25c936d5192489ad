package dev.verinfer.pipeline;

import dev.verinfer.model.UnsupportedModelException;
import dev.verinfer.model.onnx.proto.Onnx;

import java.util.ArrayList;
import java.util.List;

import static dev.verinfer.pipeline.OnnxEdits.floatValue;
import static dev.verinfer.pipeline.OnnxEdits.longs;
import static dev.verinfer.pipeline.OnnxEdits.node;

/**
 * The float graphs of the openWakeWord steps, built by editing the real models before
 * quantisation, so that the glue between the models is part of a proven graph:
 * <ul>
 * <li>mel step: melspectrogram, then openWakeWord's {@code x/10 + 2}, then one output per
 *     embedding window: frames [start, start + 76) reshaped to [1, 76, 32, 1];</li>
 * <li>classifier step: one input per embedding, concatenated (in window order) and reshaped to the
 *     classifier's input.</li>
 * </ul>
 * The embedding step is the real embedding model as it is.
 */
final class OpenWakeWordGraphs {
    static final int WINDOW = 76, STEP = 8, MEL_BINS = 32;
    static final String PREFIX = "oww/";

    private OpenWakeWordGraphs() {}

    static String windowName(int k) {
        return String.format("window_%02d", k);
    }

    static String embeddingName(int k) {
        return String.format("embedding_%02d", k);
    }

    /** The first frame of window k when {@code windows} windows end at the last of {@code frames} frames. */
    static int windowStart(int frames, int windows, int k) {
        int first = frames - WINDOW - (windows - 1) * STEP;
        if (first < 0) {
            throw new IllegalArgumentException(frames + " mel frames are too few for " + windows + " windows of " + WINDOW + " frames every " + STEP);
        }
        return first + k * STEP;
    }

    /** The melspectrogram model (output [1, 1, frames, 32]) extended by the glue to {@code windows} window outputs. */
    static byte[] melStep(byte[] melspectrogram, int frames, int windows) {
        Onnx.ModelProto m = OnnxEdits.parse(melspectrogram);
        Onnx.GraphProto.Builder g = m.getGraph().toBuilder();
        if (g.getOutputCount() != 1) {
            throw new UnsupportedModelException("the melspectrogram model must have one output, not " + g.getOutputCount());
        }
        String mel = g.getOutput(0).getName();
        g.clearOutput();
        g.addInitializer(OnnxEdits.scalar(PREFIX + "ten", 10f)).addInitializer(OnnxEdits.scalar(PREFIX + "two", 2f))
                .addInitializer(longs(PREFIX + "frame_axis", 2)).addInitializer(longs(PREFIX + "window_shape", 1, WINDOW, MEL_BINS, 1));
        g.addNode(node("Div", PREFIX + "div", List.of(mel, PREFIX + "ten"), PREFIX + "mel_div"));
        g.addNode(node("Add", PREFIX + "add", List.of(PREFIX + "mel_div", PREFIX + "two"), PREFIX + "mel"));
        for (int k = 0; k < windows; k++) {
            int start = windowStart(frames, windows, k);
            String s = PREFIX + "start_" + k, e = PREFIX + "end_" + k, slice = PREFIX + "slice_" + k;
            g.addInitializer(longs(s, start)).addInitializer(longs(e, start + WINDOW));
            g.addNode(node("Slice", slice, List.of(PREFIX + "mel", s, e, PREFIX + "frame_axis"), slice));
            g.addNode(node("Reshape", PREFIX + "reshape_" + k, List.of(slice, PREFIX + "window_shape"), windowName(k)));
            g.addOutput(floatValue(windowName(k), new int[] {1, WINDOW, MEL_BINS, 1}));
        }
        return m.toBuilder().setGraph(g).build().toByteArray();
    }

    /**
     * The classifier (input [1, windows, dim]) fed by {@code windows} inputs of {@code embeddingShape}
     * (leading dimension 1), concatenated along the first axis and reshaped to its input.
     */
    static byte[] classifierStep(byte[] classifier, int windows, int[] embeddingShape) {
        Onnx.ModelProto m = OnnxEdits.parse(classifier);
        Onnx.GraphProto.Builder g = m.getGraph().toBuilder();
        List<Onnx.ValueInfoProto> inputs = OnnxEdits.realInputs(g.build());
        if (inputs.size() != 1) {
            throw new UnsupportedModelException("the classifier must have one input, not " + inputs.size());
        }
        String in = inputs.getFirst().getName();
        List<Long> dims = inputs.getFirst().getType().getTensorType().getShape().getDimList().stream()
                .map(Onnx.TensorShapeProto.Dimension::getDimValue).toList();
        if (dims.size() != 3 || dims.get(1) != windows || embeddingShape[0] != 1 || dims.get(2) != size(embeddingShape)) {
            throw new UnsupportedModelException("the classifier input '" + in + "' " + dims + " does not take " + windows
                    + " embeddings of " + java.util.Arrays.toString(embeddingShape));
        }
        List<Onnx.ValueInfoProto> others = g.getInputList().stream().filter(v -> !v.getName().equals(in)).toList();
        g.clearInput();
        List<String> embeddings = new ArrayList<>();
        for (int k = 0; k < windows; k++) {
            embeddings.add(embeddingName(k));
            g.addInput(floatValue(embeddingName(k), embeddingShape));
        }
        g.addAllInput(others);
        g.addInitializer(longs(PREFIX + "input_shape", 1, windows, size(embeddingShape)));
        List<Onnx.NodeProto> nodes = new ArrayList<>(g.getNodeList());
        nodes.add(0, node("Concat", PREFIX + "concat", embeddings, PREFIX + "embeddings", OnnxEdits.intAttribute("axis", 0)));
        nodes.add(1, node("Reshape", PREFIX + "reshape", List.of(PREFIX + "embeddings", PREFIX + "input_shape"), in));
        g.clearNode().addAllNode(nodes);
        return m.toBuilder().setGraph(g).build().toByteArray();
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
