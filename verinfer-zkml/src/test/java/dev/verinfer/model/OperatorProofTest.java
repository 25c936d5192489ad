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

import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantRangeException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /** The compositions whose every intermediate value is attacked below (booleans, ties, one-hots, shifts). */
    static final Set<String> ATTACKED = Set.of("Sign", "Round ties to even", "Floor", "Equal on rounded values", "Where computed mask",
            "Cast to int64 (truncation)", "PRelu scalar slope", "MaxPool windows in padding", "ArgMax", "TopK k=3", "Xor",
            "attention scores with an additive causal mask (-1e9) and Softmax", "masked_fill with a computed mask (-1e9) and Softmax",
            "MatMul of two batched activations (batch 2x3, K and N not powers of two)");

    /**
     * A cheating prover changes one committed value of the composition by ±1 (the smallest integer change:
     * a boolean 1 becomes 2 or 0, a tie flag flips) and recomputes everything after it honestly; the proof
     * must be rejected whenever the output differs from the honest one.
     */
    @TestFactory Stream<DynamicTest> everyAlteredIntermediateOfACompositionIsRejected() {
        return CoverageCases.cases().stream().filter(k -> ATTACKED.contains(k.name())).map(k -> DynamicTest.dynamicTest(k.name(), () -> attack(k)));
    }

    static void attack(OperatorAccuracyTest.Case k) {
        OperatorAccuracyTest.Compiled c = OperatorAccuracyTest.compile(k);
        QuantGraph g = c.model().quant();
        ProvingKey pk = Setup.setup(g);
        Execution honest = IntegerExecutor.execute(g, c.test());
        int out = g.outputs().getFirst(), rejected = 0;
        for (QNode node : g.nodes()) {
            for (long delta : new long[] {1, -1}) {
                Execution cheat = alteredFrom(g, honest, node.output(), delta);
                if (cheat == null) continue; // the altered value breaks a declared bound the executor checks: not even computable
                VerificationResult r = Verifier.verify(pk.verifyingKey(), Prover.prove(pk, cheat).bytes());
                if (!java.util.Arrays.equals(cheat.value(out), honest.value(out))) {
                    assertFalse(r.valid(), k.name() + ": altered " + g.tensor(node.output()).name() + " by " + delta + " was accepted with a false output");
                    rejected++;
                }
            }
        }
        assertTrue(rejected > 0, k.name() + ": no alteration reached the output");
    }

    /** The execution with tensor {@code tensor}[0] changed by delta and every later tensor recomputed (null when not computable). */
    static Execution alteredFrom(QuantGraph g, Execution honest, int tensor, long delta) {
        long[] altered = honest.value(tensor).clone();
        altered[0] += delta;
        QTensor t = g.tensor(tensor);
        List<QTensor> tensors = new ArrayList<>(g.tensors());
        tensors.set(tensor, new QTensor(t.id(), t.name(), t.shape(), t.scale(), t.bits() + 1, QTensor.Kind.INPUT, null));
        List<Integer> in = new ArrayList<>(g.inputs());
        in.add(tensor);
        Map<String, long[]> all = new HashMap<>();
        for (int id : g.inputs()) all.put(g.tensor(id).name(), honest.value(id));
        all.put(t.name(), altered);
        try {
            Execution cut;
            try (IntegerExecutor executor = new IntegerExecutor(1)) {
                cut = executor.runQuantised(new QuantGraph(tensors, g.nodes().stream().filter(n -> n.output() != tensor).toList(), in, g.outputs()), all);
            }
            assertEquals(altered[0], cut.value(tensor)[0]);
            return cut;
        } catch (QuantRangeException e) {
            return null;
        }
    }
}
