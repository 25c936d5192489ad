package dev.verinfer.zkml;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A committed tensor holds exactly the bound its key states, |v| < 2^b, the bound the verifier checks on a public one:
 * −2^b + 1 and 2^b − 1 are accepted, −2^b, −2^b − 1 and 2^b rejected — a committed input (which the prover chooses
 * freely) and a committed Rescale output (whose floor the prover cannot change, so the input is chosen to reach it), in
 * plain proofs and in zero knowledge. One look-up t + 2^b ∈ [0, 2^(b+1)) alone would admit −2^b
 * ({@code ProofPlan.statedBoundCheck}).
 */
class StatedBoundsTest {
    private static final long[] IDENTITY = {1, 0, 0, 1};

    /** x[2,2] (12 bits) · I → Rescale by 4 → q (11 bits, public): x's bound is only the key's. */
    private static QuantGraph committedInput() {
        TestGraphs b = new TestGraphs(71);
        int x = b.input("x", 4, 12, 2, 2);
        int z = b.node("gemm", new QOp.MatMul(x, b.weight("w", 0, IDENTITY, 2, 2), -1), 4, 14, 2, 2);
        b.output(b.node("rescale", new QOp.Rescale(z, 2), 2, 11, 2, 2));
        return b.build();
    }

    /** x[2,2] (16 bits, public) · I → Rescale by 2^8 → q (6 bits, committed): q = ⌊(x + 128)/256⌋. */
    private static QuantGraph committedRescale() {
        TestGraphs b = new TestGraphs(72);
        int x = b.input("x", 8, 16, 2, 2);
        int z = b.node("gemm", new QOp.MatMul(x, b.weight("w", 0, IDENTITY, 2, 2), -1), 8, 17, 2, 2);
        b.output(b.node("rescale", new QOp.Rescale(z, 8), 0, 6, 2, 2));
        return b.build();
    }

    /**
     * The key for one proof: the plain key, or a fresh zero-knowledge one — a 4-entry weight table's hiding commitment takes
     * only the off-face claims that leave its face room free (`HidingLayout.claimsHide`), fewer than five proofs make.
     */
    private static ProvingKey key(QuantGraph g, boolean zeroKnowledge) {
        return zeroKnowledge ? ZkMatMulProofTest.zkKey(g, PcsSecurity.CONJECTURED, 64) : Setup.setup(g);
    }

    private static final Map<Long, Boolean> AT_12_BITS = Map.of(-(1L << 12) + 1, true, (1L << 12) - 1, true,
            -(1L << 12), false, -(1L << 12) - 1, false, 1L << 12, false);
    private static final Map<Long, Boolean> AT_6_BITS = Map.of(-63L, true, 63L, true, -64L, false, -65L, false, 64L, false);

    @Test
    void aCommittedInputHoldsExactlyItsStatedBound() {
        assertExactBound(committedInput(), AT_12_BITS, v -> new long[] {v, 7, -3, 0}, Visibility.COMMITTED, Visibility.PUBLIC, "committed input", 12);
    }

    @Test
    void aCommittedRescaleOutputHoldsExactlyItsStatedBound() {
        assertExactBound(committedRescale(), AT_6_BITS, v -> new long[] {256 * v, 0, 256, 0}, Visibility.PUBLIC, Visibility.COMMITTED,
                "committed Rescale output", 6);
    }

    /**
     * For each value (the committed tensor's first entry, made by the honest trace of {@code input(value)}), with the
     * plain key and with a zero-knowledge one: the proof is accepted exactly as {@code expected} says.
     */
    private static void assertExactBound(QuantGraph g, Map<Long, Boolean> expected, java.util.function.LongFunction<long[]> input,
                                         Visibility inputs, Visibility outputs, String what, int bits) {
        int committed = inputs == Visibility.COMMITTED ? g.inputs().getFirst() : g.outputs().getFirst();
        for (boolean zeroKnowledge : new boolean[] {false, true}) {
            for (var e : expected.entrySet()) {
                ProvingKey key = key(g, zeroKnowledge);
                long[][] trace = AdversarialProver.trace(key, Map.of(g.inputs().getFirst(), input.apply(e.getKey())), AdversarialProver.Rewrite.NONE);
                assertEquals(Goldilocks.fromSigned(e.getKey()), trace[committed][0]);
                assertEquals(e.getValue(), accepted(key, trace, inputs, outputs), what + " " + e.getKey() + " at " + bits + " bits, zero knowledge " + zeroKnowledge);
            }
        }
    }

    /** Whether the proof of {@code trace} verifies; a prover that refuses to prove it counts as not accepted. */
    private static boolean accepted(ProvingKey key, long[][] trace, Visibility inputs, Visibility outputs) {
        Proof p;
        try {
            p = AdversarialProver.prove(key, trace, inputs, outputs);
        } catch (IllegalArgumentException | IllegalStateException refused) {
            return false;
        }
        return Verifier.verify(key.verifyingKey(), p.bytes()).valid();
    }
}
