package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.poly.Mle;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link EqAtIndices}, the split form of eq(p, i) that {@link MaskLinearClaims}' verifier evaluates W̃(ρ) with, against the
 * forms it replaces: the product over p's variables (index bit j ↔ variable j, bits at or above n ignored) at random indices,
 * and the direct sum Σ_x W[x]·eq(ρ, x) over the cube — the MLE of the dense table the prover builds — for random sparse W.
 */
class EqAtIndicesTest {
    private static Ext2[] point(SplittableRandom rng, int n) {
        Ext2[] p = new Ext2[n];
        for (int j = 0; j < n; j++) {
            p[j] = Ext2.random(rng);
        }
        return p;
    }

    /** eq(p, bits of i) as a product over the n variables. */
    private static Ext2 product(Ext2[] p, int index) {
        Ext2 e = Ext2.ONE;
        for (int j = 0; j < p.length; j++) {
            e = e.mul(((index >>> j) & 1) == 1 ? p[j] : Ext2.ONE.sub(p[j]));
        }
        return e;
    }

    @Property(tries = 60)
    void agreesWithTheProductAtAnyIndex(@ForAll @IntRange(min = 0, max = 24) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Ext2[] p = point(rng, n);
        EqAtIndices eq = new EqAtIndices(p);
        for (int k = 0; k < 64; k++) {
            int index = rng.nextInt(); // bits at or above n too
            assertEquals(product(p, index), eq.at(index), "n = " + n + ", index " + index);
        }
        for (int index = 0; index < Math.min(1 << n, 256); index++) {
            assertEquals(product(p, index), eq.at(index), "n = " + n + ", index " + index);
        }
    }

    @Property(tries = 40)
    void sparseSumIsTheDenseTablesMle(@ForAll @IntRange(min = 0, max = 12) int n, @ForAll @IntRange(min = 1, max = 40) int entries,
                                      @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Ext2[] rho = point(rng, n);
        ExtVector dense = ExtVector.zeros(1 << n);
        EqAtIndices eq = new EqAtIndices(rho);
        Ext2 sparse = Ext2.ZERO;
        for (int k = 0; k < entries; k++) {
            int e = rng.nextInt(1 << n); // repeated entries add up, as in the prover's table
            Ext2 w = Ext2.random(rng);
            dense.set(e, dense.get(e).add(w));
            sparse = sparse.add(w.mul(eq.at(e)));
        }
        assertEquals(Mle.evaluate(dense, rho), sparse);
    }
}
