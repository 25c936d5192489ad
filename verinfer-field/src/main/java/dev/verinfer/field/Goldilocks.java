package dev.verinfer.field;

import java.util.random.RandomGenerator;

/**
 * The Goldilocks prime field F_p, p = 2^64 − 2^32 + 1, with elements stored in a {@code long}.
 *
 * <p>Every method takes and returns <em>canonical</em> elements: the unsigned value of the long lies in
 * [0, p). Values ≥ p are never produced; {@link #canonical(long)} rejects them and {@link #reduce(long)}
 * maps an arbitrary 64-bit unsigned value into the field. Signed integers of the integer executor enter
 * with {@link #fromSigned(long)} (−1 ↦ p − 1) and leave with {@link #toSigned(long)}.
 *
 * <p>Multiplication uses 2^64 ≡ 2^32 − 1 and 2^96 ≡ −1 (mod p): a 128-bit product hi·2^64 + lo with
 * hi = hh·2^32 + hl reduces to lo − hh + hl·(2^32 − 1), two carries and one conditional subtraction.
 */
public final class Goldilocks {
    /** The modulus p = 2^64 − 2^32 + 1 (as an unsigned value; negative as a Java long). */
    public static final long P = 0xFFFF_FFFF_0000_0001L;
    /** 2^32 − 1 = 2^64 mod p. */
    static final long EPSILON = 0xFFFF_FFFFL;
    /** A generator of the multiplicative group F_p^* (order p − 1 = 2^32 · 3 · 5 · 17 · 257 · 65537). */
    public static final long MULTIPLICATIVE_GENERATOR = 7;
    /** The largest n such that 2^n divides p − 1. */
    public static final int TWO_ADICITY = 32;
    /** (p − 1) / 2: the largest value whose signed interpretation ({@link #toSigned}) is non-negative. */
    public static final long HALF = 0x7FFF_FFFF_8000_0000L;

    private Goldilocks() {}

    public static long add(long a, long b) {
        long s = a + b;
        if (Long.compareUnsigned(s, a) < 0) {
            return s + EPSILON; // carried out of 2^64: 2^64 ≡ ε, and the result is < p
        }
        return Long.compareUnsigned(s, P) >= 0 ? s - P : s;
    }

    public static long sub(long a, long b) {
        long d = a - b;
        return Long.compareUnsigned(a, b) < 0 ? d - EPSILON : d; // borrowed 2^64: add p = 2^64 − ε
    }

    public static long neg(long a) {
        return a == 0 ? 0 : P - a;
    }

    public static long mul(long a, long b) {
        return reduce128(Math.unsignedMultiplyHigh(a, b), a * b);
    }

    public static long square(long a) {
        return mul(a, a);
    }

    /** Reduces the unsigned 128-bit value hi·2^64 + lo modulo p ({@link BranchFree#reduce128}: no unpredictable branch). */
    public static long reduce128(long hi, long lo) {
        return BranchFree.reduce128(hi, lo);
    }

    /** a·b + c in one reduction-friendly call. */
    public static long mulAdd(long a, long b, long c) {
        return add(mul(a, b), c);
    }

    public static long pow(long base, long exponent) {
        long result = 1;
        long b = base;
        long e = exponent;
        while (e != 0) {
            if ((e & 1) != 0) {
                result = mul(result, b);
            }
            b = mul(b, b);
            e >>>= 1;
        }
        return result;
    }

    /** The inverse by Fermat (a^(p−2)); throws on zero. */
    public static long inverse(long a) {
        if (a == 0) {
            throw new ArithmeticException("inverse of zero in the Goldilocks field");
        }
        return pow(a, P - 2);
    }

    /**
     * Inverts every element of {@code values} into {@code out} with one field inversion and 3(n − 1)
     * multiplications (Montgomery's trick). Throws if any element is zero. {@code out} may be {@code values}.
     */
    public static void batchInverse(long[] values, long[] out) {
        int n = values.length;
        if (out.length < n) {
            throw new IllegalArgumentException("output shorter than input");
        }
        if (n == 0) {
            return;
        }
        long[] prefix = new long[n];
        long acc = 1;
        for (int i = 0; i < n; i++) {
            if (values[i] == 0) {
                throw new ArithmeticException("batch inverse: element " + i + " is zero");
            }
            prefix[i] = acc;
            acc = mul(acc, values[i]);
        }
        long inv = inverse(acc);
        for (int i = n - 1; i >= 0; i--) {
            long v = values[i];
            out[i] = mul(inv, prefix[i]);
            inv = mul(inv, v);
        }
    }

    /** Returns {@code x} if it is canonical (unsigned value below p); otherwise throws. */
    public static long canonical(long x) {
        if (Long.compareUnsigned(x, P) >= 0) {
            throw new IllegalArgumentException("not a canonical Goldilocks element: " + Long.toUnsignedString(x));
        }
        return x;
    }

    public static boolean isCanonical(long x) {
        return Long.compareUnsigned(x, P) < 0;
    }

    /** Maps any unsigned 64-bit value to the field (x mod p). */
    public static long reduce(long x) {
        return Long.compareUnsigned(x, P) >= 0 ? x - P : x;
    }

    /** Embeds a signed integer: x ↦ x mod p (so −1 ↦ p − 1). Valid for every long. */
    public static long fromSigned(long x) {
        return x >= 0 ? reduce(x) : neg(reduce(-x)); // −Long.MIN_VALUE is 2^63 as an unsigned value: still right
    }

    /** The signed representative in (−p/2, p/2]: the inverse of {@link #fromSigned} on |x| ≤ (p − 1)/2. */
    public static long toSigned(long a) {
        return Long.compareUnsigned(a, HALF) > 0 ? a - P : a;
    }

    /** A primitive 2^logN-th root of unity, logN ≤ 32. */
    public static long rootOfUnity(int logN) {
        if (logN < 0 || logN > TWO_ADICITY) {
            throw new IllegalArgumentException("no 2^" + logN + "-th root of unity in Goldilocks");
        }
        // g^((p−1)/2^32) generates the 2^32-torsion; square it down to order 2^logN.
        long root = pow(MULTIPLICATIVE_GENERATOR, (P - 1) >>> TWO_ADICITY);
        for (int i = TWO_ADICITY; i > logN; i--) {
            root = mul(root, root);
        }
        return root;
    }

    /** A uniformly random canonical element (for tests and masking; not for Fiat–Shamir). */
    public static long random(RandomGenerator rng) {
        while (true) {
            long x = rng.nextLong();
            if (isCanonical(x)) {
                return x;
            }
        }
    }

    public static String toString(long a) {
        return Long.toUnsignedString(a);
    }
}
