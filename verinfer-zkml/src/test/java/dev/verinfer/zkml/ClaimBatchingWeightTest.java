package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.poly.Mle;
import dev.verinfer.zkml.layout.PaddedShape;
import dev.verinfer.zkml.layout.Padding;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The batch's weight table G against its definition: Σ_k α^k·eq(p_k, ·) plus α^K·eq(τ, ·) on the padding slots. */
class ClaimBatchingWeightTest {
    @Property(tries = 60)
    void weightTableIsTheSumOfItsEqTerms(@ForAll @IntRange(min = 1, max = 7) int d0, @ForAll @IntRange(min = 1, max = 9) int d1,
                                         @ForAll @IntRange(min = 0, max = 3) int claims, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        PaddedShape shape = new PaddedShape(new int[] {d0, d1});
        int n = shape.numVars();
        Padding padding = Padding.of(shape);
        List<ClaimBatching.SubcubeClaim> cs = new ArrayList<>();
        for (int k = 0; k < claims; k++) {
            cs.add(new ClaimBatching.SubcubeClaim(randomPoint(rng, n), n, 0, Ext2.random(rng)));
        }
        Ext2[] tau = randomPoint(rng, n);
        Ext2 alpha = Ext2.random(rng);

        ExtVector expected = ExtVector.zeros(1 << n);
        Ext2 power = Ext2.ONE;
        for (ClaimBatching.SubcubeClaim c : cs) {
            ExtVector eq = Mle.eqTable(c.parts().getFirst().local());
            for (int i = 0; i < expected.length(); i++) {
                expected.set(i, expected.get(i).add(power.mul(eq.get(i))));
            }
            power = power.mul(alpha);
        }
        ExtVector eqTau = Mle.eqTable(tau);
        Ext2 padWeight = power;
        padding.forEachSlot(i -> expected.set(i, expected.get(i).add(padWeight.mul(eqTau.get(i)))));

        assertEquals(expected, ClaimBatching.weightTable(n, cs, padding, padding.isEmpty() ? null : tau, alpha));
    }

    private static Ext2[] randomPoint(SplittableRandom rng, int n) {
        Ext2[] p = new Ext2[n];
        for (int j = 0; j < n; j++) {
            p[j] = Ext2.random(rng);
        }
        return p;
    }
}
