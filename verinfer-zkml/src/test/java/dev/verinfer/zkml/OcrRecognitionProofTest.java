package dev.verinfer.zkml;

import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * PaddleOCR v4 text recognition (an SVTR transformer, 2.7 M weights, input [1, 3, 48, 320]). With its
 * spelled-out HardSwish and learnable affine blocks fused into one look-up each (docs/quantised-ir.md),
 * its witness packs to 2^25 entries and fits a WHIR commitment (2^26); before, it needed 2^27. Proving
 * it needs more heap than the 3 GB the suite runs with (the estimate is printed), so the proof runs only
 * in a JVM whose maximum heap covers the estimate. Compiling takes about a minute, so this runs only
 * with {@code -Dverinfer.ocr.rec=true}.
 */
@EnabledIfSystemProperty(named = "verinfer.ocr.rec", matches = "true")
class OcrRecognitionProofTest {
    private static CompiledModel compile() {
        NamedInput calibration = RealInputs.recognitionLine("calibrate: ONNX Runtime float");
        return CompiledModel.compile(RealModels.OCR_REC.path(), calibration.shapes(), List.of(calibration.values()), QuantConfig.DEFAULT);
    }

    @Test void theWitnessFitsTheCommitment() {
        CompiledModel m = compile();
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
        assertTrue(plan.witnessPacking.numVars() <= PcsSecurity.PROVEN.maxNumVars(), "witness 2^" + plan.witnessPacking.numVars());
        Setup.check(m.quant());
    }

    @Test void provesAndVerifiesWhenTheHeapAllows() {
        CompiledModel m = compile();
        ProverFootprint fp = ProverFootprint.of(m.quant());
        assumeTrue(Runtime.getRuntime().maxMemory() >= fp.estimatedPeakBytes(),
                () -> String.format("proving needs about %.1f GB of heap, this JVM has %.1f GB", fp.estimatedPeakBytes() / 1e9, Runtime.getRuntime().maxMemory() / 1e9));
        ProvingKey pk = Setup.setup(m.quant());
        try (IntegerExecutor executor = new IntegerExecutor()) {
            Execution ex = executor.run(m.quant(), RealInputs.recognitionLine("Hello, world 2026").values());
            Proof proof = Prover.prove(pk, ex);
            VerificationResult r = Verifier.verify(pk.verifyingKey(), proof.bytes());
            assertTrue(r.valid(), r.toString());
            System.out.printf("%s proven: %,d bytes%n", RealModels.OCR_REC.modelName, proof.bytes().length);
        }
    }
}
