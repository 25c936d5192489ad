package dev.verinfer.zkml;

import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Rescale output whose readers already bound it gets no range check of its own
 * ({@link ProofPlan#WRAP_FREE_BITS}, docs/proof-system.md "What constrains every prover-chosen value"):
 * per such elided check, a cheating prover that picks any remainder r ∈ [0, 2^k) — so that the Rescale's
 * own remainder look-up passes — and hence a quotient outside the range (a non-integer, i.e. a huge field
 * element), with everything after it re-derived, is rejected.
 */
class ImpliedBoundsTest {
    private static final float[] X = {1.5f, -2.25f, 3.0f, 0.7f};

    /** x → q1 = Rescale(x, 3) → q2 = Rescale(q1, 2) → public output: q1 is bounded through q2. */
    @Test
    void rescaleReadByABoundedRescaleIsStillExact() {
        TestGraphs b = new TestGraphs(1);
        int x = b.input("x", 8, 14, 1, 4);
        int q1 = b.node("q1", new QOp.Rescale(x, 3), 5, 12, 1, 4);
        int q2 = b.node("q2", new QOp.Rescale(q1, 2), 3, 11, 1, 4);
        b.output(q2);
        QuantGraph g = b.build();
        ProvingKey pk = Setup.setup(g);
        assertFalse(boundChecked(pk.plan(), q1), "q1 is bounded through q2: no range check of its own");
        Execution ex = IntegerExecutor.execute(g, Map.of("x", X));
        int rejected = 0;
        for (long r1 = 0; r1 < 8; r1++) {
            for (long r2 = 0; r2 < 4; r2++) {
                long rem1 = r1, rem2 = r2;
                AdversarialProver.Rewrite forge = (t, padded, trace) -> {
                    if (t != q1 && t != q2) {
                        return padded;
                    }
                    long[] p = padded.clone();
                    p[0] = t == q1 ? AdversarialProver.nonIntegerQuotient(trace[x][0], 3, rem1)
                            : AdversarialProver.nonIntegerQuotient(trace[q1][0], 2, rem2);
                    return p;
                };
                long[][] trace = AdversarialProver.trace(pk, AdversarialProver.inputsOf(g, ex), forge);
                if (trace[q1][0] == dev.verinfer.field.Goldilocks.fromSigned(ex.value(q1)[0])) {
                    continue; // the honest remainder
                }
                assertFalse(AdversarialProver.assertNoForgery(pk, trace, Visibility.PUBLIC, Visibility.PUBLIC, "q1 remainder " + r1 + ", q2 remainder " + r2),
                        "out-of-range q1 accepted");
                rejected++;
            }
        }
        assertEquals(7 * 4, rejected);
    }

    /** x → q = Rescale(x, 3) → sigmoid look-up: q is bounded by the table's domain. */
    @Test
    void rescaleReadByALookUpIsStillExact() {
        TestGraphs b = new TestGraphs(2);
        int x = b.input("x", 8, 14, 1, 4);
        int q = b.node("q", new QOp.Rescale(x, 3), 5, 15, 1, 4);
        int y = b.node("y", new QOp.Lookup(q, TestGraphs.table("sigmoid", 5, 12)), 12, 13, 1, 4);
        b.output(y);
        QuantGraph g = b.build();
        ProvingKey pk = Setup.setup(g);
        assertFalse(boundChecked(pk.plan(), q), "q is bounded by the table: no range check of its own");
        Execution ex = IntegerExecutor.execute(g, Map.of("x", X));
        int rejected = 0;
        for (long r = 0; r < 8; r++) {
            long rem = r;
            long[][] trace = AdversarialProver.trace(pk, AdversarialProver.inputsOf(g, ex),
                    AdversarialProver.overwrite(q, 0, (honest, tr) -> AdversarialProver.nonIntegerQuotient(tr[x][0], 3, rem)));
            if (trace[q][0] == dev.verinfer.field.Goldilocks.fromSigned(ex.value(q)[0])) {
                continue;
            }
            assertFalse(AdversarialProver.assertNoForgery(pk, trace, Visibility.PUBLIC, Visibility.PUBLIC, "q remainder " + r), "out-of-range q accepted");
            rejected++;
        }
        assertEquals(7, rejected);
    }

    /** A Rescale read by anything else (here a Mul) keeps its own range check. */
    @Test
    void rescaleReadByAnUnboundedOpKeepsItsCheck() {
        TestGraphs b = new TestGraphs(3);
        int x = b.input("x", 8, 14, 1, 4);
        int q = b.node("q", new QOp.Rescale(x, 3), 5, 12, 1, 4);
        int y = b.node("y", new QOp.Mul(q, q), 10, 24, 1, 4);
        b.output(y);
        assertTrue(boundChecked(new ProofPlan(b.build()), q));
    }

    /**
     * Whether some range check reads the tensor as its only tensor, shifted (its bound check t + 2^b ∈ [0, 2^(b+1)),
     * whole or split into a committed low limb and the rest).
     */
    private static boolean boundChecked(ProofPlan plan, int tensor) {
        java.util.stream.Stream<ProofPlan.Column> columns = java.util.stream.Stream.concat(
                plan.tables.stream().filter(ProofPlan.Table::isRange).flatMap(t -> t.groups().stream()).map(gr -> gr.columns().getFirst()),
                plan.lowLimbs.stream().map(ProofPlan.LowLimb::value));
        return columns.anyMatch(c -> c.shift() != 0 && c.terms().stream().map(ProofPlan.Term::source).filter(s -> s instanceof ProofPlan.TensorSource).toList()
                .equals(java.util.List.of(new ProofPlan.TensorSource(tensor))));
    }
}
