package dev.verinfer.model;

import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The integer executor gives bit-identical values for every tensor whatever its thread count,
 * and (reported, not asserted: the machine is shared) how its warm time compares with ONNX Runtime.
 */
class ExecutorDeterminismTest {

    static void compare(RealModels model, NamedInput input) {
        CompiledModel m = CompiledModel.compile(model.path(), input.shapes(), List.of(input.values()), QuantConfig.DEFAULT);
        Execution one, many;
        double intAll, intOne;
        try (IntegerExecutor single = new IntegerExecutor(1); IntegerExecutor all = new IntegerExecutor()) {
            one = single.run(m.quant(), input.values());
            many = all.run(m.quant(), input.values());
            intAll = medianMillis(() -> all.run(m.quant(), input.values()));
            intOne = medianMillis(() -> single.run(m.quant(), input.values()));
        }
        for (int i = 0; i < one.values().length; i++) {
            String name = m.quant().tensor(i).name();
            assertArrayEquals(one.value(i), many.value(i), () -> model.modelName + " tensor " + name);
        }
        double ortAll, ortOne;
        try (OrtReference ort = new OrtReference(model.path()); OrtReference ort1 = new OrtReference(model.path(), 1)) {
            ortAll = medianMillis(() -> ort.run(input.values(), input.shapes()));
            ortOne = medianMillis(() -> ort1.run(input.values(), input.shapes()));
        }
        System.out.printf("timing %s on %s: integer executor %.2f ms (%d threads) / %.2f ms (1 thread); ONNX Runtime %.2f ms (default) / %.2f ms (1 thread)%n",
                model.modelName, input.name(), intAll, Runtime.getRuntime().availableProcessors(), intOne, ortAll, ortOne);
    }

    static double medianMillis(Runnable r) {
        for (int i = 0; i < 10; i++) r.run();
        double[] t = new double[15];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }

    @Test void wakeWordClassifiers() {
        compare(RealModels.ALEXA, RealInputs.embeddings(1));
        compare(RealModels.HEY_MYCROFT, RealInputs.embeddings(1));
    }

    @Test void embeddingModel() { compare(RealModels.EMBEDDING, RealInputs.melWindow(1)); }

    @Test void melspectrogram() { compare(RealModels.MELSPECTROGRAM, RealInputs.audio(1)); }

    @Test void ocrClassifier() { compare(RealModels.OCR_CLS, RealInputs.textLine("verinfer proves 42", false)); }
}
