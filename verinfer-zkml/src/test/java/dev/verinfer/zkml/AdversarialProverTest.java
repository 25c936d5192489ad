package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adversarial prover itself, and the forgeries of the soundness issues replayed through it. */
class AdversarialProverTest {
    private static Execution run(QuantGraph g, long seed) {
        int n = g.tensor(g.inputs().getFirst()).size();
        return IntegerExecutor.execute(g, Map.of(g.tensor(g.inputs().getFirst()).name(), TestGraphs.randomInput(seed, n, 3.9)));
    }

    /**
     * Untampered, the field trace is the padded integer execution, and its proof is the honest one, byte
     * for byte (so forgeries are really attempted); each graph under one visibility pair, in turn.
     */
    @Test
    void untamperedTraceIsTheHonestExecution() {
        List<QuantGraph> graphs = List.of(TestGraphs.mlp(3), TestGraphs.arithmetic(3), TestGraphs.conv2d(3), TestGraphs.conv1d(3), TestGraphs.pooling(3), TestGraphs.wideMaxima(3));
        for (int i = 0; i < graphs.size(); i++) {
            QuantGraph g = graphs.get(i);
            ProvingKey pk = Setup.setup(g, PcsSecurity.CONJECTURED);
            Execution ex = run(g, 4);
            long[][] trace = AdversarialProver.trace(pk, AdversarialProver.inputsOf(g, ex), AdversarialProver.Rewrite.NONE);
            for (int t = 0; t < g.tensors().size(); t++) {
                assertArrayEquals(ProverTensors.toField(pk.plan().shapes[t].pad(ex.value(t))), trace[t], "tensor " + g.tensor(t).name());
            }
            Visibility in = Visibility.values()[i % 2];
            Visibility out = Visibility.values()[(i / 2) % 2];
            Proof proof = AdversarialProver.prove(pk, trace, in, out);
            assertArrayEquals(Prover.prove(pk, ex, in, out).bytes(), proof.bytes());
            assertTrue(AdversarialProver.assertNoForgery(pk, trace, in, out, "honest"), "honest proof rejected");
        }
    }

    @Test
    void everyAlteredMessageIsRejected() {
        QuantGraph g = TestGraphs.arithmetic(7);
        ProvingKey pk = Setup.setup(g);
        long[][] trace = AdversarialProver.trace(pk, AdversarialProver.inputsOf(g, run(g, 8)), AdversarialProver.Rewrite.NONE);
        int[] count = new int[1];
        AdversarialProver.prove(pk, trace, Visibility.PUBLIC, Visibility.COMMITTED, (seq, label, v) -> {
            count[0] = seq + 1;
            return v;
        });
        assertTrue(count[0] > 5);
        for (int target = 0; target < count[0]; target++) {
            int at = target;
            Proof p = AdversarialProver.prove(pk, trace, Visibility.PUBLIC, Visibility.COMMITTED,
                    (seq, label, v) -> seq == at ? v.add(Ext2.ONE) : v);
            assertFalse(Verifier.verify(pk.verifyingKey(), p.bytes()).valid(), "altered message " + at + " accepted");
        }
    }

    /** Issue 10 (1): x[1,3] → Rescale → ReduceSum; garbage in the Rescale output's padding is summed into the output. */
    @Test
    void paddingOfACommittedTensorDoesNotReachASum() {
        TestGraphs b = new TestGraphs(1);
        int x = b.input("x", 8, 12, 1, 3);
        int q = b.node("q", new QOp.Rescale(x, 2), 6, 11, 1, 3);
        int s = b.node("sum", new QOp.ReduceSum(q, new int[] {1}, true), 6, 13, 1, 1);
        b.output(s);
        QuantGraph g = b.build();
        ProvingKey pk = Setup.setup(g);
        Execution ex = IntegerExecutor.execute(g, Map.of("x", new float[] {1, 1, 1}));
        for (Visibility out : Visibility.values()) {
            long[][] trace = AdversarialProver.trace(pk, AdversarialProver.inputsOf(g, ex),
                    AdversarialProver.overwrite(q, 3, (honest, tr) -> Goldilocks.fromSigned(5)));
            assertEquals(Goldilocks.fromSigned(ex.value(s)[0] + 5), trace[s][0], "the forged padding reaches the sum");
            assertFalse(AdversarialProver.assertNoForgery(pk, trace, Visibility.PUBLIC, out, "padding"), "forged sum accepted");
        }
    }

    /** Issue 10 (2): a committed Rescale output that only "feeds look-ups" because it is a graph output had no range check. */
    @Test
    void committedRescaleOutputIsRangeChecked() {
        TestGraphs b = new TestGraphs(1);
        int x = b.input("x", 8, 12, 1, 4);
        int q = b.node("q", new QOp.Rescale(x, 4), 4, 9, 1, 4);
        b.output(q);
        QuantGraph g = b.build();
        ProvingKey pk = Setup.setup(g);
        Execution ex = IntegerExecutor.execute(g, Map.of("x", new float[] {1, -1, 0.5f, 2}));
        for (long r = 0; r < 16; r++) {
            long remainder = r;
            long[][] trace = AdversarialProver.trace(pk, AdversarialProver.inputsOf(g, ex),
                    AdversarialProver.overwrite(q, 0, (honest, tr) -> AdversarialProver.nonIntegerQuotient(tr[x][0], 4, remainder)));
            AdversarialProver.assertNoForgery(pk, trace, Visibility.PUBLIC, Visibility.COMMITTED, "non-integer quotient, remainder " + r);
        }
    }

    /** Every auxiliary committed item (remainder and gap limbs, multiplicities), one random slot overwritten with a random field element or ±1. */
    @Test
    void everyAlteredAuxiliaryItemIsRejected() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        int attacked = 0;
        for (QuantGraph g : List.of(TestGraphs.arithmetic(11), TestGraphs.pooling(11), TestGraphs.wideMaxima(11), TestGraphs.mlp(11))) {
            ProvingKey pk = Setup.setup(g, PcsSecurity.CONJECTURED);
            long[][] trace = AdversarialProver.trace(pk, AdversarialProver.inputsOf(g, run(g, 12)), AdversarialProver.Rewrite.NONE);
            for (int item = 0; item < pk.plan().items.size(); item++) {
                if (pk.plan().items.get(item) instanceof ProofPlan.TensorItem) {
                    continue;
                }
                int it = item;
                int slot = r.nextInt(1 << pk.plan().items.get(item).numVars());
                long delta = r.nextBoolean() ? Goldilocks.fromSigned(r.nextLong()) : r.nextBoolean() ? 1 : Goldilocks.fromSigned(-1);
                ProverChannel.Tamper cheat = new ProverChannel.Tamper() {
                    @Override
                    public Ext2 message(int sequence, String label, Ext2 value) {
                        return value;
                    }

                    @Override
                    public void witness(long[][] items) {
                        items[it] = items[it].clone();
                        items[it][slot] = Goldilocks.add(items[it][slot], delta);
                    }
                };
                Proof p = AdversarialProver.prove(pk, trace, Visibility.PUBLIC, Visibility.PUBLIC, cheat);
                assertFalse(Verifier.verify(pk.verifyingKey(), p.bytes()).valid(), pk.plan().items.get(item) + " slot " + slot + " altered and accepted");
                attacked++;
            }
        }
        assertTrue(attacked >= 8, "auxiliary items attacked: " + attacked);
    }
}
