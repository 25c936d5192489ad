package dev.verinfer.dft;

import dev.verinfer.field.Goldilocks;

/**
 * Goldilocks addition, subtraction and multiplication without data-dependent branches, for hot loops
 * over random data (transforms, row combinations). On random inputs the carry of an addition, the
 * borrow of a subtraction and the carry inside the product reduction each go either way half the
 * time; as branches they mispredict and cost more than the arithmetic. Here carries are computed as
 * bits and applied as masks; only branches taken with probability ≈ 2^−32 remain. Results equal
 * {@link Goldilocks}'s on canonical inputs.
 */
public final class BranchFree {
    private static final long EPSILON = 0xFFFF_FFFFL; // 2^64 mod p
    private static final long P = Goldilocks.P;

    private BranchFree() {}

    public static long add(long a, long b) {
        long s = a + b;
        long carry = ((a & b) | ((a | b) & ~s)) >>> 63; // 2^64 ≡ ε; after a carry s + ε < p
        s += -carry & EPSILON;
        return Long.compareUnsigned(s, P) >= 0 ? s - P : s;
    }

    public static long sub(long a, long b) {
        long d = a - b;
        long borrow = ((~a & b) | ((~a | b) & d)) >>> 63; // borrowed 2^64: add p = 2^64 − ε
        return d - (-borrow & EPSILON);
    }

    /** As {@link Goldilocks#reduce128}: hi·2^64 + lo with hi = hh·2^32 + hl is lo − hh + hl·ε (mod p). */
    public static long mul(long a, long b) {
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
