package dev.verinfer.whir;

import dev.verinfer.dft.Ntt;
import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;

import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.List;

/**
 * A codeword held softly beside the coefficients it encodes ({@link Codewords#encode} on 2^logDomain points): a hiding
 * run's largest arrays (2^R times their coefficients, 512 MB for a 23-variable f′ or g at R = 3) are read only when the
 * run commits them and when iteration 0's queries open their leaves, so the collector may clear them in between under
 * memory pressure and {@link #get} re-encodes them, the same values from the same coefficients.
 */
final class SoftCodeword {
    private final long[] coefficients;
    private final int logDomain;
    private volatile SoftReference<long[]> codeword;

    SoftCodeword(long[] coefficients, int logDomain, long[] codeword) {
        this.coefficients = coefficients;
        this.logDomain = logDomain;
        this.codeword = new SoftReference<>(codeword);
    }

    /** The codeword, re-encoded when it was cleared (hold the result only while reading it). */
    long[] get() {
        long[] code = codeword.get();
        if (code == null) {
            code = Codewords.encode(coefficients, logDomain);
            codeword = new SoftReference<>(code);
        }
        return code;
    }

    /**
     * The fibres (of 2^fold points, {@link Codewords#fibre}) at these leaves: read from the codeword while it is held, else
     * computed without encoding it whole. With 2^v coefficients on 2^L points, c = L − v, the point ω_L^e lies in the coset
     * ω_L^r·⟨ω_v⟩ of r = e mod 2^c (ω_L^(2^c) = ω_v), where f̂ is the size-2^v transform of the coefficients scaled by powers
     * of ω_L^r ({@link Ntt#cosetForward}), at t = e ≫ c; fibre j's points e = j + m·2^(L−fold) all have r = j mod 2^c
     * (fold ≤ v). A coset that many leaves reach costs one transform of the coefficients' size and no more memory: 2^c of
     * them are the work of a whole encoding, in 1/2^c of its memory (64 MB instead of 512 MB and a forward twiddle table as
     * large, for 2^23 coefficients at R = 3). A coset that few reach ({@link #FEW_LEAVES}: a hiding run's t₀ ≈ 60 queries
     * spread over 2^c = 8 cosets) has its leaves evaluated one by one ({@link #fibre}), one pass over the coefficients each.
     */
    long[][] fibres(int fold, int[] leaves) {
        long[][] out = new long[leaves.length][];
        long[] code = codeword.get();
        if (code != null) {
            for (int k = 0; k < leaves.length; k++) {
                out[k] = Codewords.fibre(code, null, logDomain, fold, leaves[k]);
            }
            return out;
        }
        int c = logDomain - Integer.numberOfTrailingZeros(coefficients.length);
        int stride = logDomain - fold - c;
        long root = Goldilocks.rootOfUnity(logDomain);
        int[] reach = new int[1 << c];
        for (int j : leaves) {
            reach[j & ((1 << c) - 1)]++;
        }
        List<Integer> few = new ArrayList<>();
        for (int k = 0; k < leaves.length; k++) {
            if (reach[leaves[k] & ((1 << c) - 1)] <= FEW_LEAVES) {
                few.add(k);
            }
        }
        Parallelism.forEachChunk(few.size(), 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                int k = few.get(i);
                out[k] = fibre(coefficients, logDomain, fold, leaves[k]);
            }
        });
        for (int r = 0; r < 1 << c; r++) {
            if (reach[r] <= FEW_LEAVES) {
                continue;
            }
            long[] coset = null;
            for (int k = 0; k < leaves.length; k++) {
                int j = leaves[k];
                if ((j & ((1 << c) - 1)) != r) {
                    continue;
                }
                if (coset == null) {
                    coset = coefficients.clone();
                    Ntt.cosetForward(coset, Goldilocks.pow(root, r));
                }
                long[] fibre = new long[1 << fold];
                for (int m = 0; m < fibre.length; m++) {
                    fibre[m] = coset[(j >>> c) + (m << stride)];
                }
                out[k] = fibre;
            }
        }
        return out;
    }

    /**
     * Leaves of one coset up to which {@link #fibres} evaluates each on its own: a leaf costs one multiply-add per
     * coefficient, a coset's transform about v/2 products and v sums per coefficient, a scaling pass and a bit reversal
     * (SoftCodewordTest#timing, 2^20–2^23 coefficients at R = 3, 2026-12-05, load 7: a transform on two threads took as long
     * as 10–50 leaves on one, about 25 at 2^23, and the leaves run on every thread).
     */
    static final int FEW_LEAVES = 16;

    /**
     * Fibre j of f̂'s codeword on 2^logDomain points, from the coefficients alone: with x = ω_L^j, K = 2^fold and
     * ζ = ω_L^(2^(L−fold)) (of order K), fibre[m] = f̂(x·ζ^m) = Σ_(s<K) ζ^(ms)·x^s·A_s(x^K), A_s(y) = Σ_q c_(s+qK)·y^q:
     * K Horner chains in y over the coefficients in order (independent, so their products overlap), then a K-point sum.
     */
    static long[] fibre(long[] coefficients, int logDomain, int fold, int j) {
        int size = 1 << fold;
        long omega = Goldilocks.rootOfUnity(logDomain);
        long x = Goldilocks.pow(omega, j);
        long y = Goldilocks.pow(x, size);
        long[] acc = new long[size];
        for (int q = coefficients.length - size; q >= 0; q -= size) {
            for (int s = 0; s < size; s++) {
                acc[s] = BranchFree.mulAdd(acc[s], y, coefficients[q + s]);
            }
        }
        long xs = 1;
        for (int s = 0; s < size; s++) {
            acc[s] = Goldilocks.mul(acc[s], xs);
            xs = Goldilocks.mul(xs, x);
        }
        long zeta = Goldilocks.pow(omega, 1L << (logDomain - fold));
        long[] out = new long[size];
        long zm = 1;
        for (int m = 0; m < size; m++) {
            long sum = 0;
            long zms = 1;
            for (int s = 0; s < size; s++) {
                sum = Goldilocks.add(sum, Goldilocks.mul(acc[s], zms));
                zms = Goldilocks.mul(zms, zm);
            }
            out[m] = sum;
            zm = Goldilocks.mul(zm, zeta);
        }
        return out;
    }

    /** Clears it as the collector may under memory pressure (the test suite's seam). */
    void clear() {
        codeword.clear();
    }
}
