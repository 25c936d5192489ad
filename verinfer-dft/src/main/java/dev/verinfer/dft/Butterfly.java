package dev.verinfer.dft;

import dev.verinfer.field.Goldilocks;

/**
 * The radix-2 butterfly (u, v) ↦ (u + ωv, u − ωv) over a run of indices, with Goldilocks arithmetic
 * rewritten without data-dependent branches: on random inputs the carry of an addition, the borrow
 * of a subtraction and the carry inside the product reduction each go either way half the time, and
 * as branches they cost more than the arithmetic. Carries are computed as bits and applied as masks;
 * only the branches that are almost never taken (≈ 2^−32) remain. Same results as {@link Goldilocks}.
 */
final class Butterfly {
    private static final long EPSILON = 0xFFFF_FFFFL; // 2^64 mod p
    private static final long P = Goldilocks.P;

    private Butterfly() {}

    /** Butterflies on (a[k + j], a[k + j + half]) with twiddle tw[half + j] for j0 ≤ j &lt; j1. */
    static void run(long[] a, long[] tw, int k, int half, int j0, int j1) {
        for (int j = j0; j < j1; j++) {
            long u = a[k + j];
            long v = mul(a[k + j + half], tw[half + j]);
            a[k + j] = add(u, v);
            a[k + j + half] = sub(u, v);
        }
    }

    static long add(long a, long b) {
        long s = a + b;
        long carry = ((a & b) | ((a | b) & ~s)) >>> 63; // 2^64 ≡ ε; after a carry s + ε < p
        s += -carry & EPSILON;
        return Long.compareUnsigned(s, P) >= 0 ? s - P : s;
    }

    static long sub(long a, long b) {
        long d = a - b;
        long borrow = ((~a & b) | ((~a | b) & d)) >>> 63; // borrowed 2^64: add p = 2^64 − ε
        return d - (-borrow & EPSILON);
    }

    /** As {@link Goldilocks#reduce128}: hi·2^64 + lo with hi = hh·2^32 + hl is lo − hh + hl·ε (mod p). */
    static long mul(long a, long b) {
        long hi = Math.unsignedMultiplyHigh(a, b);
        long lo = a * b;
        long hh = hi >>> 32;
        long t0 = lo - hh;
        if (Long.compareUnsigned(lo, hh) < 0) {
            t0 -= EPSILON; // rare: lo < 2^32
        }
        long t1 = (hi & EPSILON) * EPSILON;
        long t2 = t0 + t1;
        long carry = ((t0 & t1) | ((t0 | t1) & ~t2)) >>> 63;
        t2 += -carry & EPSILON;
        return Long.compareUnsigned(t2, P) >= 0 ? t2 - P : t2;
    }
}
