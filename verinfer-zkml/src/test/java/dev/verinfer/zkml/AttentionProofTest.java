package dev.verinfer.zkml;

import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10: MatMul with both operands activations (attention's Q·Kᵀ and scores·V), whose padding
 * meets in the inner dimension: honest proofs verify, altered activations are rejected.
 */
class AttentionProofTest {
    /** The transpose of the last two axes of a [.., rows, cols] tensor as a Gather. */
    private static QOp.Gather transpose(int x, int batch, int rows, int cols) {
        int[] srcIndex = new int[batch * rows * cols];
        for (int h = 0; h < batch; h++) {
            for (int c = 0; c < cols; c++) {
                for (int r = 0; r < rows; r++) {
                    srcIndex[(h * cols + c) * rows + r] = (h * rows + r) * cols + c;
                }
            }
        }
        return new QOp.Gather(new int[] {x}, new int[srcIndex.length], srcIndex);
    }

    /**
     * One head: x[3,5] → Q, K, V = x·W (→ rescale), scores = Q·Kᵀ (transpose by Gather) → rescale →
     * exp-like look-up → P·V → rescale. Non-power-of-two sizes everywhere, so padding meets in both
     * inner dimensions.
     */
    static QuantGraph singleHead(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 3, 5);
        int[] qkv = new int[3];
        String[] names = {"q", "k", "v"};
        for (int i = 0; i < 3; i++) {
            int w = b.weight("w" + names[i], 8, 100, 5, 3);
            int z = b.node(names[i] + "_wide", new QOp.MatMul(x, w, -1), 16, 30, 3, 3);
            qkv[i] = b.node(names[i], new QOp.Rescale(z, 8), 8, 15, 3, 3);
        }
        int kt = b.node("k_t", transpose(qkv[1], 1, 3, 3), 8, 15, 3, 3);
        int s = b.node("scores_wide", new QOp.MatMul(qkv[0], kt, -1), 16, 30, 3, 3);
        int sq = b.node("scores", new QOp.Rescale(s, 8), 8, 15, 3, 3);
        int p = b.node("weights", new QOp.Lookup(sq, TestGraphs.table("sigmoid", 8, 8)), 8, 16, 3, 3);
        int o = b.node("out_wide", new QOp.MatMul(p, qkv[2], -1), 16, 30, 3, 3);
        int y = b.node("out", new QOp.Rescale(o, 8), 8, 15, 3, 3);
        b.output(y);
        return b.build();
    }

    /** Two heads as a batch axis: Q, K, V [2,3,3] (a per-head weight), scores [2,3,3] = Q·Kᵀ, out = P·V. */
    static QuantGraph twoHeads(long seed) {
        TestGraphs b = new TestGraphs(seed);
        int x = b.input("x", 8, 12, 2, 3, 5);
        int[] qkv = new int[3];
        String[] names = {"q", "k", "v"};
        for (int i = 0; i < 3; i++) {
            int w = b.weight("w" + names[i], 8, 100, 2, 5, 3);
            int z = b.node(names[i] + "_wide", new QOp.MatMul(x, w, -1), 16, 30, 2, 3, 3);
            qkv[i] = b.node(names[i], new QOp.Rescale(z, 8), 8, 15, 2, 3, 3);
        }
        int kt = b.node("k_t", transpose(qkv[1], 2, 3, 3), 8, 15, 2, 3, 3);
        int s = b.node("scores_wide", new QOp.MatMul(qkv[0], kt, -1), 16, 30, 2, 3, 3);
        int sq = b.node("scores", new QOp.Rescale(s, 8), 8, 15, 2, 3, 3);
        int p = b.node("weights", new QOp.Lookup(sq, TestGraphs.table("sigmoid", 8, 8)), 8, 16, 2, 3, 3);
        int o = b.node("out_wide", new QOp.MatMul(p, qkv[2], -1), 16, 30, 2, 3, 3);
        int y = b.node("out", new QOp.Rescale(o, 8), 8, 15, 2, 3, 3);
        b.output(y);
        return b.build();
    }

    /** The first alteration of one entry (by ±1, ±4 units of its scale) that changes the graph's output. */
    private static Execution alteredReachingTheOutput(QuantGraph g, float[] input, Execution honest, int tensor) {
        long unit = 1L << g.tensor(tensor).scale();
        for (int index = 0; index < g.tensor(tensor).size(); index++) {
            for (long delta : new long[] {unit, -unit, 4 * unit, -4 * unit}) {
                Execution cheat = ProofSoundnessTest.alteredFrom(g, input, honest, tensor, index, delta);
                if (!java.util.Arrays.equals(cheat.value(g.outputs().getFirst()), honest.value(g.outputs().getFirst()))) {
                    return cheat;
                }
            }
        }
        throw new AssertionError("no alteration of " + g.tensor(tensor).name() + " reaches the output");
    }

    @Test
    void attentionProofsVerifyAndAlteredActivationsAreRejected() {
        for (QuantGraph g : List.of(singleHead(1), twoHeads(2))) {
            ProvingKey pk = Setup.setup(g);
            float[] input = TestGraphs.randomInput(3, g.tensor(g.inputs().getFirst()).size(), 3.9);
            Execution honest = IntegerExecutor.execute(g, Map.of("x", input));
            for (Visibility v : Visibility.values()) {
                VerificationResult r = Verifier.verify(pk.verifyingKey(), Prover.prove(pk, honest, v, v).bytes());
                assertTrue(r.valid(), g.tensor(g.outputs().getFirst()).name() + " " + v + ": " + r.reason());
            }
            for (String name : List.of("k_t", "scores_wide", "weights", "out_wide", "v")) {
                Execution cheat = alteredReachingTheOutput(g, input, honest, g.id(name));
                assertFalse(Verifier.verify(pk.verifyingKey(), Prover.prove(pk, cheat).bytes()).valid(), "altered " + name + " was accepted");
            }
        }
    }
}
