package dev.verinfer.pipeline;

import dev.verinfer.model.OrtReference;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The edited float graphs compute openWakeWord's glue exactly (checked with ONNX Runtime against RealInputs' float pipeline). */
class OpenWakeWordGraphsTest {
    private static final int WINDOWS = 16;

    @Test
    void melStepOutputsTheScaledWindows() throws Exception {
        NamedInput audio = RealInputs.audio(3);
        float[] mel = RealInputs.melFrames(3); // [196, 32], already x/10 + 2
        int frames = mel.length / OpenWakeWordGraphs.MEL_BINS;
        assertEquals(196, frames);
        byte[] step = OpenWakeWordGraphs.melStep(Files.readAllBytes(RealModels.MELSPECTROGRAM.path()), frames, WINDOWS);
        try (OrtReference ort = new OrtReference(step)) {
            Map<String, float[]> out = ort.run(audio.values(), audio.shapes());
            assertEquals(WINDOWS, out.size());
            for (int k = 0; k < WINDOWS; k++) {
                int from = k * OpenWakeWordGraphs.STEP * OpenWakeWordGraphs.MEL_BINS;
                float[] expected = Arrays.copyOfRange(mel, from, from + OpenWakeWordGraphs.WINDOW * OpenWakeWordGraphs.MEL_BINS);
                assertArrayEquals(expected, out.get(OpenWakeWordGraphs.windowName(k)), "window " + k);
            }
        }
    }

    @Test
    void classifierStepScoresTheConcatenatedEmbeddings() throws Exception {
        NamedInput embeddings = RealInputs.embeddings(3); // [1, 16, 96]
        String input = embeddings.values().keySet().iterator().next();
        float[] all = embeddings.values().get(input);
        byte[] step = OpenWakeWordGraphs.classifierStep(Files.readAllBytes(RealModels.ALEXA.path()), WINDOWS, new int[] {1, 1, 1, 96});
        Map<String, float[]> split = new java.util.HashMap<>();
        Map<String, int[]> shapes = new java.util.HashMap<>();
        for (int k = 0; k < WINDOWS; k++) {
            split.put(OpenWakeWordGraphs.embeddingName(k), Arrays.copyOfRange(all, k * 96, (k + 1) * 96));
            shapes.put(OpenWakeWordGraphs.embeddingName(k), new int[] {1, 1, 1, 96});
        }
        try (OrtReference original = new OrtReference(RealModels.ALEXA.path()); OrtReference edited = new OrtReference(step)) {
            float[] expected = original.run(embeddings.values(), embeddings.shapes()).values().iterator().next();
            assertArrayEquals(expected, edited.run(split, shapes).values().iterator().next());
        }
    }

    @Test
    void tooFewFramesForTheWindowsAreRefused() {
        assertEquals(120, OpenWakeWordGraphs.windowStart(196, 16, 15));
        assertEquals(8, OpenWakeWordGraphs.windowStart(204, 16, 0), "the windows end at the last frame");
        assertThrows(IllegalArgumentException.class, () -> OpenWakeWordGraphs.windowStart(195, 16, 0));
    }
}
