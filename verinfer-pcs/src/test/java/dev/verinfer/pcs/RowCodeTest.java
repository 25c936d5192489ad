package dev.verinfer.pcs;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RowCodeTest {
    static long horner(long[] c, int from, int len, long x) {
        long acc = 0;
        for (int i = len - 1; i >= 0; i--) {
            acc = Goldilocks.add(Goldilocks.mul(acc, x), c[from + i]);
        }
        return acc;
    }

    /** Symbol s·2^b + i of row r is the row polynomial at ω_N^s·ω_H^i, and the points are all of ⟨ω_N⟩. */
    @Property(tries = 60)
    void rowsEncodeAsReedSolomonOnCosets(@ForAll @IntRange(min = 0, max = 8) int n, @ForAll @IntRange(min = 1, max = 3) int k, @ForAll long seed) {
        TensorLayout layout = TensorLayout.of(n, new TensorPcsParameters(k, 30));
        SplittableRandom rng = new SplittableRandom(seed);
        long[] table = PcsTest.randomTable(n, rng);
        long[][] segments = RowCode.encodeRows(table, layout);
        long omegaN = Goldilocks.rootOfUnity(layout.logCols() + k);
        long omegaH = Goldilocks.rootOfUnity(layout.logCols());
        Set<Long> points = new HashSet<>();
        for (int j = 0; j < layout.codewordLength(); j++) {
            int s = j >>> layout.logCols();
            int i = j & (layout.cols() - 1);
            long x = Goldilocks.mul(Goldilocks.pow(omegaN, s), Goldilocks.pow(omegaH, i));
            points.add(x);
            for (int r = 0; r < layout.rows(); r++) {
                assertEquals(horner(table, r * layout.cols(), layout.cols(), x), RowCode.symbol(segments, layout, r, j), "row " + r + " symbol " + j);
            }
        }
        assertEquals(layout.codewordLength(), points.size(), "distinct evaluation points");

        ExtVector row = ExtVector.zeros(layout.cols());
        for (int i = 0; i < layout.cols(); i++) {
            row.set(i, Ext2.random(rng));
        }
        ExtVector encoded = RowCode.encode(row, layout);
        for (int j = 0; j < layout.codewordLength(); j++) {
            int s = j >>> layout.logCols();
            long x = Goldilocks.mul(Goldilocks.pow(omegaN, s), Goldilocks.pow(omegaH, j & (layout.cols() - 1)));
            assertEquals(new Ext2(horner(row.c0(), 0, layout.cols(), x), horner(row.c1(), 0, layout.cols(), x)), encoded.get(j));
        }
    }
}
