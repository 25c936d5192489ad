package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.poly.Mle;

import java.util.Arrays;

/**
 * eq(p, bits of i) at many indices i of an n-variable cube (index bit j ↔ variable j), without the n products each:
 * eq factors over the variables, eq(p, i) = eq(p_low, i mod 2^h)·eq(p_high, ⌊i / 2^h⌋) with h = ⌊n/2⌋, so two tables of
 * 2^h and 2^(n−h) entries give every value in one product. Bits of i at or above n are ignored, as the product over
 * p's variables ignores them.
 */
final class EqAtIndices {
    private final ExtVector low;
    private final ExtVector high;
    private final int lowBits;
    private final int highMask;

    EqAtIndices(Ext2[] point) {
        lowBits = point.length / 2;
        low = Mle.eqTable(Arrays.copyOfRange(point, 0, lowBits));
        high = Mle.eqTable(Arrays.copyOfRange(point, lowBits, point.length));
        highMask = (1 << (point.length - lowBits)) - 1;
    }

    Ext2 at(int index) {
        return low.get(index & ((1 << lowBits) - 1)).mul(high.get((index >>> lowBits) & highMask));
    }
}
