package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.poly.Mle;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Iteration 0 from the tables' contractions against iteration 0 on F's and the weight's tables over all the variables: the same
 * cross values, messages, F₁ and w₁, for tables lifted by less than, exactly and more than the first fold, and points with lifted
 * zero prefixes and boolean suffixes (a batch member's claims at block indices), the points added in one group or two (the
 * second with the top member's tables contracted ahead).
 */
class ContractionsTest {
    @Property(tries = 60)
    void iterationZeroIsTheTablesOne(@ForAll @IntRange(min = 1, max = 11) int vars, @ForAll @IntRange(min = 1, max = 4) int foldAsked,
                                     @ForAll @IntRange(min = 1, max = 3) int members, @ForAll @IntRange(min = 1, max = 7) int pointCount,
                                     @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int fold = Math.min(foldAsked, vars);
        long[][] tables = new long[2 * members][];
        int[] memberVars = new int[members];
        for (int j = 0; j < members; j++) {
            memberVars[j] = j == 0 ? vars : Math.max(0, vars - rng.nextInt(7)); // the top member has all the variables
            tables[2 * j] = randomTable(memberVars[j], rng);
            tables[2 * j + 1] = randomTable(memberVars[j], rng);
        }
        List<Ext2[]> points = new ArrayList<>();
        for (int c = 0; c < pointCount; c++) {
            int owner = rng.nextInt(members);
            Ext2[] own = new Ext2[memberVars[owner]];
            int booleans = rng.nextInt(own.length + 1) / 2;
            for (int i = 0; i < own.length; i++) {
                own[i] = i >= own.length - booleans ? Ext2.of(rng.nextInt(2)) : Ext2.random(rng);
            }
            points.add(Batching.lift(own, vars));
        }
        // added in two groups, as a hiding batch adds each member's points when they are drawn (one group: Contractions.of)
        Contractions contractions = new Contractions(tables, vars, fold);
        int split = rng.nextInt(points.size() + 1);
        assertEquals(0, contractions.add(points.subList(0, split)), "the first group's points are numbered from 0");
        // the second group with the top member's two tables contracted ahead (Contractions.at), as a reserve contracts the weights'
        // f′ and g at f′'s commit points: those tables are not read
        List<Ext2[]> second = points.subList(split, points.size());
        java.util.Map<Integer, Ext2[][]> ahead = java.util.Map.of(0, Contractions.at(tables[0], second, vars, fold), 1, Contractions.at(tables[1], second, vars, fold));
        assertEquals(split, contractions.add(second, ahead), "the second group's from the first's count");
        for (int c = 0; c < points.size(); c++) {
            for (int t = 0; t < tables.length; t++) {
                assertEquals(Mle.evaluate(lifted(tables[t], vars), points.get(c)), contractions.value(c, t), "T̃_" + t + "(p_" + c + ")");
            }
        }

        Ext2[] kappa = new Ext2[tables.length];
        for (int t = 0; t < kappa.length; t++) {
            kappa[t] = t == 0 ? Ext2.ONE : Ext2.random(rng);
        }
        Ext2 beta = Ext2.random(rng);
        Contractions.Sumcheck sumcheck = contractions.sumcheck(kappa, beta);
        ExtVector f = Batching.combine(tables, vars, kappa);
        ExtVector w = Batching.constraintWeight(points, beta, vars);
        for (int s = 0; s < fold; s++) {
            assertArrayEquals(FoldKernels.message(f, w), sumcheck.message(), "message of round " + s);
            Ext2 alpha = Ext2.random(rng);
            FoldKernels.Step step = FoldKernels.fold(null, f, w, alpha, false);
            f = step.f();
            w = step.w();
            sumcheck.bind(alpha);
        }
        assertArrayEquals(f.toArray(), sumcheck.folded().toArray(), "F₁");
        assertArrayEquals(w.toArray(), sumcheck.weight().toArray(), "w₁");
    }

    private static long[] randomTable(int vars, SplittableRandom rng) {
        long[] t = new long[1 << vars];
        for (int i = 0; i < t.length; i++) {
            t[i] = Goldilocks.random(rng);
        }
        return t;
    }

    /** T̃[x] = T[x >> d] over {@code vars} variables ({@link Batching}'s lift). */
    private static long[] lifted(long[] table, int vars) {
        int d = vars - Integer.numberOfTrailingZeros(table.length);
        long[] out = new long[1 << vars];
        for (int x = 0; x < out.length; x++) {
            out[x] = table[x >> d];
        }
        return out;
    }
}
