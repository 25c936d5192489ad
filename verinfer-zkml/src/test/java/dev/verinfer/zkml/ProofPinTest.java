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
 * so alexa_v0.1 on its seed-2 input must prove to the same bytes as when this test was written.
 */
class ProofPinTest {
    @ParameterizedTest
    @EnumSource(value = PcsSecurity.class, names = {"PROVEN", "CONJECTURED"})
    void alexaProofBytesArePinned(PcsSecurity security) {
        String expected = switch (security) {
            case PROVEN -> "2f4df65cc626d4ce62af70359fbf76140bf8794702ba08ce0c5003222fbd3d0f";
            case CONJECTURED -> "4352de3b7b3cfc539ebc8a741c1f84ae1cad5733b235df262e6d360d7287355f";
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
