package dev.verinfer.zkml;

import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.OrtReference;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.CtcDecoder;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PaddleOCR v4 text recognition (an SVTR transformer, 2.7 M weights) proven and verified on a rendered
 * text line, and a tampered proof rejected. Proving needs up to 12 GB of heap and several minutes, so
 * it runs only with {@code -Dverinfer.ocr.rec=true -Dverinfer.test.heap=12g}.
 */
@EnabledIfSystemProperty(named = "verinfer.ocr.rec", matches = "true")
class OcrRecognitionProofTest {

    @Test void provesVerifiesAndRejectsATamperedProof() {
        NamedInput calibration = RealInputs.recognitionLine("calibrate: ONNX Runtime float");
        NamedInput input = RealInputs.recognitionLine("Hello, world 2026");
        CompiledModel m = CompiledModel.compile(RealModels.OCR_REC.path(), input.shapes(), List.of(calibration.values()), QuantConfig.DEFAULT);
        ProvingKey pk = Setup.setup(m.quant());
        ProverFootprint fp = ProverFootprint.of(pk);
        Execution ex;
        try (IntegerExecutor executor = new IntegerExecutor()) {
            ex = executor.run(m.quant(), input.values());
        }
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long t0 = System.nanoTime();
        Proof proof = Prover.prove(pk, ex);
        long t1 = System.nanoTime();
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        VerificationResult r = Verifier.verify(pk.verifyingKey(), proof.bytes());
        long t2 = System.nanoTime();
        System.out.printf("%s on %s: prove %.1f s, verify %.1f ms, proof %d bytes, peak heap %.2f GB (estimate %.2f GB: %s)%n",
                RealModels.OCR_REC.modelName, input.name(), (t1 - t0) / 1e9, (t2 - t1) / 1e6, proof.size(), peak / 1e9,
                fp.estimatedPeakBytes() / 1e9, fp);
        assertTrue(r.valid(), r.reason());
        int out = m.quant().outputs().getFirst();
        assertArrayEquals(ex.value(out), r.statement().outputs().getFirst());

        // The proven text is ONNX Runtime's.
        long[] proven = r.statement().outputs().getFirst();
        float[] scores = new float[proven.length];
        int scale = m.quant().tensor(out).scale();
        for (int i = 0; i < scores.length; i++) scores[i] = (float) (proven[i] / Math.pow(2, scale));
        float[] ref;
        try (OrtReference ort = new OrtReference(RealModels.OCR_REC.path())) {
            ref = ort.run(input.values(), input.shapes()).values().iterator().next();
        }
        CtcDecoder ctc = CtcDecoder.ppocrV4();
        assertEquals(ctc.decode(ref), ctc.decode(scores));

        byte[] bad = proof.bytes().clone();
        bad[bad.length / 3] ^= 0x10;
        assertFalse(Verifier.verify(pk.verifyingKey(), bad).valid());
    }
}
