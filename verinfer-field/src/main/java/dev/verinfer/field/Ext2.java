package dev.verinfer.field;

import java.util.random.RandomGenerator;

/**
 * An element c0 + c1·X of the quadratic extension F_p[X]/(X² − 7) of {@link Goldilocks} (≈ 2^128
 * elements). 7 is a quadratic non-residue mod p, so X² − 7 is irreducible. Verifier challenges are
 * drawn here so that sumcheck's Schwartz–Zippel error d/|F| stays near 2^-125 per round.
 *
 * <p>Both coordinates are canonical Goldilocks elements. The record is small enough for the JIT to
 * scalar-replace in hot loops; bulk vectors of extension elements use {@link ExtVector}.
 */
public record Ext2(long c0, long c1) {
    /** The non-residue W with X² = W. */
    public static final long W = 7;
    public static final Ext2 ZERO = new Ext2(0, 0);
    public static final Ext2 ONE = new Ext2(1, 0);

    public Ext2 {
        Goldilocks.canonical(c0);
        Goldilocks.canonical(c1);
    }

    /** The base-field element a embedded in the extension. */
    public static Ext2 of(long a) {
        return new Ext2(a, 0);
    }

    public boolean isBase() {
        return c1 == 0;
    }

    public boolean isZero() {
        return c0 == 0 && c1 == 0;
    }

    public Ext2 add(Ext2 o) {
        return new Ext2(Goldilocks.add(c0, o.c0), Goldilocks.add(c1, o.c1));
    }

    public Ext2 add(long a) {
        return new Ext2(Goldilocks.add(c0, a), c1);
    }

    public Ext2 sub(Ext2 o) {
        return new Ext2(Goldilocks.sub(c0, o.c0), Goldilocks.sub(c1, o.c1));
    }

    public Ext2 sub(long a) {
        return new Ext2(Goldilocks.sub(c0, a), c1);
    }

    public Ext2 neg() {
        return new Ext2(Goldilocks.neg(c0), Goldilocks.neg(c1));
    }

    /** (a0 + a1X)(b0 + b1X) = a0b0 + 7·a1b1 + (a0b1 + a1b0)X, with Karatsuba for the X coefficient. */
    public Ext2 mul(Ext2 o) {
        long a0b0 = Goldilocks.mul(c0, o.c0);
        long a1b1 = Goldilocks.mul(c1, o.c1);
        long cross = Goldilocks.mul(Goldilocks.add(c0, c1), Goldilocks.add(o.c0, o.c1));
        return new Ext2(Goldilocks.add(a0b0, mulByW(a1b1)), Goldilocks.sub(Goldilocks.sub(cross, a0b0), a1b1));
    }

    /** Multiplication by a base-field element. */
    public Ext2 mul(long a) {
        return new Ext2(Goldilocks.mul(c0, a), Goldilocks.mul(c1, a));
    }

    public Ext2 square() {
        long a0a1 = Goldilocks.mul(c0, c1);
        return new Ext2(Goldilocks.add(Goldilocks.mul(c0, c0), mulByW(Goldilocks.mul(c1, c1))), Goldilocks.add(a0a1, a0a1));
    }

    /** 1/(a0 + a1X) = (a0 − a1X) / (a0² − 7a1²); the norm is non-zero for every non-zero element. */
    public Ext2 inverse() {
        if (isZero()) {
            throw new ArithmeticException("inverse of zero in the Goldilocks quadratic extension");
        }
        long norm = Goldilocks.sub(Goldilocks.mul(c0, c0), mulByW(Goldilocks.mul(c1, c1)));
        long inv = Goldilocks.inverse(norm);
        return new Ext2(Goldilocks.mul(c0, inv), Goldilocks.neg(Goldilocks.mul(c1, inv)));
    }

    public Ext2 pow(long exponent) {
        Ext2 result = ONE;
        Ext2 b = this;
        long e = exponent;
        while (e != 0) {
            if ((e & 1) != 0) {
                result = result.mul(b);
            }
            b = b.square();
            e >>>= 1;
        }
        return result;
    }

    /** Inverts every element with one inversion (Montgomery's trick); throws if any is zero. */
    public static Ext2[] batchInverse(Ext2[] values) {
        int n = values.length;
        Ext2[] out = new Ext2[n];
        if (n == 0) {
            return out;
        }
        Ext2 acc = ONE;
        for (int i = 0; i < n; i++) {
            if (values[i].isZero()) {
                throw new ArithmeticException("batch inverse: element " + i + " is zero");
            }
            out[i] = acc;
            acc = acc.mul(values[i]);
        }
        Ext2 inv = acc.inverse();
        for (int i = n - 1; i >= 0; i--) {
            Ext2 v = values[i];
            out[i] = out[i].mul(inv);
            inv = inv.mul(v);
        }
        return out;
    }

    public static Ext2 random(RandomGenerator rng) {
        return new Ext2(Goldilocks.random(rng), Goldilocks.random(rng));
    }

    static long mulByW(long a) {
        // 7a = 8a − a, as three additions: cheaper than a full multiplication
        long a2 = Goldilocks.add(a, a);
        long a4 = Goldilocks.add(a2, a2);
        return Goldilocks.add(Goldilocks.add(a4, a2), a);
    }

    @Override
    public String toString() {
        return c1 == 0 ? Goldilocks.toString(c0) : Goldilocks.toString(c0) + " + " + Goldilocks.toString(c1) + "·X";
    }
}
