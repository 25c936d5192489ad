package dev.verinfer.model;

import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Setup;
import dev.verinfer.zkml.VerificationResult;
import dev.verinfer.zkml.Verifier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operator model of {@link CoverageCases} (lowered to compositions of existing quantised ops)
 * is proven and verified on its test input, the proven output is the executor's, and a prover that
 * claims an output one unit off is rejected. (Accuracy against ONNX Runtime: OperatorAccuracyTest.)
 * In package dev.verinfer.model to reuse the package-private test builders of verinfer-model's test jar.
 */
class OperatorProofTest {
    @TestFactory Stream<DynamicTest> everyNewOperatorProvesVerifiesAndRejectsATamperedOutput() {
        return CoverageCases.cases().stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> check(k)));
    }

    static void check(OperatorAccuracyTest.Case k) {
        OperatorAccuracyTest.Compiled c = OperatorAccuracyTest.compile(k);
        QuantGraph g = c.model().quant();
        ProvingKey pk = Setup.setup(g);
        Execution ex = IntegerExecutor.execute(g, c.test());
        Proof proof = Prover.prove(pk, ex);
        VerificationResult r = Verifier.verify(pk.verifyingKey(), proof.bytes());
        assertTrue(r.valid(), k.name() + ": " + r.reason());
        for (int i = 0; i < g.outputs().size(); i++) {
            assertArrayEquals(ex.value(g.outputs().get(i)), r.statement().outputs().get(i), k.name());
        }
        int out = g.outputs().getFirst();
        long[] claimed = ex.values()[out].clone(); // (a Reshape output shares its input's array)
        claimed[0] += 1;
        ex.values()[out] = claimed; // the prover claims (and commits to) another output
        byte[] cheat;
        try {
            cheat = Prover.prove(pk, ex).bytes();
        } catch (IllegalArgumentException e) {
            return; // an output that is a committed weight: its commitment cannot even be opened at the false value
        }
        assertFalse(Verifier.verify(pk.verifyingKey(), cheat).valid(), k.name() + ": a tampered output was accepted");
    }
}
