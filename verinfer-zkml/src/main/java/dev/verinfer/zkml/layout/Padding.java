package dev.verinfer.zkml.layout;

import dev.verinfer.field.Ext2;

import java.util.ArrayList;
import java.util.List;

/**
 * The padding slots of a committed polynomial: every slot that is no real entry of any item it holds
 * — the per-dimension padding inside each item and the unused tail after the last packed item (items
 * are packed contiguously, so there are no other gaps), less, for a zero-knowledge witness whose mask fills it,
 * the last aligned block of the tail ({@link #withoutLastBlock}). The prover pins them to zero by adding
 * Σ_x eq(τ, x)·pad(x)·P(x) = 0 to the opening batch (docs/proof-system.md, "Padding"); the verifier
 * needs only {@link #weightedSum}, in O(#items · numVars).
 */
public final class Padding {
    /** An item: the subcube of {@code localVars} variables at high bits {@code block}; {@code shape} null when every slot is real. */
    private record Region(long block, int localVars, PaddedShape shape) {}

    private final int numVars;
    private final List<Region> regions;
    private final long used;
    /** The end of the padded tail: 2^n, or 2^n − 2^d without a last block of 2^d slots ({@link #withoutLastBlock}). */
    private final long end;

    private Padding(int numVars, List<Region> regions, long used) {
        this(numVars, regions, used, 1L << numVars);
    }

    private Padding(int numVars, List<Region> regions, long used, long end) {
        this.numVars = numVars;
        this.regions = List.copyOf(regions);
        this.used = used;
        this.end = end;
    }

    /** Whether the last aligned block of 2^d slots holds no item (all of it is tail padding). */
    public boolean lastBlockIsFree(int d) {
        return d >= 0 && d < numVars && used <= (1L << numVars) - (1L << d);
    }

    /**
     * These padding slots less the last aligned block of 2^d slots, which must be free ({@link #lastBlockIsFree}): a
     * zero-knowledge witness whose hiding mask fills that block (docs/proof-system.md, "Padding").
     */
    public Padding withoutLastBlock(int d) {
        if (!lastBlockIsFree(d)) {
            throw new IllegalArgumentException("the last 2^" + d + " slots of 2^" + numVars + " hold items (used " + used + ")");
        }
        return new Padding(numVars, regions, used, (1L << numVars) - (1L << d));
    }

    /** One tensor committed on its own. */
    public static Padding of(PaddedShape shape) {
        return new Padding(shape.numVars(), List.of(new Region(0, shape.numVars(), shape)), 1L << shape.numVars());
    }

    /**
     * A packed polynomial whose item i holds a tensor of {@code realShapes[i]} (null when all of the
     * item's slots are real, e.g. a look-up table's multiplicities).
     */
    public static Padding of(PolyPacking packing, PaddedShape[] realShapes) {
        List<Region> regions = new ArrayList<>();
        long used = 0;
        for (int i = 0; i < packing.items(); i++) {
            int vars = packing.itemVars(i);
            PaddedShape s = realShapes[i];
            if (s != null && s.numVars() != vars) {
                throw new IllegalArgumentException("item " + i + " has " + vars + " variables, its shape " + s + " has " + s.numVars());
            }
            regions.add(new Region(packing.offset(i) >>> vars, vars, s != null && s.realSize() == 1L << vars ? null : s));
            used = Math.max(used, packing.offset(i) + (1L << vars));
        }
        return new Padding(packing.numVars(), regions, used);
    }

    public int numVars() {
        return numVars;
    }

    /** Whether there is no padding slot at all (then there is nothing to check). */
    public boolean isEmpty() {
        return used == end && regions.stream().allMatch(r -> r.shape() == null);
    }

    /** The indices of the padding slots, in increasing order within each item, then the tail (for the prover). */
    public void forEachSlot(java.util.function.IntConsumer slot) {
        for (Region r : regions) {
            if (r.shape() == null) {
                continue;
            }
            long[] real = Indicators.realRegionTable(r.shape());
            int base = (int) (r.block() << r.localVars());
            for (int i = 0; i < real.length; i++) {
                if (real[i] == 0) {
                    slot.accept(base + i);
                }
            }
        }
        for (long i = used; i < end; i++) {
            slot.accept((int) i);
        }
    }

    /**
     * Σ_x pad(x)·eq(τ, x)·eq(ρ, x) over the boolean cube, the multilinear extension of eq(τ, ·)·pad at
     * ρ. Per variable j, eq(τ_j, b)·eq(ρ_j, b) is w_j(b) (b = 0, 1) and sums to s_j; a subcube sums to a
     * product of s_j and w_j, a per-dimension prefix [0, d) to {@link #weightedPrefix}.
     */
    public Ext2 weightedSum(Ext2[] tau, Ext2[] rho) {
        if (tau.length != numVars || rho.length != numVars) {
            throw new IllegalArgumentException("points of " + tau.length + " and " + rho.length + " variables, polynomial of " + numVars);
        }
        Ext2[] w0 = new Ext2[numVars];
        Ext2[] w1 = new Ext2[numVars];
        for (int j = 0; j < numVars; j++) {
            w1[j] = tau[j].mul(rho[j]);
            w0[j] = Ext2.ONE.sub(tau[j]).mul(Ext2.ONE.sub(rho[j]));
        }
        Ext2 sum = Ext2.ZERO;
        for (Region r : regions) {
            if (r.shape() == null) {
                continue;
            }
            Ext2 high = Ext2.ONE;
            for (int j = r.localVars(); j < numVars; j++) {
                high = high.mul(((r.block() >>> (j - r.localVars())) & 1) == 1 ? w1[j] : w0[j]);
            }
            Ext2 all = weightedPrefix(w0, w1, 0, r.localVars(), 1L << r.localVars());
            Ext2 real = Ext2.ONE;
            PaddedShape s = r.shape();
            for (int d = 0; d < s.rank(); d++) {
                real = real.mul(weightedPrefix(w0, w1, s.firstVar(d), s.bits(d), s.dim(d)));
            }
            sum = sum.add(high.mul(all.sub(real)));
        }
        // the tail [used, end): a prefix difference (end = 2^n − 2^d leaves the last aligned block out)
        return sum.add(weightedPrefix(w0, w1, 0, numVars, end).sub(weightedPrefix(w0, w1, 0, numVars, used)));
    }

    /**
     * Σ_{i<d} Π_j w_{offset+j}(bit_j(i)) over the {@code vars}-bit indices: walking d's bits from the
     * top, each 1-bit adds "this bit 0, the bits above as in d, the bits below free" (as
     * {@link Indicators#prefix}, with the free bits summing to s_j instead of 1).
     */
    static Ext2 weightedPrefix(Ext2[] w0, Ext2[] w1, int offset, int vars, long d) {
        Ext2[] below = new Ext2[vars + 1]; // below[j] = Π_{l<j} s_{offset+l}
        below[0] = Ext2.ONE;
        for (int j = 0; j < vars; j++) {
            below[j + 1] = below[j].mul(w0[offset + j].add(w1[offset + j]));
        }
        if (d >= 1L << vars) {
            return below[vars];
        }
        Ext2 sum = Ext2.ZERO;
        Ext2 fixed = Ext2.ONE;
        for (int j = vars - 1; j >= 0; j--) {
            if (((d >>> j) & 1) == 1) {
                sum = sum.add(fixed.mul(w0[offset + j]).mul(below[j]));
                fixed = fixed.mul(w1[offset + j]);
            } else {
                fixed = fixed.mul(w0[offset + j]);
            }
        }
        return sum;
    }
}
