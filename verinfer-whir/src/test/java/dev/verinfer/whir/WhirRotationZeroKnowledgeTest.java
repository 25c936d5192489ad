package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.pcs.PcsClaim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.verinfer.whir.WhirPcsTest.randomTable;
import static dev.verinfer.whir.WhirPcsTest.transcript;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zero knowledge of a rotation ({@link WhirRotation}) as {@link WhirZeroKnowledgeTest}'s rank test: the rotation a → b
 * (alone, and between an opening under a and one under b), every value written as a functional of f, ĥ_a, ĥ_b and each
 * run's g ({@link WhirOpeningExtractor#rotation}, checked against the true values), and the rank they gain on f beyond the
 * openings' claims once the masks are eliminated: 0, or the rotation is refused ({@link HidingLayout#rotationHides}). With
 * the rotation's g taken as known the same rows gain rank (z then gives f(r)): the test can fail.
 *
 * <p>The "leak" this test pinned until 2026-12-05 (one extension functional of f gained for n = 3–5) was the test's own:
 * f's columns are shared by the f′_a and f′_b blocks, and its matrix wrote a row's b-coefficient of f over its
 * a-coefficient instead of adding them, so every row of F = f′_a + μ·f′_b + ρ(1 + μ)·g read f with μ in place of 1 + μ —
 * an inconsistent system, whose elimination against z produced a functional of f. Adding them, every regime gains 0. The
 * fixed test then found the one real case: with n = 1 under unique decoding the rotation alone revealed f (2 functionals),
 * because z's face saturates g's 2-coefficient face; {@link HidingLayout#rotationHides} refuses it.
 */
class WhirRotationZeroKnowledgeTest {
    private static final int BUDGET = 12;

    @ParameterizedTest
    @EnumSource(WhirParameters.Soundness.class)
    void aRotationGainsNoRankOnTheTableOrIsRefused(WhirParameters.Soundness soundness) throws Exception {
        WhirParameters params = WhirZeroKnowledgeTest.tiny(soundness);
        WhirPcs pcs = new WhirPcs(params);
        int refused = 0;
        for (int n = 0; n <= 5; n++) {
            refused += rotateAndCount(params, pcs, n, BUDGET, false) ? 0 : 1;
        }
        assertTrue(refused >= 1 && refused <= (soundness == WhirParameters.Soundness.UNIQUE_DECODING ? 3 : 2),
                "only the smallest tables are refused (n = 0 always: z would give f): " + refused + ", " + soundness);
        rotateAndCount(params, pcs, 4, BUDGET, true); // b = a: one mask ĥ, both members' functionals on it
        if (soundness != WhirParameters.Soundness.JOHNSON_BOUND) { // (v = 12 there: minutes of elimination)
            assertTrue(rotateAndCount(params, pcs, 4, 100, false), "budget 100, v = 11");
        }
    }

    /** The rule on the real presets: only tables of a few variables are refused, none a model's weights. */
    @Test
    void onlyTablesOfAFewVariablesAreRefusedOnTheRealPresets() {
        for (WhirParameters params : List.of(WhirParameters.PROVEN, WhirParameters.PROVEN_UNIQUE, WhirParameters.CONJECTURED)) {
            for (int budget : new int[] {4, 16, 1024}) {
                for (int n = 0; n <= 20; n++) {
                    boolean hides = HidingLayout.of(params, n, budget).rotationHides(params);
                    assertEquals(n >= 4 || hides, hides, params.soundness() + ", budget " + budget + ", n = " + n);
                    if (n <= 1) {
                        assertFalse(hides, params.soundness() + ", budget " + budget + ", n = " + n);
                    }
                }
            }
        }
    }

    /**
     * Rotates a fresh commitment of a random n-variable table to another (or to itself), asserts rank 0 gained by the
     * rotation alone and, where an opening of one claim is admitted and two do not fix f, between an opening under each
     * root; and (at the test's budget) that the rotation's g taken as known gains rank. False if the rotation is refused (and then asserts that
     * {@link HidingLayout#rotationHides} said so).
     */
    private static boolean rotateAndCount(WhirParameters params, WhirPcs pcs, int n, int budget, boolean self) throws Exception {
        SplittableRandom rng = new SplittableRandom(40 + n);
        long[] table = randomTable(n, rng);
        WhirHidingCommitment a = (WhirHidingCommitment) pcs.commitHiding(table, budget, new SplittableRandom(n + 1), new SplittableRandom(n + 2));
        WhirHidingCommitment b = self ? a : (WhirHidingCommitment) pcs.commitHiding(table, budget, new SplittableRandom(n + 3), new SplittableRandom(n + 4));
        String what = params.soundness() + ", n = " + n + ", " + a.layout + (self ? ", b = a" : "");
        if (!a.layout.rotationHides(params)) {
            assertThrows(IllegalArgumentException.class, () -> WhirRotation.prove(transcript(), a, b), what);
            return false;
        }
        boolean openings = 4 < 1 << n && a.layout.claimsHide(params, 1, false);
        WhirZeroKnowledgeTest.Opening underA = openings ? WhirZeroKnowledgeTest.open(params, a, table, 1, rng) : null;
        long[][] g = new long[1][];
        WhirRotation.Proof proof = WhirRotation.prove(transcript(), a, b, true, new WhirProver.Deviation() {
            @Override
            public void mask(int group, long[] coefficients) {
                g[0] = coefficients.clone();
            }
        });
        WhirRotation.Coins coins = WhirRotation.verify(params, transcript(), a.root(), b.root(), n, proof);
        List<WhirOpeningExtractor.Row> rotation = WhirOpeningExtractor.rotation(params, n, proof, coins);
        int size = a.coefficients.length;
        long[] unknowns = new long[3 * size];
        System.arraycopy(a.coefficients, 0, unknowns, 0, size);
        System.arraycopy(b.coefficients, 0, unknowns, size, size);
        System.arraycopy(g[0], 0, unknowns, 2 * size, size);
        for (WhirOpeningExtractor.Row row : rotation) {
            assertEquals(row.value(), row.apply(unknowns), "the extractor's functional of " + row.what());
        }
        WhirZeroKnowledgeTest.Opening underB = openings ? WhirZeroKnowledgeTest.open(params, b, table, 1, rng) : null;
        assertEquals(0, rankGained(n, size, List.of(), rotation, self, false), "the rotation alone, " + what);
        boolean small = budget == BUDGET; // (the larger layout's eliminations take 10 s each: its failure check is the small one's)
        assertTrue(!small || rankGained(n, size, List.of(), rotation, self, true) >= 2, "with g known z gives f(r): " + what);
        if (openings) {
            List<WhirZeroKnowledgeTest.Opening> both = List.of(underA, underB);
            assertEquals(0, rankGained(n, size, both, rotation, self, false), "between an opening under each root, " + what);
            assertTrue(!small || rankGained(n, size, both, rotation, self, true) > 0, "with g known, between openings: " + what);
        }
        return true;
    }

    /**
     * Rank gained on f's 2^n coefficients beyond the openings' claims (openings[0] under a, openings[1] under b), nuisance
     * columns eliminated: ĥ_a, ĥ_b (one ĥ if {@code self}), the rotation's g (unless {@code gKnown}: its columns dropped, as
     * constants) and each opening's g. f's columns are shared by the f′_a and f′_b blocks (and ĥ's when {@code self}): a
     * row's coefficients on shared unknowns add.
     */
    private static int rankGained(int n, int size, List<WhirZeroKnowledgeTest.Opening> openings, List<WhirOpeningExtractor.Row> rotation,
                                  boolean self, boolean gKnown) {
        int f = 1 << n;
        int h = size - f;
        int nuisance = 2 * h + 3 * size; // ĥ_a, ĥ_b, the rotation's g, each opening's g
        WhirZeroKnowledgeTest.Echelon all = new WhirZeroKnowledgeTest.Echelon(nuisance, f);
        WhirZeroKnowledgeTest.Echelon statement = new WhirZeroKnowledgeTest.Echelon(nuisance, f);
        for (WhirZeroKnowledgeTest.Opening o : openings) {
            for (PcsClaim c : o.claims()) {
                Ext2[] mono = WhirOpeningExtractor.monomials(c.point());
                long[] re = new long[nuisance + f];
                long[] im = new long[nuisance + f];
                for (int i = 0; i < f; i++) {
                    re[nuisance + i] = mono[i].c0();
                    im[nuisance + i] = mono[i].c1();
                }
                for (long[] row : new long[][] {re, im}) {
                    all.add(row.clone());
                    statement.add(row);
                }
            }
        }
        // Column of unknown i of f′ block x (a: 0, b: 1): f's columns are shared, the rest x's ĥ.
        java.util.function.IntBinaryOperator block = (x, i) -> i < f ? nuisance + i : (self ? 0 : x) * h + (i - f);
        List<long[]> rows = new ArrayList<>();
        for (int o = 0; o < openings.size(); o++) {
            int gAt = 2 * h + size * (1 + o);
            for (WhirOpeningExtractor.Row row : openings.get(o).rows()) {
                for (long[] part : new long[][] {row.c0(), row.c1()}) {
                    long[] r = new long[nuisance + f];
                    for (int i = 0; i < part.length; i++) {
                        int column = i < size ? block.applyAsInt(o, i) : gAt + (i - size);
                        r[column] = Goldilocks.add(r[column], part[i]);
                    }
                    rows.add(r);
                }
            }
        }
        for (WhirOpeningExtractor.Row row : rotation) {
            for (long[] part : new long[][] {row.c0(), row.c1()}) {
                long[] r = new long[nuisance + f];
                for (int i = 0; i < part.length; i++) {
                    if (i < 2 * size) {
                        int column = block.applyAsInt(i / size, i % size);
                        r[column] = Goldilocks.add(r[column], part[i]);
                    } else if (!gKnown) {
                        r[2 * h + (i - 2 * size)] = part[i];
                    }
                }
                rows.add(r);
            }
        }
        rows.forEach(all::add);
        return all.privateRank - statement.privateRank;
    }
}
