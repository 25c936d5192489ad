package dev.verinfer.zkml;

import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real models end to end: import → calibrate → setup → prove → verify, on realistic inputs. */
class RealModelProofTest {
    /** Each real model with its calibration input and how many further inputs to prove (the CNNs take longer). */
    enum Case {
        ALEXA(RealModels.ALEXA, 3), HEY_MYCROFT(RealModels.HEY_MYCROFT, 3), MELSPECTROGRAM(RealModels.MELSPECTROGRAM, 1),
        EMBEDDING(RealModels.EMBEDDING, 1), OCR_CLS(RealModels.OCR_CLS, 1);

        final RealModels model;
        final int inputs;

        Case(RealModels model, int inputs) {
            this.model = model;
            this.inputs = inputs;
        }

        NamedInput input(long seed) {
            return switch (model) {
                case ALEXA, HEY_MYCROFT -> RealInputs.embeddings(seed);
                case MELSPECTROGRAM -> RealInputs.audio(seed);
                case EMBEDDING -> RealInputs.melWindow(seed);
                case OCR_CLS -> RealInputs.textLine(seed == 1 ? "verinfer proves 42" : "Hello, world " + seed, false);
                case OCR_REC -> RealInputs.recognitionLine("Hello, world " + seed); // proven in OcrRecognitionProofTest
            };
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void provesAndVerifiesOnSeveralInputs(Case c) {
        NamedInput calibration = c.input(1);
        CompiledModel m = CompiledModel.compile(c.model.path(), calibration.shapes(), List.of(calibration.values()), QuantConfig.DEFAULT);
        ProvingKey pk = Setup.setup(m.quant());
        try (IntegerExecutor executor = new IntegerExecutor()) {
            for (long seed = 2; seed < 2 + c.inputs; seed++) {
                NamedInput input = c.input(seed);
                Execution ex = executor.run(m.quant(), input.values());
                long t0 = System.nanoTime();
                Proof proof = Prover.prove(pk, ex);
                long t1 = System.nanoTime();
                VerificationResult r = Verifier.verify(pk.verifyingKey(), proof.bytes());
                long t2 = System.nanoTime();
                System.out.printf("%s on %s: prove %.1f ms, verify %.1f ms, proof %d bytes%n", c.model.modelName, input.name(),
                        (t1 - t0) / 1e6, (t2 - t1) / 1e6, proof.size());
                assertTrue(r.valid(), r.reason());
                // The proven output is the integer executor's output, exactly.
                assertArrayEquals(ex.value(m.quant().outputs().getFirst()), r.statement().outputs().getFirst());
                byte[] bad = proof.bytes().clone();
                bad[bad.length / 3] ^= 0x10;
                assertFalse(Verifier.verify(pk.verifyingKey(), bad).valid());
            }
        }
    }
}
