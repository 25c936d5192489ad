package dev.verinfer.whir;

import dev.verinfer.field.Goldilocks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WindowMask}: its draw lies on S, its encoding is the dense one, and where the prover may use it. */
class WindowMaskTest {
    /**
     * Every registered-weights and witness schedule shape (tiny and real presets): a drawn g has no coefficient off S, its
     * window encoding equals {@link Codewords#encode} of its dense coefficients, and a g with one coefficient off S is refused
     * (the caller then encodes densely).
     */
    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void theWindowEncodingIsTheDenseOne(WhirParameters.Soundness soundness) {
        SplittableRandom rng = new SplittableRandom(11 + soundness.ordinal());
        for (int n = 2; n <= 9; n++) {
            for (int budget : new int[] {1, 8, 40}) {
                WhirParameters params = WhirZeroKnowledgeTest.tiny(soundness);
                HidingLayout layout = HidingLayout.of(params, n, budget);
                WhirSchedule s = layout.schedule(params);
                WindowMask w = WindowMask.of(s);
                long[] g = w.draw(new MaskStream(new java.util.Random(rng.nextLong())));
                int logDomain = s.rounds().getFirst().logDomain();
                for (int i = 0; i < g.length; i++) {
                    assertTrue(g[i] == 0 || w.supports(i), "coefficient " + i + " off S, " + layout);
                }
                assertArrayEquals(Codewords.encode(g, logDomain), w.encode(g, logDomain), layout.toString());
                int off = firstOff(w);
                if (off >= 0) {
                    g[off] = 1;
                    assertNull(w.encode(g, logDomain), "a coefficient off S, " + layout);
                }
            }
        }
    }

    private static int firstOff(WindowMask w) {
        for (int i = 0; i < 1 << w.vars(); i++) {
            if (!w.supports(i)) {
                return i;
            }
        }
        return -1;
    }

    /** |S| by inclusion–exclusion is the count of supported monomials: windows [0, 2), [1, 4), [3, 5) of 5 variables. */
    @Test
    void monomialsCountTheSupport() {
        WindowMask w = new WindowMask(5, List.of(new int[] {0, 2}, new int[] {1, 4}, new int[] {3, 5}));
        long count = 0;
        for (int i = 0; i < 32; i++) {
            count += w.supports(i) ? 1 : 0;
        }
        assertEquals(count, w.monomials());
        assertEquals(4 + 8 + 4 - 2 - 1 - 2 + 1, w.monomials()); // pairwise ∩ [1, 2), ∅ (the constant), [3, 4); all three ∅
    }

    /**
     * At the real presets the registered weights' own openings (16 claims) and the zkml batches' members with the run's
     * schedule use a window g: the count fits S with room, S a small part of 2^v; a member whose schedule is not the run's
     * keeps a dense g.
     */
    @Test
    void theRealWeightLayoutsUseAWindowMask() {
        WhirParameters params = WhirParameters.PROVEN;
        for (int n : new int[] {11, 14, 18, 20}) {
            HidingLayout layout = HidingLayout.of(params, n, 1024);
            WhirSchedule s = layout.schedule(params);
            long count = HidingLayout.maskFunctionals(s, 16);
            long monomials = WindowMask.of(s).monomials();
            System.err.println("n=" + n + " " + layout + " windows " + WindowMask.of(s).windows().stream().map(x -> "[" + x[0] + "," + x[1] + ")").toList()
                    + " |S| " + monomials + " of 2^" + layout.vars() + ", maskFunctionals(16) " + count);
            assertTrue(WindowMask.hides(s, s, count), layout.toString());
            assertTrue(monomials * 8 <= 1L << layout.vars(), layout.toString());
            WhirSchedule below = params.hidingSchedule(layout.vars() - 1, layout.firstFold());
            assertFalse(WindowMask.hides(s, below, count), "a run whose top has fewer variables, " + layout);
        }
        // The zkml batches (PROVEN): melspectrogram's weights (2^20 → 21, k₀ 4) beside a witness of 21 (same schedule);
        // embedding_model's (2^20 → 21) and ch_ppocr_mobile_v2.0_cls's (2^18 → 19, k₀ 2) under a witness of 22 (k₀ 4), lifted.
        for (int[] c : new int[][] {{20, 21}, {20, 22}, {18, 22}}) {
            HidingLayout layout = HidingLayout.of(params, c[0], 1024);
            WhirSchedule s = layout.schedule(params);
            WhirSchedule run = params.hidingSchedule(c[1], 4);
            long count = HidingLayout.maskFunctionals(s, 64);
            WindowMask w = WindowMask.of(s, run);
            System.err.println("n=" + c[0] + " under " + c[1] + ": windows " + w.windows().stream().map(x -> "[" + x[0] + "," + x[1] + ")").toList()
                    + " |S| " + w.monomials() + ", maskFunctionals(64) " + count);
            assertTrue(WindowMask.hides(s, run, count) && w.monomials() * 8 <= 1L << layout.vars(), layout + " under " + c[1]);
        }
        assertEquals(Goldilocks.rootOfUnity(20), Goldilocks.mul(Goldilocks.rootOfUnity(21), Goldilocks.rootOfUnity(21)));
    }
}
