package dev.verinfer.sumcheck;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;

/** Evaluation of a univariate polynomial of degree ≤ d given by its values at 0, 1, …, d (Lagrange form). */
final class Interpolation {
    private Interpolation() {}

    /** p(r) where {@code values[i]} = p(i). */
    static Ext2 evaluate(Ext2[] values, Ext2 r) {
        int d = values.length - 1;
        Ext2[] diffs = new Ext2[d + 1]; // r − i
        for (int i = 0; i <= d; i++) {
            diffs[i] = r.sub(i);
            if (diffs[i].isZero()) {
                return values[i];
            }
        }
        // p(r) = Σ_i values[i] · w_i · Π_{j≠i} (r − j), with w_i = 1 / Π_{j≠i} (i − j) = (−1)^(d−i) / (i!·(d−i)!)
        Ext2[] prefix = new Ext2[d + 2];
        Ext2[] suffix = new Ext2[d + 2];
        prefix[0] = Ext2.ONE;
        for (int i = 0; i <= d; i++) {
            prefix[i + 1] = prefix[i].mul(diffs[i]);
        }
        suffix[d + 1] = Ext2.ONE;
        for (int i = d; i >= 0; i--) {
            suffix[i] = suffix[i + 1].mul(diffs[i]);
        }
        Ext2 sum = Ext2.ZERO;
        for (int i = 0; i <= d; i++) {
            long denom = Goldilocks.mul(factorial(i), factorial(d - i));
            long w = Goldilocks.inverse(denom);
            if (((d - i) & 1) == 1) {
                w = Goldilocks.neg(w);
            }
            sum = sum.add(values[i].mul(prefix[i]).mul(suffix[i + 1]).mul(w));
        }
        return sum;
    }

    private static long factorial(int k) {
        long f = 1;
        for (int i = 2; i <= k; i++) {
            f = Goldilocks.mul(f, i);
        }
        return f;
    }
}
