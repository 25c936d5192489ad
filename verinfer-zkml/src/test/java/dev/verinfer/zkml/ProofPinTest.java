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
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins the bytes of a whole-model proof: prover optimisations must leave the proof format and the
 * transcript unchanged (a Solidity verifier is written against them). Non-ZK proofs are deterministic,
 * so alexa_v0.1 on its seed-2 input must prove to the same bytes as when this test was written (re-pinned for
 * proof format 7, whose single proofs differ from format 6's in the version byte only).
 */
class ProofPinTest {
    @ParameterizedTest
    @EnumSource(value = PcsSecurity.class, names = {"PROVEN", "CONJECTURED"})
    void alexaProofBytesArePinned(PcsSecurity security) {
        String expected = switch (security) {
            case PROVEN -> "f64ee16ff0120b378fc07806bb8f3157eb1492c4d7b7dd97bbf945c696e3ce98";
            case CONJECTURED -> "77e034b18a1a3aa2b46b34ef76710521f8e09193e05d33182a1afc3308f9ad9a";
            default -> throw new IllegalArgumentException(security.label());
        };
        NamedInput calibration = RealInputs.embeddings(1);
        CompiledModel m = CompiledModel.compile(RealModels.ALEXA.path(), calibration.shapes(), List.of(calibration.values()), QuantConfig.DEFAULT);
        ProvingKey pk = Setup.setup(m.quant(), security);
        try (IntegerExecutor executor = new IntegerExecutor()) {
            Execution ex = executor.run(m.quant(), RealInputs.embeddings(2).values());
            byte[] first = Prover.prove(pk, ex).bytes();
            assertArrayEquals(first, Prover.prove(pk, ex).bytes(), "proving is deterministic");
            assertEquals(expected, Digests.hex(Digests.sha256("proof-pin", first)), security.label());
        }
    }
}
