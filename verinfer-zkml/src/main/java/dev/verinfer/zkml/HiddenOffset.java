package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;

import java.util.Arrays;

/**
 * The hidden offset Δ of a masked claim: the claim's value v is T(p) + Δ, and Δ = Σ_k w_k·M[e_k] is a
 * linear functional of the per-proof mask table M ({@link ProofMasks}) that the verifier never learns.
 * A masked look-up leaf claim carries one (Δ = Z(at)·c with c a scalar of M, docs/proof-system.md,
 * "Masked leaf claims"); its consumer — a zero-knowledge sumcheck run with
 * {@link dev.verinfer.sumcheck.ZkSumcheckProver#proveWithHiddenOffset} — proves Σ = v − Δ and opens
 * G* = Σg − Δ/ρ as a {@link MaskLinearClaims linear claim} on M, so Δ stays hidden.
 */
record HiddenOffset(int[] entries, Ext2[] weights) {
    static final HiddenOffset NONE = new HiddenOffset(new int[0], new Ext2[0]);
    /** ξ, the generator of F_{p²} over F_p: a scalar's value is re + ξ·im. */
    private static final Ext2 XI = new Ext2(0, 1);

    HiddenOffset {
        if (entries.length != weights.length) {
            throw new IllegalArgumentException(entries.length + " entries for " + weights.length + " weights");
        }
        entries = entries.clone();
        weights = weights.clone();
    }

    @Override
    public int[] entries() {
        return entries.clone();
    }

    @Override
    public Ext2[] weights() {
        return weights.clone();
    }

    /** w·(scalar k of M): w on its real half, w·ξ on its imaginary half. */
    static HiddenOffset scalar(ProofMasks.ZkLayout layout, int k, Ext2 w) {
        int index = layout.scalarIndex(k);
        return new HiddenOffset(new int[] {index, index + 1}, new Ext2[] {w, w.mul(XI)});
    }

    /** Σ_k w_k·(scalar s_k of M), appended in order: one array pair however many scalars (a chain of {@link #plus} copies both each time). */
    static final class Builder {
        private final int first;
        private int[] entries = new int[16];
        private Ext2[] weights = new Ext2[16];
        private int size;

        Builder(ProofMasks.ZkLayout layout) {
            first = layout.scalarIndex(0);
        }

        /** Adds w·(scalar k of M), as {@link HiddenOffset#scalar}. */
        void scalar(int k, Ext2 w) {
            if (size + 2 > entries.length) {
                entries = Arrays.copyOf(entries, 2 * entries.length);
                weights = Arrays.copyOf(weights, 2 * weights.length);
            }
            entries[size] = first + 2 * k;
            weights[size++] = w;
            entries[size] = first + 2 * k + 1;
            weights[size++] = w.mul(XI);
        }

        HiddenOffset build() {
            return new HiddenOffset(Arrays.copyOf(entries, size), Arrays.copyOf(weights, size));
        }
    }

    HiddenOffset plus(HiddenOffset other) {
        int[] e = Arrays.copyOf(entries, entries.length + other.entries.length);
        System.arraycopy(other.entries, 0, e, entries.length, other.entries.length);
        Ext2[] w = Arrays.copyOf(weights, weights.length + other.weights.length);
        System.arraycopy(other.weights, 0, w, weights.length, other.weights.length);
        return new HiddenOffset(e, w);
    }

    HiddenOffset times(Ext2 factor) {
        Ext2[] w = new Ext2[weights.length];
        for (int k = 0; k < w.length; k++) {
            w[k] = weights[k].mul(factor);
        }
        return new HiddenOffset(entries, w);
    }

    /** Σ_k α^k·Δ_k: the offset of a batch of masked claims combined with powers of α. */
    static HiddenOffset batched(java.util.List<HiddenOffset> offsets, Ext2 alpha) {
        HiddenOffset all = NONE;
        Ext2 power = Ext2.ONE;
        for (HiddenOffset o : offsets) {
            all = all.plus(o.times(power));
            power = power.mul(alpha);
        }
        return all;
    }

    boolean isNone() {
        return entries.length == 0;
    }

    /** Δ's value on the prover's table M. */
    Ext2 value(long[] table) {
        Ext2 sum = Ext2.ZERO;
        for (int k = 0; k < entries.length; k++) {
            sum = sum.add(weights[k].mul(new Ext2(table[entries[k]], 0)));
        }
        return sum;
    }
}
