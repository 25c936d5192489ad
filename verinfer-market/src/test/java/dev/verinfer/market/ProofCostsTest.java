package dev.verinfer.market;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ProofCosts}: the fixed part of a line fitted to measured proofs, clamped, and its fallbacks. */
class ProofCostsTest {
    @Test
    void theFixedCostIsTheFittedLinesInterceptOverTheLatestProofs() {
        ProofCosts c = new ProofCosts();
        assertEquals(-1, c.fixedMillis(), "nothing measured");
        c.add(128, 420);
        c.add(128, 400);
        assertEquals(400, c.fixedMillis(), "one size only: the fastest proof");
        ProofCosts line = new ProofCosts();
        for (int b : new int[] {1, 32, 64, 128, 16}) {
            line.add(b, 120 + 2 * b);
        }
        assertEquals(120, line.fixedMillis());
        // Older proofs drop out: a slower machine's line replaces it.
        for (int i = 0; i < ProofCosts.KEPT; i++) {
            line.add(8 + 8 * (i % 4), 300 + 3 * (8 + 8 * (i % 4)));
        }
        assertEquals(300, line.fixedMillis());
    }

    @Test
    void aNoisyFitIsClampedBetweenZeroAndTheFastestProof() {
        ProofCosts falling = new ProofCosts();
        falling.add(8, 100);
        falling.add(128, 50);
        assertEquals(50, falling.fixedMillis(), "never above the fastest proof");
        ProofCosts steep = new ProofCosts();
        steep.add(8, 10);
        steep.add(128, 1_000);
        assertEquals(0, steep.fixedMillis(), "never below zero");
    }
}
