package dev.verinfer.zkml;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pipeline.ChainSpec;
import dev.verinfer.pipeline.ChainStep;
import dev.verinfer.pipeline.ChainVerdict;
import dev.verinfer.pipeline.ChainVerifier;
import dev.verinfer.pipeline.Link;
import dev.verinfer.zkml.layout.PaddedShape;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two-step chains through {@link ChainVerifier} under the adversarial prover: step A (a random graph, output
 * committed) feeds step B (a random graph on A's output, input committed, output public). The prover
 * overwrites a committed entry of A's output (real or padding, any field element) — step B then computes
 * on exactly that committed table — or a committed entry inside B, and re-derives the rest honestly. An
 * accepted chain's final output must be the integer composition B(A(x)) on the public input x.
 */
class ChainSoundnessTest {
    private record Chain(ProvingKey a, ProvingKey b, ChainSpec spec) {}

    private static Chain chain(QuantGraph ga, QuantGraph gb) {
        ProvingKey a = Setup.setup(ga, PcsSecurity.CONJECTURED);
        ProvingKey b = Setup.setup(gb, PcsSecurity.CONJECTURED);
        ChainSpec spec = new ChainSpec(List.of(new ChainStep("a", a.verifyingKey()), new ChainStep("b", b.verifyingKey())), List.of(new Link(0, 0, 1, 0)));
        return new Chain(a, b, spec);
    }

    /** Proves the chain from A's trace (rewritten by {@code onA}) and B's (rewritten by {@code onB}); fails on a false accepted chain. */
    private static boolean attack(Chain c, float[] x, AdversarialProver.Rewrite onA, AdversarialProver.Rewrite onB, String what) {
        QuantGraph ga = c.a().graph();
        QuantGraph gb = c.b().graph();
        Execution honestA = IntegerExecutor.execute(ga, Map.of("x", x));
        long[][] traceA = AdversarialProver.trace(c.a(), AdversarialProver.inputsOf(ga, honestA), onA);
        int out = ga.outputs().getFirst();
        int in = gb.inputs().getFirst();
        long[] handOver = traceA[out];
        AdversarialProver.Rewrite consume = (t, padded, trace) -> onB.apply(t, t == in ? handOver.clone() : padded, trace);
        long[][] traceB = AdversarialProver.trace(c.b(), Map.of(in, AdversarialProver.FieldOps.realOf(c.a().plan().shapes[out], handOver)), consume);
        Proof pa = AdversarialProver.prove(c.a(), traceA, Visibility.PUBLIC, Visibility.COMMITTED);
        Proof pb = AdversarialProver.prove(c.b(), traceB, Visibility.COMMITTED, Visibility.PUBLIC);
        ChainVerdict v = ChainVerifier.verify(c.spec(), List.of(pa.bytes(), pb.bytes()));
        if (!v.valid()) {
            return false;
        }
        long[] truth;
        try (IntegerExecutor e = new IntegerExecutor(1)) {
            truth = e.runQuantised(gb, Map.of(gb.tensor(in).name(), honestA.value(out))).value(gb.outputs().getFirst());
        }
        if (!Arrays.equals(truth, v.finalOutputs().getFirst())) {
            throw new AssertionError("FORGERY: chain accepted with output " + Arrays.toString(v.finalOutputs().getFirst())
                    + ", the composition gives " + Arrays.toString(truth) + " (" + what + ")");
        }
        return true;
    }

    /** Issue 10 (2) through the chain: A = Rescale(x, 4) committed, B = Rescale(16·in, 4) (the identity on integers). */
    @Test
    void nonIntegerCommittedOutputDoesNotPassThroughAChain() {
        TestGraphs ta = new TestGraphs(1);
        int x = ta.input("x", 8, 12, 1, 4);
        int q = ta.node("q", new QOp.Rescale(x, 4), 4, 9, 1, 4);
        ta.output(q);
        TestGraphs tb = new TestGraphs(2);
        int in = tb.input("x", 4, 9, 1, 4);
        int wide = tb.node("wide", new QOp.MulConst(in, 16, 4), 8, 13, 1, 4);
        int y = tb.node("y", new QOp.Rescale(wide, 4), 4, 10, 1, 4);
        tb.output(y);
        Chain c = chain(ta.build(), tb.build());
        float[] input = {1, -1, 0.5f, 2};
        assertTrue(attack(c, input, AdversarialProver.Rewrite.NONE, AdversarialProver.Rewrite.NONE, "honest"), "honest chain rejected");
        for (long r = 0; r < 16; r++) {
            long remainder = r;
            attack(c, input, AdversarialProver.overwrite(q, 0, (h, tr) -> AdversarialProver.nonIntegerQuotient(tr[x][0], 4, remainder)),
                    AdversarialProver.Rewrite.NONE, "non-integer quotient in A's committed output, remainder " + r);
        }
        attack(c, input, AdversarialProver.overwrite(q, 1, (h, tr) -> Goldilocks.add(h, 1)), AdversarialProver.Rewrite.NONE, "A's output + 1");
    }

    @Property(tries = 6)
    void randomChainsAdmitNoForgery(@ForAll @LongRange(min = 1, max = 1_000_000_000) long seed) {
        QuantGraph ga = RandomGraphs.generate(seed, null);
        QTensor out = ga.tensor(ga.outputs().getFirst());
        QuantGraph gb = RandomGraphs.generate(seed + 1, null, out.shape(), out.bits());
        Chain c = chain(ga, gb);
        float[] x = TestGraphs.randomInput(seed, ga.tensor(ga.inputs().getFirst()).size(), 3.9);
        assertTrue(attack(c, x, AdversarialProver.Rewrite.NONE, AdversarialProver.Rewrite.NONE, "honest"),
                "honest chain rejected\n" + RandomGraphSoundnessTest.describe(ga) + "then\n" + RandomGraphSoundnessTest.describe(gb));
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 2 * RandomGraphSoundnessTest.SCALE; i++) {
            boolean inA = r.nextBoolean();
            ProvingKey key = inA ? c.a() : c.b();
            List<Integer> targets = inA ? List.of(ga.outputs().getFirst())
                    : AdversarialProver.committedTensors(c.b(), Visibility.COMMITTED, Visibility.PUBLIC).stream().filter(t -> t != gb.inputs().getFirst()).toList();
            if (targets.isEmpty()) {
                continue;
            }
            int target = targets.get(r.nextInt(targets.size()));
            PaddedShape shape = key.plan().shapes[target];
            int slot = RandomGraphSoundnessTest.slot(r, shape);
            AdversarialProver.Rewrite rw = AdversarialProver.overwrite(target, slot, RandomGraphSoundnessTest.value(r, key.graph(), target, slot));
            attack(c, x, inA ? rw : AdversarialProver.Rewrite.NONE, inA ? AdversarialProver.Rewrite.NONE : rw,
                    (inA ? "A" : "B") + " tensor '" + key.graph().tensor(target).name() + "' slot " + slot
                            + (AdversarialProver.isPadding(shape, slot) ? " (padding)" : "") + "\n" + RandomGraphSoundnessTest.describe(ga) + "then\n" + RandomGraphSoundnessTest.describe(gb));
        }
    }
}
