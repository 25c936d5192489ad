package dev.verinfer.whir;

import dev.verinfer.field.Ext2;
import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.PcsCommitment;
import dev.verinfer.pcs.PcsOpening;
import dev.verinfer.pcs.PcsOpeningProof;
import dev.verinfer.poly.Mle;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.verinfer.whir.WhirPcsTest.bytes;
import static dev.verinfer.whir.WhirPcsTest.claims;
import static dev.verinfer.whir.WhirPcsTest.randomPoint;
import static dev.verinfer.whir.WhirPcsTest.randomTable;
import static dev.verinfer.whir.WhirPcsTest.transcript;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A hiding commitment rebuilt from a seed in two processes (a committed tensor handed from a client or a producer to a
 * consumer's prover): the same root, and openings whose mask g each process draws afresh. Drawn from the seeded stream as
 * well, both processes' first openings would use one g: HidingOpening's argument (every message after f′'s fibres is uniform
 * through a fresh g) does not cover two openings of F = f′ + ρ·g that share g.
 */
class WhirSeededHidingTest {
    private final WhirPcs pcs = new WhirPcs(WhirParameters.CONJECTURED);

    @Test
    void aSeededCommitmentHasOneRootAndIndependentOpenings() throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        long[] table = randomTable(8, rng);
        Ext2[] point = randomPoint(8, rng);
        PcsCommitment here = pcs.commitHiding(table, 4, new SplittableRandom(11), new SplittableRandom(1));
        PcsCommitment there = pcs.commitHiding(table, 4, new SplittableRandom(11), new SplittableRandom(2));
        assertArrayEquals(here.root(), there.root(), "the seed fixes the root");
        byte[] first = open(here, table, point);
        byte[] second = open(there, table, point);
        assertFalse(Arrays.equals(first, second), "each process's opening draws its own mask");

        // The single-stream commitment rebuilt from one seed repeats its opening: what the separate stream avoids.
        byte[] again = open(pcs.commitHiding(table, 4, new SplittableRandom(11)), table, point);
        assertArrayEquals(again, open(pcs.commitHiding(table, 4, new SplittableRandom(11)), table, point));
    }

    @Test
    void aViewWithItsOwnOpeningRandomnessReproducesItsOpeningAndSpendsTheSameBudget() throws Exception {
        SplittableRandom rng = new SplittableRandom(4);
        long[] table = randomTable(8, rng);
        Ext2[] point = randomPoint(8, rng);
        HidingCommitment here = (HidingCommitment) pcs.commitHiding(table, 4, new SplittableRandom(11), new SplittableRandom(1));
        HidingCommitment there = (HidingCommitment) pcs.commitHiding(table, 4, new SplittableRandom(11), new SplittableRandom(2));
        HidingCommitment view = here.withOpeningRandomness(new SplittableRandom(5));
        assertArrayEquals(here.root(), view.root());
        byte[] reproducible = open(view, table, point);
        assertArrayEquals(reproducible, open(there.withOpeningRandomness(new SplittableRandom(5)), table, point),
                "the view's opening is a function of its generator: made again, the same bytes");
        assertEquals(here.openingBudget() - 1, here.openingsLeft(), "the view's opening is counted on the commitment");
        assertFalse(Arrays.equals(reproducible, open(here, table, point)), "the commitment's own openings keep their fresh randomness");
        assertEquals(here.openingBudget() - 2, view.openingsLeft());

        HidingCommitment once = (HidingCommitment) pcs.commitHidingOnce(table, 1, false, new SplittableRandom(6));
        assertThrows(IllegalStateException.class, () -> once.withOpeningRandomness(new SplittableRandom(7)), "its one mask was drawn at commit time");
    }

    private byte[] open(PcsCommitment c, long[] table, Ext2[] point) {
        List<PcsOpening> openings = List.of(new PcsOpening(c, point, Mle.evaluate(table, point)));
        PcsOpeningProof proof = pcs.open(transcript(), openings);
        assertDoesNotThrow(() -> pcs.verify(transcript(), claims(openings), proof));
        return bytes(proof);
    }
}
