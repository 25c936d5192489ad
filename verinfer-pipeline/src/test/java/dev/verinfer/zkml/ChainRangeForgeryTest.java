package dev.verinfer.zkml;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pipeline.ChainSpec;
import dev.verinfer.pipeline.ChainStep;
import dev.verinfer.pipeline.ChainVerdict;
import dev.verinfer.pipeline.ChainVerifier;
import dev.verinfer.pipeline.Link;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, forgery 2 through a chain (in this package for the prover's package-private tamper hook):
 * step A = Rescale(x, 4) with its output committed, step B = Rescale(MulConst(in, 16), 4), the
 * identity on integers. On x = 256 the chain computes 16; a step A committing q = 16.5 (a field
 * element passing A's remainder check) lets B prove 17. Both proofs now range-check that q.
 */
class ChainRangeForgeryTest {
    private static QuantGraph stepA() {
        List<QTensor> t = List.of(new QTensor(0, "x", new int[] {1, 1}, 4, 12, QTensor.Kind.INPUT, null),
                new QTensor(1, "q", new int[] {1, 1}, 0, 8, QTensor.Kind.ACTIVATION, null));
        return new QuantGraph(t, List.of(new QNode("rescale", new QOp.Rescale(0, 4), 1)), List.of(0), List.of(1));
    }

    private static QuantGraph stepB() {
        List<QTensor> t = List.of(new QTensor(0, "in", new int[] {1, 1}, 0, 8, QTensor.Kind.INPUT, null),
                new QTensor(1, "up", new int[] {1, 1}, 4, 12, QTensor.Kind.ACTIVATION, null),
                new QTensor(2, "y", new int[] {1, 1}, 0, 8, QTensor.Kind.ACTIVATION, null));
        return new QuantGraph(t, List.of(new QNode("up", new QOp.MulConst(0, 16, 4), 1), new QNode("rescale", new QOp.Rescale(1, 4), 2)),
                List.of(0), List.of(2));
    }

    private static Execution run(QuantGraph g, String input, long value) {
        try (IntegerExecutor e = new IntegerExecutor(1)) {
            return e.runQuantised(g, Map.of(input, new long[] {value}));
        }
    }

    @Test
    void aChainCannotProveSeventeenForSixteen() {
        ProvingKey a = Setup.setup(stepA());
        ProvingKey b = Setup.setup(stepB());
        ChainSpec spec = new ChainSpec(List.of(new ChainStep("A", a.verifyingKey()), new ChainStep("B", b.verifyingKey())), List.of(new Link(0, 0, 1, 0)));
        Execution runA = run(a.graph(), "x", 256);
        Execution runB = run(b.graph(), "in", 16);
        ChainVerdict honest = ChainVerifier.verify(spec, List.of(Prover.prove(a, runA, Visibility.PUBLIC, Visibility.COMMITTED).bytes(),
                Prover.prove(b, runB, Visibility.COMMITTED, Visibility.PUBLIC).bytes()));
        assertTrue(honest.valid(), honest.reason());
        assertArrayEquals(new long[] {16}, honest.finalOutputs().getFirst());

        long half = Goldilocks.mul(264, Goldilocks.inverse(16)); // 16.5: A's remainder 256 + 8 − 16·16.5 = 0
        Proof forgedA = Prover.prove(a, runA, Visibility.PUBLIC, Visibility.COMMITTED, (tensor, table) -> {
            if (tensor == 1) {
                table[0] = half;
            }
        });
        runB.values()[2][0] = 17; // B: 16·16.5 = 264, remainder 264 + 8 − 16·17 = 0
        Proof forgedB = Prover.prove(b, runB, Visibility.COMMITTED, Visibility.PUBLIC, (tensor, table) -> {
            if (tensor == 0) {
                table[0] = half;
            } else if (tensor == 1) {
                table[0] = 264;
            }
        });
        assertArrayEquals(forgedA.statement().outputRoots().getFirst(), forgedB.statement().inputRoots().getFirst(), "the forged steps chain");
        ChainVerdict v = ChainVerifier.verify(spec, List.of(forgedA.bytes(), forgedB.bytes()));
        assertFalse(v.valid(), "a chain proving 17 for 16 was accepted");
        assertFalse(Verifier.verify(a.verifyingKey(), forgedA.bytes()).valid(), "step A's non-integer committed output");
        assertFalse(Verifier.verify(b.verifyingKey(), forgedB.bytes()).valid(), "step B's non-integer committed input");
    }
}
