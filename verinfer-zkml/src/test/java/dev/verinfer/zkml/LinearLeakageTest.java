package dev.verinfer.zkml;

import dev.verinfer.field.Goldilocks;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leakage harness itself: unmasked relations determine a private vector at full rank; relations
 * each carrying a fresh uniform mask gain no rank for any number of them; a mask reused by two
 * relations (issue 11's lesson: a fixed mask cancels between proofs) gains rank again.
 */
class LinearLeakageTest {
    static long dot(long[] a, long[] x) {
        long s = 0;
        for (int i = 0; i < a.length; i++) {
            s = Goldilocks.add(s, Goldilocks.mul(a[i], x[i]));
        }
        return s;
    }

    static long[] random(SplittableRandom rng, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = Goldilocks.random(rng);
        }
        return v;
    }

    @Property(tries = 40)
    void unmaskedRelationsDetermineThePrivateVector(@ForAll @IntRange(min = 1, max = 24) int k, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] x = random(rng, k);
        LinearLeakage leak = new LinearLeakage(k, 0);
        for (int j = 0; j < k + 3; j++) {
            long[] a = random(rng, k);
            leak.reveal(a, new long[0], dot(a, x));
            assertEquals(Math.min(j + 1, k), leak.privateRank());
        }
        assertArrayEquals(x, leak.solve());
    }

    @Property(tries = 40)
    void freshMasksGainNoRankForAnyNumberOfRelations(@ForAll @IntRange(min = 1, max = 12) int k, @ForAll @IntRange(min = 1, max = 40) int relations,
                                                     @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] x = random(rng, k);
        long[] masks = random(rng, relations);
        LinearLeakage leak = new LinearLeakage(k, relations);
        for (int j = 0; j < relations; j++) {
            long[] a = random(rng, k);
            long[] b = new long[relations];
            b[j] = 1 + rng.nextInt(1000); // relation j is masked by its own mask m_j
            leak.reveal(a, b, Goldilocks.add(dot(a, x), dot(b, masks)));
        }
        assertEquals(0, leak.privateRank());
    }

    @Property(tries = 40)
    void aMaskReusedAcrossTwoRelationsCancels(@ForAll @IntRange(min = 1, max = 12) int k, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] x = random(rng, k);
        long mask = Goldilocks.random(rng);
        LinearLeakage leak = new LinearLeakage(k, 1);
        for (int j = 0; j < 2; j++) {
            long[] a = random(rng, k);
            leak.reveal(a, new long[] {1}, Goldilocks.add(dot(a, x), mask));
        }
        assertTrue(leak.privateRank() == 1, "the difference of two relations with one mask is a functional of x alone");
    }
}
