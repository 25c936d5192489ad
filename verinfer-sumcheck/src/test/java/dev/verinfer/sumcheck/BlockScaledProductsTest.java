package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link BlockScaledProducts}: the zero-knowledge sumcheck of Σ f·G + h·H with its leading rounds on G and f + z_k·h is the
 * statement's own proof — the same rounds, mask values, point and final evaluations as the four tables' run — for random base
 * tables f and h, disjoint aligned blocks of G (large ones and small ones, some entries uncovered) with H = z_k·G on each; and
 * the choice of L: blocks that overlap take none, the small blocks' cells stay within an eighth of the large blocks' entries.
 */
class BlockScaledProductsTest {
    private static final List<ProductTerm> TERMS = List.of(ProductTerm.of(Ext2.ONE, 0, 1), ProductTerm.of(Ext2.ONE, 2, 3));

    @Property(tries = 80)
    void theLeadingRoundsGiveTheStatementsProof(@ForAll @IntRange(min = 2, max = 10) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] f = base(n, rng);
        long[] h = base(n, rng);
        List<BlockScaledProducts.Block> blocks = disjointBlocks(n, rng);
        BlockScaledProducts leading = BlockScaledProducts.of(f, h, blocks);
        Assume.that(leading != null);
        ExtVector g = ExtVector.zeros(1 << n);
        ExtVector hh = ExtVector.zeros(1 << n);
        Ext2 sum = Ext2.ZERO;
        for (BlockScaledProducts.Block b : blocks) {
            for (int i = 0; i < b.g().length(); i++) {
                int x = b.offset() + i;
                g.set(x, b.g().get(i));
                hh.set(x, b.z().mul(b.g().get(i)));
                sum = sum.add(b.g().get(i).mul(Ext2.of(f[x]).add(b.z().mul(Ext2.of(h[x])))));
            }
        }
        int[] degrees = ZkSumcheckProver.roundDegrees(n, TERMS, false, null);
        SumcheckMask mask = SumcheckMask.random(n, degrees[0], new SplittableRandom(seed ^ 1));
        ZkSumcheckProverResult four = ZkSumcheckProver.prove(SumcheckTest.transcript(), sum,
                List.of(new BaseTable(f), new ExtTable(g), new BaseTable(h), new ExtTable(hh)), TERMS, null, mask, new RevealingMaskCommitment());
        ZkSumcheckProverResult led = ZkSumcheckProver.proveLeading(SumcheckTest.transcript(), sum, leading, TERMS, mask, new RevealingMaskCommitment());
        for (int r = 0; r < n; r++) {
            assertArrayEquals(four.proof().rounds().rounds()[r], led.proof().rounds().rounds()[r], "round " + r + " of " + n + ", " + leading.rounds() + " leading");
        }
        assertArrayEquals(four.point(), led.point());
        assertArrayEquals(four.finalEvaluations(), led.finalEvaluations());
        assertEquals(four.proof().maskSum(), led.proof().maskSum());
        assertEquals(four.proof().maskEvaluation(), led.proof().maskEvaluation());
    }

    @Test
    void overlappingBlocksTakeNoLeadingRoundsAndSmallOnesTheirCells() {
        SplittableRandom rng = new SplittableRandom(5);
        long[] f = base(6, rng);
        long[] h = base(6, rng);
        assertNull(BlockScaledProducts.of(f, h, List.of(block(0, 4, rng), block(8, 3, rng))), "[0, 16) holds [8, 16)");
        assertNull(BlockScaledProducts.of(f, h, List.of(block(0, 3, rng), block(0, 3, rng))), "one block twice");
        assertNull(BlockScaledProducts.of(f, h, List.of(block(0, 3, rng), block(9, 0, rng))), "one entry's cell is too large a share at every L");
        assertEquals(5, BlockScaledProducts.of(f, h, List.of(block(0, 6, rng))).rounds(), "a block of all 2^n: every round before the statement's last");
        assertEquals(3, BlockScaledProducts.of(f, h, List.of(block(16, 4, rng), block(8, 3, rng))).rounds());
        long[] f8 = base(8, rng);
        assertEquals(4, BlockScaledProducts.of(f8, base(8, rng), List.of(block(0, 7, rng), block(200, 0, rng))).rounds(),
                "the one-entry block's cell of 2^4 is an eighth of the large block's 2^7 entries");
    }

    /**
     * Blocks of 2^l entries, l ∈ [0, n − 1] (a third of them small: l ≤ 2, which share the cells run on the four tables), at
     * aligned offsets, disjoint, some entries left out.
     */
    private static List<BlockScaledProducts.Block> disjointBlocks(int n, SplittableRandom rng) {
        List<BlockScaledProducts.Block> out = new ArrayList<>();
        int at = 0;
        while (at < 1 << n) {
            int l = rng.nextInt(3) == 0 ? rng.nextInt(Math.min(3, n)) : 1 + rng.nextInt(n - 1);
            int size = 1 << l;
            at = (at + size - 1) / size * size; // aligned
            if (at + size > 1 << n) {
                break;
            }
            if (rng.nextInt(4) > 0 || out.isEmpty()) {
                out.add(block(at, l, rng));
            }
            at += size;
        }
        java.util.Collections.shuffle(out, new java.util.Random(rng.nextLong())); // claim order is not offset order
        return out;
    }

    private static BlockScaledProducts.Block block(int offset, int vars, SplittableRandom rng) {
        ExtVector g = ExtVector.zeros(1 << vars);
        for (int i = 0; i < g.length(); i++) {
            g.set(i, Ext2.random(rng));
        }
        return new BlockScaledProducts.Block(offset, g, Ext2.random(rng));
    }

    private static long[] base(int n, SplittableRandom rng) {
        long[] t = new long[1 << n];
        for (int i = 0; i < t.length; i++) {
            t[i] = Goldilocks.random(rng);
        }
        return t;
    }
}
