package dev.verinfer.zkml;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, forgery 2 and committed inputs: every committed output of a Rescale and every committed
 * input is range-checked at its declared bound by the proof that commits or consumes it, so neither
 * an out-of-range integer nor a non-integer field element passes.
 */
class CommittedBoundsTest {
    private static void assertRejected(ProvingKey pk, Proof proof, String what) {
        VerificationResult r = Verifier.verify(pk.verifyingKey(), proof.bytes());
        assertFalse(r.valid(), what + " was accepted");
        assertTrue(r.reason() != null && !r.reason().isBlank());
    }

    /** q = (x + 2^(k−1) − r′)/2^k mod p passes the remainder check for any r′ ∈ [0, 2^k): only q's own range check stops it. */
    @Test
    void aNonIntegerCommittedRescaleOutputIsRejected() {
        TestGraphs b = new TestGraphs(1);
        int x = b.input("x", 4, 12, 1, 1);
        int q = b.node("rescale", new QOp.Rescale(x, 4), 0, 8, 1, 1);
        b.output(q);
        QuantGraph g = b.build();
        ProvingKey pk = Setup.setup(g);
        Execution honest = PaddingSoundnessTest.runQuantised(g, Map.of("x", new long[] {256}));
        assertEquals(16, honest.value(q)[0]);
        assertTrue(Verifier.verify(pk.verifyingKey(), Prover.prove(pk, honest, Visibility.PUBLIC, Visibility.COMMITTED).bytes()).valid());
        long half = Goldilocks.mul(264, Goldilocks.inverse(16)); // 16.5: remainder 256 + 8 − 16·16.5 = 0
        WitnessTamper nonInteger = (tensor, table) -> {
            if (tensor == q) {
                table[0] = half;
            }
        };
        assertRejected(pk, Prover.prove(pk, honest, Visibility.PUBLIC, Visibility.COMMITTED, nonInteger), "a non-integer committed Rescale output");
    }

    /** x committed (|x| < 2^8) → ×3 → public output: an input of 300 would give 900, which no input in bound gives. */
    @Test
    void aCommittedInputOutOfItsBoundIsRejected() {
        TestGraphs b = new TestGraphs(2);
        int x = b.input("x", 4, 8, 1, 3);
        int y = b.node("triple", new QOp.MulConst(x, 3, 0), 4, 10, 1, 3);
        b.output(y);
        QuantGraph g = b.build();
        ProvingKey pk = Setup.setup(g);
        Execution ex = PaddingSoundnessTest.runQuantised(g, Map.of("x", new long[] {17, -40, 255}));
        assertTrue(Verifier.verify(pk.verifyingKey(), Prover.prove(pk, ex, Visibility.COMMITTED, Visibility.PUBLIC).bytes()).valid());
        ex.values()[x][0] = 300;
        ex.values()[y][0] = 900;
        assertRejected(pk, Prover.prove(pk, ex, Visibility.COMMITTED, Visibility.PUBLIC), "a committed input of 300 at bound 2^8");
    }

    /** x committed → ×2 → public output: an odd output needs x = (2m + 1)/2, a field element that is no integer. */
    @Test
    void aNonIntegerCommittedInputIsRejected() {
        TestGraphs b = new TestGraphs(3);
        int x = b.input("x", 4, 8, 1, 3);
        int y = b.node("double", new QOp.MulConst(x, 2, 0), 4, 10, 1, 3);
        b.output(y);
        QuantGraph g = b.build();
        ProvingKey pk = Setup.setup(g);
        Execution ex = PaddingSoundnessTest.runQuantised(g, Map.of("x", new long[] {17, -40, 100}));
        ex.values()[y][1] = -79; // = 2 · (−39.5)
        long half = Goldilocks.mul(Goldilocks.fromSigned(-79), Goldilocks.inverse(2));
        WitnessTamper nonInteger = (tensor, table) -> {
            if (tensor == x) {
                table[1] = half;
            }
        };
        assertRejected(pk, Prover.prove(pk, ex, Visibility.COMMITTED, Visibility.PUBLIC, nonInteger), "a committed input of −39.5");
    }

    /** x[1,3] committed → ReduceSum: garbage in x's padding slot would be added to the sum. */
    @Test
    void garbageInACommittedInputsPaddingIsRejected() {
        TestGraphs b = new TestGraphs(4);
        int x = b.input("x", 4, 8, 1, 3);
        int y = b.node("sum", new QOp.ReduceSum(x, new int[] {1}, false), 4, 10, 1);
        b.output(y);
        QuantGraph g = b.build();
        ProvingKey pk = Setup.setup(g);
        Execution ex = PaddingSoundnessTest.runQuantised(g, Map.of("x", new long[] {17, -40, 100}));
        assertTrue(Verifier.verify(pk.verifyingKey(), Prover.prove(pk, ex, Visibility.COMMITTED, Visibility.PUBLIC).bytes()).valid());
        ex.values()[y][0] += 5;
        PaddingSoundnessTest.assertPaddingForgeryRejected(pk, ex, (tensor, table) -> {
            if (tensor == x) {
                table[3] = Goldilocks.fromSigned(5);
            }
        }, Visibility.COMMITTED, Visibility.PUBLIC);
    }

    /**
     * Forgery 3's producer side: a committed output built from a Rescale through a layout-keeping
     * Reshape, with garbage in its padding (and in q's, so the Reshape's claim still holds) — a
     * consumer summing over it would add the garbage. Its own proof now rejects it.
     */
    @Test
    void garbageInACommittedOutputsPaddingIsRejected() {
        TestGraphs b = new TestGraphs(6);
        int x = b.input("x", 4, 12, 1, 3);
        int q = b.node("rescale", new QOp.Rescale(x, 4), 0, 8, 1, 3);
        int y = b.node("flat", new QOp.Reshape(q), 0, 8, 3);
        b.output(y);
        QuantGraph g = b.build();
        ProvingKey pk = Setup.setup(g);
        Execution ex = PaddingSoundnessTest.runQuantised(g, Map.of("x", new long[] {1360, 1376, 1360}));
        assertTrue(Verifier.verify(pk.verifyingKey(), Prover.prove(pk, ex, Visibility.PUBLIC, Visibility.COMMITTED).bytes()).valid());
        PaddingSoundnessTest.assertPaddingForgeryRejected(pk, ex, (tensor, table) -> {
            if (tensor == q || tensor == y) {
                table[3] = Goldilocks.fromSigned(5);
            }
        }, Visibility.PUBLIC, Visibility.COMMITTED);
    }

    /** A committed input nothing reads still gets its range check and padding zero-check (its commitment is opened). */
    @Test
    void aCommittedInputIsOpenedEvenWhenNothingElseClaimsIt() {
        TestGraphs b = new TestGraphs(5);
        int x = b.input("x", 4, 8, 1, 3);
        int unused = b.input("unused", 4, 8, 1, 3);
        int y = b.node("double", new QOp.MulConst(x, 2, 0), 4, 10, 1, 3);
        b.output(y);
        QuantGraph g = b.build();
        ProvingKey pk = Setup.setup(g);
        Execution ex = PaddingSoundnessTest.runQuantised(g, Map.of("x", new long[] {1, 2, 3}, "unused", new long[] {4, 5, 6}));
        assertTrue(Verifier.verify(pk.verifyingKey(), Prover.prove(pk, ex, Visibility.COMMITTED, Visibility.PUBLIC).bytes()).valid());
        ex.values()[unused][2] = 1000;
        assertRejected(pk, Prover.prove(pk, ex, Visibility.COMMITTED, Visibility.PUBLIC), "an unread committed input out of bound");
    }
}
