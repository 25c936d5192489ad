package dev.verinfer.zkml.layout;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.poly.Mle;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class WeightLayoutTest {
    /** A claim on a cut tensor is the coefficient-weighted sum of its pieces' values, and the pieces hold all its real entries. */
    @Property(tries = 80)
    void piecesRecomposeTheTensorAndItsClaims(@ForAll @IntRange(min = 1, max = 40) int rows, @ForAll @IntRange(min = 1, max = 6) int cols,
                                              @ForAll @IntRange(min = 1, max = 9) int other, @ForAll boolean leadingOne) {
        PaddedShape w = leadingOne ? new PaddedShape(new int[] {1, rows, cols}) : new PaddedShape(new int[] {rows, cols});
        PaddedShape b = new PaddedShape(new int[] {other});
        SplittableRandom rng = new SplittableRandom(rows * 1000L + cols * 10 + other);
        long[][] padded = {w.pad(random(rng, (int) w.realSize())), b.pad(random(rng, other))};
        WeightLayout layout = new WeightLayout(new PaddedShape[] {w, b}, true);
        long[] packed = layout.pack(padded);
        for (int t = 0; t < 2; t++) {
            assertArrayEquals(padded[t], layout.tensor(packed, t), "tensor " + t + " read back");
            Ext2[] r = new Ext2[t == 0 ? w.numVars() : b.numVars()];
            for (int j = 0; j < r.length; j++) {
                r[j] = Ext2.random(rng);
            }
            Ext2 sum = Ext2.ZERO;
            long real = 0;
            for (int item : layout.piecesOf(t)) {
                PaddedShape piece = layout.piece(item).shape();
                int offset = (int) layout.packing().offset(item);
                long[] table = java.util.Arrays.copyOfRange(packed, offset, offset + piece.paddedSize());
                sum = sum.add(layout.coefficient(item, r).mul(Mle.evaluate(table, java.util.Arrays.copyOf(r, piece.numVars()))));
                real += piece.realSize();
            }
            assertEquals(t == 0 ? w.realSize() : b.realSize(), real, "the pieces hold every real entry of tensor " + t);
            assertEquals(Mle.evaluate(padded[t], r), sum, "claim on tensor " + t);
        }
    }

    /** alexa_v0.1's weights: 2^18 slots cut, 2^19 whole. */
    @Test
    void alexasWeightsFitTwoToTheEighteen() {
        PaddedShape[] shapes = {new PaddedShape(new int[] {1536, 128}), new PaddedShape(new int[] {128}), new PaddedShape(new int[] {128, 128}),
                new PaddedShape(new int[] {128}), new PaddedShape(new int[] {128, 1}), new PaddedShape(new int[] {1})};
        assertEquals(18, new WeightLayout(shapes, true).numVars());
        assertEquals(19, new WeightLayout(shapes, false).numVars());
        assertEquals(2, new WeightLayout(shapes, true).piecesOf(0).length);
    }

    private static long[] random(SplittableRandom rng, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = Goldilocks.fromSigned(rng.nextLong(-1000, 1000));
        }
        return v;
    }
}
