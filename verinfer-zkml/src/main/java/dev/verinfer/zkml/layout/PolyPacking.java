package dev.verinfer.zkml.layout;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Several multilinear tables packed into one polynomial, so that one commitment and one opening
 * serve them all. Items are placed largest first, each at an offset that is a multiple of its own
 * size, so item i is the subcube whose high variables equal offset_i / size_i: a claim T_i(r) is the
 * claim P(r ‖ bits(offset_i / size_i)) on the packed polynomial.
 */
public final class PolyPacking {
    private final int[] numVars;
    private final long[] offsets;
    private final int totalVars;

    /** Packs items of the given variable counts (in the caller's order; placement is internal). */
    public PolyPacking(int[] itemVars) {
        this.numVars = itemVars.clone();
        this.offsets = new long[itemVars.length];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < itemVars.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> -itemVars[i]).thenComparingInt(i -> i));
        long next = 0;
        for (int i : order) {
            offsets[i] = next;
            next += 1L << itemVars[i];
        }
        this.totalVars = PaddedShape.ceilLog2(Math.max(next, 1));
        if (totalVars > 30) {
            throw new IllegalArgumentException("packed polynomial too large: 2^" + totalVars + " entries");
        }
    }

    public int items() {
        return numVars.length;
    }

    public int numVars() {
        return totalVars;
    }

    public int itemVars(int item) {
        return numVars[item];
    }

    public long offset(int item) {
        return offsets[item];
    }

    /** The packed polynomial's point for a point on item {@code item}. */
    public Ext2[] globalPoint(int item, Ext2[] local) {
        if (local.length != numVars[item]) {
            throw new IllegalArgumentException("item " + item + " has " + numVars[item] + " variables, point has " + local.length);
        }
        Ext2[] p = new Ext2[totalVars];
        System.arraycopy(local, 0, p, 0, local.length);
        long block = offsets[item] >>> numVars[item];
        for (int j = local.length; j < totalVars; j++) {
            p[j] = ((block >>> (j - local.length)) & 1) == 1 ? Ext2.ONE : Ext2.ZERO;
        }
        return p;
    }

    /** The packed table; {@code tables[i]} must have 2^itemVars(i) canonical entries. */
    public long[] pack(long[][] tables) {
        long[] out = new long[1 << totalVars];
        for (int i = 0; i < tables.length; i++) {
            if (tables[i].length != 1 << numVars[i]) {
                throw new IllegalArgumentException("item " + i + " has " + tables[i].length + " entries, expected 2^" + numVars[i]);
            }
            for (long v : tables[i]) {
                Goldilocks.canonical(v);
            }
            System.arraycopy(tables[i], 0, out, (int) offsets[i], tables[i].length);
        }
        return out;
    }
}
