package dev.verinfer.whir;

import java.lang.ref.SoftReference;

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

    /** Clears it as the collector may under memory pressure (the test suite's seam). */
    void clear() {
        codeword.clear();
    }
}
