package dev.verinfer.zkml;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QNode;
import dev.verinfer.model.quant.QOp;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.layout.PaddedShape;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soundness property over random small graphs of every op, each visibility and batches: a prover
 * that overwrites a committed entry (real or padding) with a random field element, a non-integer
 * Rescale quotient, a neighbouring integer or a small integer, and re-derives everything downstream
 * honestly, never gets a statement accepted that differs from the integer executor's. Every honest
 * proof must verify (so the forgeries are attempted on a working prover).
 *
 * <p>CI runs a few tampers per graph; {@code -Dverinfer.soundness.scale=N} runs N times as many.
 */
class RandomGraphSoundnessTest {
    static final int SCALE = Integer.getInteger("verinfer.soundness.scale", 1);

    /** Each op family first in a graph, with each visibility pair, once. */
    @Test
    void everyOpAndVisibilityAdmitsNoForgery() {
        RandomGraphs.Family[] families = RandomGraphs.Family.values();
        Visibility[] vis = Visibility.values();
        for (int i = 0; i < families.length; i++) {
            attack(1000 + i, families[i], vis[i % 2], vis[(i / 2) % 2], 1, 2 * SCALE);
        }
    }

    @Property(tries = 12)
    void randomGraphsAdmitNoForgery(@ForAll @LongRange(min = 1, max = 1_000_000_000) long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Visibility in = r.nextBoolean() ? Visibility.PUBLIC : Visibility.COMMITTED;
        Visibility out = r.nextBoolean() ? Visibility.PUBLIC : Visibility.COMMITTED;
        int batch = in == Visibility.PUBLIC ? new int[] {1, 2, 3}[r.nextInt(3)] : 1;
        attack(seed, null, in, out, batch, 2 * SCALE);
    }

    /**
     * Non-power-of-two batches over graphs with broadcasts and keepdims=0 reductions: graphs the stacking
     * refuses (it names the node) are skipped until enough batchable ones have been attacked.
     */
    @Test
    void batchesAdmitNoForgery() {
        RandomGraphs.Family[] firsts = {RandomGraphs.Family.ADD_SUB, RandomGraphs.Family.REDUCE_SUM, RandomGraphs.Family.MATMUL_ACTIVATIONS, RandomGraphs.Family.MUL};
        int batched = 0;
        for (int seed = 2000; batched < 4 && seed < 2200; seed++) {
            if (batchable(seed, firsts[seed % firsts.length], 3)) {
                attack(seed, firsts[seed % firsts.length], Visibility.PUBLIC, seed % 2 == 0 ? Visibility.PUBLIC : Visibility.COMMITTED, 3, 2 * SCALE);
                batched++;
            }
        }
        assertTrue(batched == 4, "too few batchable graphs: " + batched);
        for (int seed = 2200; seed < 2400; seed++) {
            if (batchable(seed, RandomGraphs.Family.MATMUL_WEIGHT, 64)) {
                attack(seed, RandomGraphs.Family.MATMUL_WEIGHT, Visibility.PUBLIC, Visibility.PUBLIC, 64, SCALE);
                return;
            }
        }
        throw new AssertionError("no batchable graph for B = 64");
    }

    /**
     * Zero-knowledge mode on: random graphs that zero knowledge covers (no weights; public input and output,
     * {@link ZeroKnowledge#uncovered}), proven on the hiding stand-in, admit no forgery either.
     */
    @Test
    void zeroKnowledgeProofsAdmitNoForgery() {
        int attacked = 0;
        for (int seed = 3000; attacked < 6 && seed < 3600; seed++) {
            QuantGraph g = RandomGraphs.generate(seed, null);
            // Weight-bearing covered graphs need the real hiding commitment's mask face (ZkMatMulProofTest); the stand-in has none.
            if (ZeroKnowledge.uncovered(g).isEmpty() && g.tensors().stream().noneMatch(t -> t.kind() == dev.verinfer.model.quant.QTensor.Kind.WEIGHT)) {
                attack(seed, null, Visibility.PUBLIC, Visibility.PUBLIC, 1, 2 * SCALE, true);
                attacked++;
            }
        }
        assertTrue(attacked == 6, "too few random graphs without private values: " + attacked);
    }

    private static boolean batchable(long seed, RandomGraphs.Family first, int batch) {
        try {
            Setup.setup(RandomGraphs.generate(seed, first), PcsSecurity.CONJECTURED).batched(batch);
            return true;
        } catch (UnsupportedGraphException | IllegalArgumentException refused) {
            return false;
        }
    }

    /**
     * Proves one random graph honestly (it must verify), then {@code tampers} forged traces.
     *
     * @return the number of forged proofs accepted (each with a true statement)
     */
    static int attack(long seed, RandomGraphs.Family first, Visibility in, Visibility out, int batch, int tampers) {
        return attack(seed, first, in, out, batch, tampers, false);
    }

    /** As above, in zero-knowledge mode when {@code zk} (on {@link HidingStandInPcs} until the PCS has hiding commitments). */
    static int attack(long seed, RandomGraphs.Family first, Visibility in, Visibility out, int batch, int tampers, boolean zk) {
        QuantGraph g = RandomGraphs.generate(seed, first);
        ProvingKey base = zk
                ? Setup.setup(g, PcsSecurity.CONJECTURED, true, ZkMatMulProofTest.SMALL_BUDGET, new HidingStandInPcs(PcsSecurity.CONJECTURED.pcs()), new byte[SeededMasks.SEED_BYTES], w -> w)
                : Setup.setup(g, PcsSecurity.CONJECTURED);
        ProvingKey pk;
        try {
            pk = base.batched(batch);
        } catch (UnsupportedGraphException | IllegalArgumentException refused) {
            pk = base; // a graph the stacking refuses (with its reason) is proven one inference at a time
            batch = 1;
        }
        int n = g.tensor(g.inputs().getFirst()).size();
        float[] x = new float[n * batch];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(TestGraphs.randomInput(seed * 7 + b, n, 3.9), 0, x, b * n, n);
        }
        Execution honest = IntegerExecutor.execute(pk.graph(), Map.of("x", x));
        Map<Integer, long[]> inputs = AdversarialProver.inputsOf(pk.graph(), honest);
        String where = "graph seed " + seed + " (" + first + "), inputs " + in + ", outputs " + out + ", batch " + batch + (zk ? ", zero-knowledge" : "");
        long[][] honestTrace = AdversarialProver.trace(pk, inputs, AdversarialProver.Rewrite.NONE);
        assertTrue(AdversarialProver.assertNoForgery(pk, honestTrace, in, out, "honest, " + where), "honest proof rejected: " + where + "\n" + describe(g));
        SplittableRandom r = new SplittableRandom(seed ^ 0xC0FFEE);
        List<Integer> targets = AdversarialProver.committedTensors(pk, in, out);
        int accepted = 0;
        for (int t = 0; t < tampers && !targets.isEmpty(); t++) {
            int target = targets.get(r.nextInt(targets.size()));
            PaddedShape shape = pk.plan().shapes[target];
            int slot = slot(r, shape);
            AdversarialProver.SlotValue value = value(r, pk.graph(), target, slot);
            long[][] forged = AdversarialProver.trace(pk, inputs, AdversarialProver.overwrite(target, slot, value));
            String what = where + ", tensor '" + pk.graph().tensor(target).name() + "' slot " + slot
                    + (AdversarialProver.isPadding(shape, slot) ? " (padding)" : "") + "\n" + describe(g);
            if (AdversarialProver.assertNoForgery(pk, forged, in, out, what)) {
                accepted++;
            }
        }
        return accepted;
    }

    /** A padding slot half the time (when there is padding), else a real one. */
    static int slot(SplittableRandom r, PaddedShape shape) {
        if (shape.paddedSize() > shape.realSize() && r.nextBoolean()) {
            while (true) {
                int s = r.nextInt(shape.paddedSize());
                if (AdversarialProver.isPadding(shape, s)) {
                    return s;
                }
            }
        }
        return shape.paddedIndex(r.nextLong(shape.realSize()));
    }

    /** A random field element, a non-integer Rescale quotient with an in-range remainder, a neighbour, or a small integer. */
    static AdversarialProver.SlotValue value(SplittableRandom r, QuantGraph g, int target, int slot) {
        long random = Goldilocks.fromSigned(r.nextLong());
        long small = Goldilocks.fromSigned(r.nextLong(-(1 << 14), 1 << 14));
        long sign = r.nextBoolean() ? 1 : Goldilocks.fromSigned(-1);
        QOp.Rescale rescale = producer(g, target) instanceof QOp.Rescale s ? s : null;
        long remainder = rescale == null ? 0 : r.nextLong(1L << Math.min(rescale.k(), 62));
        int pick = r.nextInt(rescale != null ? 4 : 3);
        return switch (pick) {
            case 0 -> (honest, trace) -> random;
            case 1 -> (honest, trace) -> Goldilocks.add(honest, sign);
            case 2 -> (honest, trace) -> small;
            default -> (honest, trace) -> AdversarialProver.nonIntegerQuotient(trace[rescale.x()][slot], rescale.k(), remainder);
        };
    }

    private static QOp producer(QuantGraph g, int tensor) {
        for (QNode n : g.nodes()) {
            if (n.output() == tensor) {
                return n.op();
            }
        }
        return null;
    }

    static String describe(QuantGraph g) {
        StringBuilder sb = new StringBuilder();
        for (QNode n : g.nodes()) {
            sb.append("  ").append(g.tensor(n.output()).name()).append(java.util.Arrays.toString(g.tensor(n.output()).shape()))
                    .append(" = ").append(n.op()).append('\n');
        }
        return sb.toString();
    }
}
