package dev.verinfer.model;

import dev.verinfer.model.onnx.OnnxImporter;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.model.quant.QuantRangeException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way a model or an input can be wrong ends in a specific exception with a clear message. */
class NegativeTest {

    static CompiledModel small(double calibLo, double calibHi) {
        byte[] bytes = new OnnxBuilder(13).input("x", 1, 4).random("w", 1, 1, 4, 3).node("MatMul", "x,w", "h").node("Sigmoid", "h", "y").output("y").build();
        return CompiledModel.compile(OnnxImporter.parse(bytes), Map.of("x", new int[] {1, 4}),
                List.of(Map.of("x", OnnxBuilder.uniform(1, 4, calibLo, calibHi))), QuantConfig.DEFAULT);
    }

    @Test void malformedFile() {
        byte[] junk = "this is not an ONNX model at all".getBytes();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxImporter.parse(junk));
        assertTrue(e.getMessage().contains("not a valid ONNX model"), e.getMessage());
    }

    @Test void truncatedFile() throws IOException {
        byte[] full = Files.readAllBytes(RealModels.ALEXA.path());
        for (int cut : new int[] {full.length / 2, full.length - 7, 100}) {
            byte[] part = Arrays.copyOf(full, cut);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxImporter.parse(part), "cut at " + cut);
            assertTrue(e.getMessage().contains("ONNX") || e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test void unknownOperator() {
        byte[] bytes = new OnnxBuilder(13).input("x", 1, 4).node("FancyActivation", "x", "y").output("y").build();
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> CompiledModel.compile(OnnxImporter.parse(bytes), Map.of(), List.of(Map.of("x", new float[4])), QuantConfig.DEFAULT));
        assertTrue(e.getMessage().contains("FancyActivation_0") && e.getMessage().contains("FancyActivation") && e.getMessage().contains("not supported"), e.getMessage());
    }

    @Test void unsupportedAttribute() {
        byte[] bytes = new OnnxBuilder(13).input("x", 1, 1, 4, 4).node("MaxPool", "x", "y", "kernel_shape", new int[] {2, 2}, "storage_order", 1).output("y").build();
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> CompiledModel.compile(OnnxImporter.parse(bytes), Map.of(), List.of(Map.of("x", new float[16])), QuantConfig.DEFAULT));
        assertTrue(e.getMessage().contains("MaxPool_0") && e.getMessage().contains("storage_order"), e.getMessage());
        byte[] resize = new OnnxBuilder(13).input("x", 1, 1, 2, 2).weight("s", new int[] {4}, new float[] {1, 1, 2, 2})
                .node("Resize", "x,,s", "y", "mode", "linear").output("y").build();
        UnsupportedModelException r = assertThrows(UnsupportedModelException.class,
                () -> CompiledModel.compile(OnnxImporter.parse(resize), Map.of(), List.of(Map.of("x", new float[4])), QuantConfig.DEFAULT));
        assertTrue(r.getMessage().contains("Resize_0") && r.getMessage().contains("linear"), r.getMessage());
        byte[] unknown = new OnnxBuilder(13).input("x", 1, 4).node("Relu", "x", "y", "frobnicate", 3).output("y").build();
        UnsupportedModelException u = assertThrows(UnsupportedModelException.class,
                () -> CompiledModel.compile(OnnxImporter.parse(unknown), Map.of(), List.of(Map.of("x", new float[4])), QuantConfig.DEFAULT));
        assertTrue(u.getMessage().contains("Relu_0") && u.getMessage().contains("frobnicate"), u.getMessage());
    }

    @Test void inputOfWrongShape() {
        byte[] bytes = new OnnxBuilder(13).input("x", 1, 4).node("Relu", "x", "y").output("y").build();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> CompiledModel.compile(OnnxImporter.parse(bytes), Map.of("x", new int[] {1, 5}), List.of(Map.of("x", new float[5])), QuantConfig.DEFAULT));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("[1, 5]"), e.getMessage());
        CompiledModel m = small(-1, 1);
        InvalidInputException run = assertThrows(InvalidInputException.class, () -> IntegerExecutor.execute(m.quant(), Map.of("x", new float[3])));
        assertTrue(run.getMessage().contains("'x'") && run.getMessage().contains("[1, 4]"), run.getMessage());
        assertThrows(InvalidInputException.class, () -> IntegerExecutor.execute(m.quant(), Map.of()));
    }

    @Test void nanAndInfiniteInputs() {
        CompiledModel m = small(-1, 1);
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> IntegerExecutor.execute(m.quant(), Map.of("x", new float[] {0, bad, 0, 0})));
            assertTrue(e.getMessage().contains("index 1"), e.getMessage());
        }
    }

    @Test void outOfRangeAtRunTime() {
        CompiledModel m = small(-0.1, 0.1);
        QuantRangeException e = assertThrows(QuantRangeException.class, () -> IntegerExecutor.execute(m.quant(), Map.of("x", new float[] {50, -50, 50, 50})));
        assertEquals("input", e.node());
        assertEquals("x", e.tensor());
        assertTrue(e.getMessage().contains("2^16"), e.getMessage());
        // in range at the input, out of range after the MatMul: the Rescale output breaks its calibrated bound
        CompiledModel tight = CompiledModel.compile(OnnxImporter.parse(new OnnxBuilder(13).input("x", 1, 4).weight("w", new int[] {4, 1}, new float[] {1, 1, 1, 1})
                .node("MatMul", "x,w", "h").node("Relu", "h", "y").output("y").build()), Map.of(), List.of(Map.of("x", new float[] {0.5f, 0, 0, 0})), QuantConfig.DEFAULT);
        QuantRangeException r = assertThrows(QuantRangeException.class, () -> IntegerExecutor.execute(tight.quant(), Map.of("x", new float[] {0.9f, 0.9f, 0.9f, 0.9f})));
        assertEquals("MatMul_0", r.node());
        assertTrue(r.getMessage().contains("declared bound"), r.getMessage());
    }
}
