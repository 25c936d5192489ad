package dev.verinfer.whir;

import dev.verinfer.dft.Ntt;
import dev.verinfer.field.Goldilocks;

import java.lang.ref.SoftReference;

/**
 * A codeword held softly beside the coefficients it encodes ({@link Codewords#encode} on 2^logDomain points): a hiding
 * run's largest arrays (2^R times their coefficients, 512 MB for a 23-variable f′ or g at R = 3) are read only when the
 * run commits them and when iteration 0's queries open their leaves, so the collector may clear them in between under
 * memory pressure and {@link #get} re-encodes them, the same values from the same coefficients.
 *
 * <p>A per-proof codeword ({@link #untilRead}: a commitment for one opening, an opening's fresh g) is opened within the
 * proof that made it, so it is also held strongly until its leaves are read, if it is at most 1/{@link #PIN_SHARE} of the
 * heap: otherwise a full collection between commit and iteration 0 clears it (humongous arrays in a fragmented heap) and
 * the run re-encodes every coset a query reaches — a whole encoding, 0.2–0.5 s of embedding_model's 2^25-point witness.
 */
final class SoftCodeword {
    /** A per-proof codeword is held strongly while it is at most this fraction of the maximum heap (256 MB of 4 GB). */
    static final int PIN_SHARE = 16;

    private final long[] coefficients;
    private final int logDomain;
    private volatile SoftReference<long[]> codeword;
    /** Made for one proof's opening ({@link #untilRead}), not a key's read by every proof. */
    private final boolean perProof;
    /** The codeword until {@link #fibres} reads it, for a per-proof codeword that fits the share; else null. */
    private volatile long[] pinned;

    SoftCodeword(long[] coefficients, int logDomain, long[] codeword) {
        this(coefficients, logDomain, codeword, false);
    }

    private SoftCodeword(long[] coefficients, int logDomain, long[] codeword, boolean pin) {
        this.coefficients = coefficients;
        this.logDomain = logDomain;
        this.codeword = new SoftReference<>(codeword);
        this.perProof = pin;
        this.pinned = pin && fits(codeword.length) ? codeword : null;
    }

    /** Whether a codeword of this many entries is at most 1/{@link #PIN_SHARE} of the maximum heap. */
    private static boolean fits(long entries) {
        return 8 * entries <= Runtime.getRuntime().maxMemory() / PIN_SHARE;
    }

    /** Whether the codeword is held (strongly or softly): the tests' view. */
    boolean held() {
        return codeword.get() != null;
    }

    /** A per-proof codeword: held strongly (if it fits {@link #PIN_SHARE}) until its leaves are read, softly after. */
    static SoftCodeword untilRead(long[] coefficients, int logDomain, long[] codeword) {
        return new SoftCodeword(coefficients, logDomain, codeword, true);
    }

    /** Whether it is held strongly (the tests' view). */
    boolean pinned() {
        return pinned != null;
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
     * computed coset by coset without encoding it whole. With 2^v coefficients on 2^L points, c = L − v, the point ω_L^e lies
     * in the coset ω_L^r·⟨ω_v⟩ of r = e mod 2^c (ω_L^(2^c) = ω_v), where f̂ is the size-2^v transform of the coefficients
     * scaled by powers of ω_L^r ({@link Ntt#cosetForward}), at t = e ≫ c; fibre j's points e = j + m·2^(L−fold) all have
     * r = j mod 2^c (fold ≤ v). So each coset a leaf reaches costs one transform of the coefficients' size and no more
     * memory: 2^c of them are the work of a whole encoding, in 1/2^c of its memory (64 MB instead of 512 MB and a forward
     * twiddle table as large, for 2^23 coefficients at R = 3). A key's codeword (not {@link #untilRead}) that fits the share
     * is encoded whole again instead, the same work, and held softly: every later proof reads it, and coset by coset each
     * of them paid that work again once the collector had cleared it.
     */
    long[][] fibres(int fold, int[] leaves) {
        long[][] out = new long[leaves.length][];
        long[] code = codeword.get();
        pinned = null; // read once: the collector may take it from now on
        if (code == null && !perProof && fits(1L << logDomain)) {
            code = get();
        }
        if (code != null) {
            for (int k = 0; k < leaves.length; k++) {
                out[k] = Codewords.fibre(code, null, logDomain, fold, leaves[k]);
            }
            return out;
        }
        int c = logDomain - Integer.numberOfTrailingZeros(coefficients.length);
        int stride = logDomain - fold - c;
        long root = Goldilocks.rootOfUnity(logDomain);
        for (int r = 0; r < 1 << c; r++) {
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

    /** Clears it as the collector may under memory pressure (the test suite's seam). */
    void clear() {
        pinned = null;
        codeword.clear();
    }
}
