package dev.verinfer.zkml;

import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.QuantConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PaddleOCR v4 text recognition (an SVTR transformer, 2.7 M weights, input [1, 3, 48, 320]) is not
 * provable yet: its witness needs 2^27 committed entries, beyond the largest WHIR commitment (2^26),
 * and the prover would need far more than 12 GB. Setup says so in one line instead of failing deep in
 * the commitment. Compiling takes about a minute, so this runs only with {@code -Dverinfer.ocr.rec=true}.
 */
@EnabledIfSystemProperty(named = "verinfer.ocr.rec", matches = "true")
class OcrRecognitionProofTest {

    @Test void setupRefusesInOneLineWhileTheWitnessExceedsTheCommitment() {
        NamedInput calibration = RealInputs.recognitionLine("calibrate: ONNX Runtime float");
        CompiledModel m = CompiledModel.compile(RealModels.OCR_REC.path(), calibration.shapes(), List.of(calibration.values()), QuantConfig.DEFAULT);
        ProofPlan plan = new ProofPlan(m.quant());
        Map<String, Long> byKind = new TreeMap<>();
        for (ProofPlan.Item it : plan.items) {
            String kind = switch (it) {
                case ProofPlan.TensorItem t -> "committed " + m.quant().nodes().stream().filter(n -> n.output() == t.tensor())
                        .map(n -> n.op().getClass().getSimpleName()).findFirst().orElse("?") + " outputs";
                case ProofPlan.AuxItem a -> a.what();
                case ProofPlan.MultiplicityItem u -> "multiplicities";
            };
            byKind.merge(kind, 1L << it.numVars(), Long::sum);
        }
        ProverFootprint fp = ProverFootprint.of(m.quant());
        System.out.printf("%s: witness 2^%d packed, by kind %s; %s, estimated peak heap %.1f GB%n", RealModels.OCR_REC.modelName,
                plan.witnessPacking.numVars(), byKind, fp, fp.estimatedPeakBytes() / 1e9);

        UnsupportedGraphException e = assertThrows(UnsupportedGraphException.class, () -> Setup.setup(m.quant()));
        System.out.println(e.getMessage());
        assertTrue(e.getMessage().contains("2^" + plan.witnessPacking.numVars()) && e.getMessage().contains("at most 2^26")
                && !e.getMessage().contains("\n"), e.getMessage());
        assertTrue(fp.estimatedPeakBytes() > 12L << 30, fp.toString());
    }
}
