package dev.verinfer.model;

import dev.verinfer.model.onnx.OnnxImporter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelInspectorTest {
    @Test void realClassifierIsFullySupported() {
        ModelInspector.ModelInfo info = ModelInspector.inspect(RealModels.ALEXA.path(), Map.of());
        assertTrue(info.fullySupported(), info.describe());
        assertEquals(3, info.opCounts().get("Gemm"));
        assertEquals(1536 * 128 + 128 + 128 * 128 + 128 + 128 + 1, info.parameters()); // 213k, as MODELS.md says
        assertArrayEquals(new int[] {1, 1}, info.nodes().getLast().outputShapes().getFirst());
    }

    @Test void ocrShapesNeedTheInputShape() {
        ModelInspector.ModelInfo unknown = ModelInspector.inspect(RealModels.OCR_CLS.path(), Map.of());
        assertTrue(unknown.fullySupported());
        assertTrue(unknown.nodes().getFirst().outputShapes() == null);
        ModelInspector.ModelInfo known = ModelInspector.inspect(RealModels.OCR_CLS.path(), Map.of("x", new int[] {1, 3, 48, 192}));
        assertArrayEquals(new int[] {1, 2}, known.nodes().getLast().outputShapes().getFirst());
    }

    @Test void unsupportedNodesAreNamed() {
        byte[] bytes = new OnnxBuilder(13).input("x", 1, 4).node("Relu", "x", "r").node("Mystery", "r", "m").node("Resize", "m", "y", "mode", "cubic").output("y").build();
        ModelInspector.ModelInfo info = ModelInspector.inspect(OnnxImporter.parse(bytes), Map.of());
        assertFalse(info.fullySupported());
        assertEquals(1, info.unsupported().size());
        assertEquals("Mystery_1", info.unsupported().getFirst().name());
        assertTrue(info.describe().contains("operator 'Mystery' is not supported"), info.describe());
    }
}
