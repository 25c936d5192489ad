package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.poly.Mle;
import dev.verinfer.sumcheck.ProductTerm;
import dev.verinfer.zkml.layout.Indicators;
import dev.verinfer.zkml.layout.PaddedShape;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The one-hot statement that replaced published argmax indices (MaxLayers.OneHot), on the tables a
 * prover could commit: its sum equals what the verifier expects for the honest selector, and differs
 * (so the sumcheck rejects) for each cheating selector that would let a wrong maximum through the
 * range check y ≥ x: a non-boolean selector summing to 1 that "selects" a value above the maximum,
 * a 1 in a padding slot (where x is 0, above negative real values), and two ones.
 * Whole proofs with the honest selector, and a claimed maximum above every value, are covered by
 * ProofSoundnessTest and VisibilityTest (wideMaxima).
 */
class OneHotSelectorTest {
    record Setting(ProofPlan plan, MaxLayers.ArgmaxCheck check, PaddedShape xs, PaddedShape ys) {}

    static Setting setting() {
        QuantGraph g = TestGraphs.wideMaxima(5); // x[2,20] → ReduceMax over the 20: two groups
        ProofPlan plan = Setup.setup(g).plan();
        MaxLayers.ArgmaxCheck a = plan.argmaxChecks.getFirst();
        return new Setting(plan, a, plan.shapes[a.x()], plan.shapes[a.output()]);
    }

    /** Σ_x of the statement's integrand minus the verifier's expected sum, for the given tables and y. */
    static Ext2 discrepancy(Setting s, long[] x, long[] selector, long[] y, SplittableRandom rng) {
        MaxLayers.OneHot h = MaxLayers.OneHot.draw(s.plan(), s.check(), randomPoint(rng, s.xs().numVars()), randomPoint(rng, s.ys().numVars()));
        Ext2[] gamma = randomPoint(rng, 3);
        ExtVector eq = Mle.eqTable(h.tau());
        ExtVector k = h.groupTable();
        long[] ind = Indicators.realRegionTable(s.xs());
        List<ProductTerm> terms = MaxLayers.OneHot.terms(gamma);
        Ext2 sum = Ext2.ZERO;
        for (int i = 0; i < x.length; i++) {
            sum = sum.add(ProductTerm.evaluate(terms, new Ext2[] {eq.get(i), Ext2.of(selector[i]), k.get(i), Ext2.of(ind[i]), Ext2.of(x[i])}));
        }
        Ext2 expected = gamma[0].mul(Ext2.ONE.add(gamma[1])).mul(Indicators.realRegion(h.kept(), h.groupPoint()))
                .add(gamma[2].mul(Mle.evaluate(y, h.groupPoint())));
        return sum.sub(expected);
    }

    static Ext2[] randomPoint(SplittableRandom rng, int n) {
        Ext2[] p = new Ext2[n];
        for (int i = 0; i < n; i++) {
            p[i] = Ext2.random(rng);
        }
        return p;
    }

    /** Real values of x (two groups of 20 in a padded [2, 32]), each group's maximum and its index. */
    record Data(long[] x, long[] y, int[] argmax) {}

    static Data data(Setting s, SplittableRandom rng, boolean negative) {
        long[] x = new long[s.xs().paddedSize()];
        long[] y = new long[s.ys().paddedSize()];
        int[] argmax = new int[2];
        for (int g = 0; g < 2; g++) {
            long best = Long.MIN_VALUE;
            for (int j = 0; j < 20; j++) {
                long v = negative ? -1 - rng.nextInt(1000) : rng.nextInt(1000);
                int at = s.xs().paddedIndex(g * 20L + j);
                x[at] = Goldilocks.fromSigned(v);
                if (v > best) {
                    best = v;
                    argmax[g] = at;
                }
            }
            y[s.ys().paddedIndex(g)] = Goldilocks.fromSigned(best);
        }
        return new Data(x, y, argmax);
    }

    static long[] oneHot(Setting s, int... positions) {
        long[] sel = new long[s.xs().paddedSize()];
        for (int p : positions) {
            sel[p] = Goldilocks.add(sel[p], 1);
        }
        return sel;
    }

    @Property(tries = 20)
    void theHonestSelectorSatisfiesTheStatement(@ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Setting s = setting();
        Data d = data(s, rng, rng.nextBoolean());
        assertEquals(Ext2.ZERO, discrepancy(s, d.x(), oneHot(s, d.argmax()), d.y(), rng));
    }

    @Property(tries = 20)
    void aNonBooleanSelectorForALargerMaximumIsRejected(@ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Setting s = setting();
        Data d = data(s, rng, false);
        // Group 0 claims y' = max + δ: s = (1 + t) at the maximum and −t at another index, Σ s = 1,
        // Σ s·x = max + t·(max − x_other) = y' for t = δ / (max − x_other).
        int other = s.xs().paddedIndex(rng.nextInt(20));
        while (d.x()[other] == d.x()[d.argmax()[0]]) {
            other = s.xs().paddedIndex(rng.nextInt(20));
        }
        long max = d.x()[d.argmax()[0]];
        long delta = 1 + rng.nextInt(100);
        long t = Goldilocks.mul(delta, Goldilocks.inverse(Goldilocks.sub(max, d.x()[other])));
        long[] sel = oneHot(s, d.argmax());
        sel[d.argmax()[0]] = Goldilocks.add(1, t);
        sel[other] = Goldilocks.neg(t);
        long[] y = d.y().clone();
        y[s.ys().paddedIndex(0)] = Goldilocks.add(max, delta);
        assertNotEquals(Ext2.ZERO, discrepancy(s, d.x(), sel, y, rng));
    }

    @Property(tries = 20)
    void aOneInAPaddingSlotIsRejected(@ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Setting s = setting();
        Data d = data(s, rng, true); // all values negative: the padding's 0 would be "above" them
        int padding = d.argmax()[0] - (d.argmax()[0] % 32) + 20 + rng.nextInt(12); // group 0, reduced index 20…31
        long[] y = d.y().clone();
        y[s.ys().paddedIndex(0)] = 0;
        assertNotEquals(Ext2.ZERO, discrepancy(s, d.x(), oneHot(s, padding, d.argmax()[1]), y, rng));
    }

    @Property(tries = 20)
    void twoOnesInAGroupAreRejected(@ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Setting s = setting();
        Data d = data(s, rng, false);
        int other = s.xs().paddedIndex(rng.nextInt(20));
        while (other == d.argmax()[0]) {
            other = s.xs().paddedIndex(rng.nextInt(20));
        }
        long[] y = d.y().clone();
        y[s.ys().paddedIndex(0)] = Goldilocks.add(d.x()[d.argmax()[0]], d.x()[other]);
        assertNotEquals(Ext2.ZERO, discrepancy(s, d.x(), oneHot(s, d.argmax()[0], other, d.argmax()[1]), y, rng));
    }
}
