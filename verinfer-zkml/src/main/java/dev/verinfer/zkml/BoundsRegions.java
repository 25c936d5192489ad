package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.zkml.layout.Indicators;
import dev.verinfer.zkml.layout.WeightLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * How the zero-knowledge weight bounds proof ({@link ZkWeightBounds}) cuts the packed weight polynomial's
 * hypercube: into aligned sub-cubes ("regions"), each either proven by its own bit decomposition with the bit
 * count of its widest tensor, or, holding no real weight, shown zero by one claim W(τ, region) = 0.
 *
 * <p>Why: one bit table over the whole cube has 2^(n + k) entries with 2^k ≥ 2B and B set by the widest tensor.
 * On alexa_v0.1 a single 20-bit bias entry made B = 21 for 213,377 weights of 12 bits, over a cube of 2^19
 * slots that is 59 % padding: a hiding commitment of 2^25 entries, which ran `compile --zk` out of memory
 * (8 GB heap). Cut into regions, the largest bit table is 2^22 and the total about 2^22.8.
 *
 * <p>The cut is the cheapest binary split of the cube (a region halves while its halves, each costing its
 * bit table's entries plus {@link #REGION_COST}, or {@link #EMPTY_COST} for an empty one, cost less), a
 * function of the architecture alone, so prover and verifier compute it alike. A region with a real
 * weight keeps at least one variable (its bits are masked off the hypercube along its top one).
 */
final class BoundsRegions {
    /** The fixed cost, in committed entries, of a region with bits: its own hiding commitment, sumcheck and opening run. */
    static final long REGION_COST = 1L << 16;
    /** The fixed cost of an empty region: one more claim in the weight commitment's opening. */
    static final long EMPTY_COST = 1L << 14;

    private BoundsRegions() {}

    /**
     * The aligned sub-cube [offset, offset + 2^vars) of W's hypercube; {@code bits} = B, the bits of each of v and u
     * (the widest real tensor in it, plus one), or 0 when it holds no real weight.
     */
    record Region(int offset, int vars, int bits) {
        boolean empty() {
            return bits == 0;
        }

        /** 2^k ≥ 2B bit blocks. */
        int blockVars() {
            return 32 - Integer.numberOfLeadingZeros(2 * bits - 1);
        }

        long entries() {
            return 1L << (vars + blockVars());
        }

        /** The point of W's n variables whose low coordinates are {@code local} and whose high ones select this region. */
        Ext2[] point(Ext2[] local, int n) {
            Ext2[] p = java.util.Arrays.copyOf(local, n);
            for (int j = vars; j < n; j++) {
                p[j] = ((offset >>> j) & 1) == 1 ? Ext2.ONE : Ext2.ZERO;
            }
            return p;
        }
    }

    static List<Region> of(ProofPlan plan) {
        return of(plan, REGION_COST, EMPTY_COST);
    }

    /** The cut with other fixed costs, {@code regionCost ≥ emptyCost} (tests: a small graph cut into several regions). */
    static List<Region> of(ProofPlan plan, long regionCost, long emptyCost) {
        Choice c = best(plan, 0, plan.weightPacking.numVars(), regionCost, emptyCost);
        if (c == null) {
            throw new UnsupportedGraphException("zero-knowledge weight bounds need at least two weight slots (a variable to mask)");
        }
        return c.regions();
    }

    private record Choice(List<Region> regions, long cost) {}

    /** The cheapest cut of [offset, offset + 2^vars), or null when it holds a real weight and has no variable. */
    private static Choice best(ProofPlan plan, int offset, int vars, long regionCost, long emptyCost) {
        int bits = valueBits(plan, offset, vars);
        if (bits == 0) {
            return new Choice(List.of(new Region(offset, vars, 0)), emptyCost);
        }
        if (vars == 0) {
            return null;
        }
        if (bits > 60) {
            throw new UnsupportedGraphException("weight bounds of " + (bits - 1) + " bits do not fit the field's no-wrap margin");
        }
        Region whole = new Region(offset, vars, bits);
        Choice here = new Choice(List.of(whole), whole.entries() + regionCost);
        if (whole.entries() <= emptyCost) {
            return here; // a cut has an empty region (≥ emptyCost) or two with bits (≥ 2·regionCost): no cheaper, as regionCost ≥ emptyCost
        }
        Choice low = best(plan, offset, vars - 1, regionCost, emptyCost);
        Choice high = best(plan, offset + (1 << (vars - 1)), vars - 1, regionCost, emptyCost);
        if (low == null || high == null || low.cost() + high.cost() >= here.cost()) {
            return here;
        }
        List<Region> both = new ArrayList<>(low.regions());
        both.addAll(high.regions());
        return new Choice(both, low.cost() + high.cost());
    }

    /**
     * B of the region: 1 + the widest declared bound of a tensor with a real entry in it, or 0. The pieces are aligned
     * sub-cubes too, so a piece meeting the region contains it or lies in it; a region inside a piece holds a real
     * entry iff its first slot is one (the real region is a box at the origin of the piece's padded cube, and the
     * region fixes the index's high bits).
     */
    private static int valueBits(ProofPlan plan, int offset, int vars) {
        int bits = 0;
        long end = offset + (1L << vars);
        for (int item = 0; item < plan.weightLayout.pieces(); item++) {
            long start = plan.weightPacking.offset(item);
            int pieceVars = plan.weightPacking.itemVars(item);
            if (start >= end || start + (1L << pieceVars) <= offset) {
                continue;
            }
            WeightLayout.Piece piece = plan.weightLayout.piece(item);
            long first = Math.max(start, offset) - start;
            Ext2[] slot = new Ext2[pieceVars];
            for (int j = 0; j < pieceVars; j++) {
                slot[j] = ((first >>> j) & 1) == 1 ? Ext2.ONE : Ext2.ZERO;
            }
            if (Indicators.realRegion(piece.shape(), slot).equals(Ext2.ONE)) {
                bits = Math.max(bits, plan.graph.tensor(plan.weightTensors.get(piece.tensor())).bits() + 1);
            }
        }
        return bits;
    }
}
