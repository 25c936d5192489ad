package dev.verinfer.model;

import dev.verinfer.model.onnx.OnnxImporter;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.model.quant.QuantRangeException;
import dev.verinfer.model.quant.TensorFormat;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inputs in a fixed format (another model's output format) and integer inputs taken as they are: how steps of a pipeline hand on integers. */
class FixedInputFormatTest {
    private static final byte[] MODEL = new OnnxBuilder(13).input("x", 1, 4).random("w", 1, 1, 4, 3).node("MatMul", "x,w", "h")
            .node("Relu", "h", "y").output("y").build();
    private static final float[] SAMPLE = OnnxBuilder.uniform(2, 4, -1, 1);

    private static CompiledModel compile(Map<String, TensorFormat> fixed) {
        return CompiledModel.compile(OnnxImporter.parse(MODEL), Map.of("x", new int[] {1, 4}), List.of(Map.of("x", SAMPLE)), QuantConfig.DEFAULT, fixed);
    }

    @Test
    void aFixedInputFormatReplacesTheCalibratedOne() {
        QTensor calibrated = compile(Map.of()).quant().tensor(0);
        TensorFormat fixed = new TensorFormat(calibrated.scale() - 3, 18);
        QuantGraph g = compile(Map.of("x", fixed)).quant();
        QTensor x = g.tensor(g.inputs().getFirst());
        assertEquals(fixed, TensorFormat.of(x));
        assertNotEquals(TensorFormat.of(calibrated), TensorFormat.of(x));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> compile(Map.of("h", fixed)));
        assertTrue(e.getMessage().contains("'h', which is not an input"), e.getMessage());
    }

    @Test
    void integerInputsRunAsTheyAre() {
        QuantGraph g = compile(Map.of()).quant();
        try (IntegerExecutor executor = new IntegerExecutor(1)) {
            Execution fromFloats = executor.run(g, Map.of("x", SAMPLE));
            long[] q = fromFloats.value(g.inputs().getFirst());
            Execution fromIntegers = executor.runQuantised(g, Map.of("x", q));
            assertArrayEquals(fromFloats.value(g.outputs().getFirst()), fromIntegers.value(g.outputs().getFirst()));
            long[] outOfBound = q.clone();
            outOfBound[2] = 1L << g.tensor(g.inputs().getFirst()).bits();
            assertThrows(QuantRangeException.class, () -> executor.runQuantised(g, Map.of("x", outOfBound)));
            assertThrows(InvalidInputException.class, () -> executor.runQuantised(g, Map.of("x", new long[3])));
            assertThrows(InvalidInputException.class, () -> executor.runQuantised(g, Map.of()));
        }
    }
}
