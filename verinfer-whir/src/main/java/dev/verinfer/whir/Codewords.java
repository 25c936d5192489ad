package dev.verinfer.whir;

import dev.verinfer.dft.Ntt;
import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtMath;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;
import dev.verinfer.merkle.MerkleHasher;
import dev.verinfer.merkle.MerkleNode;
import dev.verinfer.merkle.MerkleTree;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The Reed–Solomon side of WHIR. A multilinear f with coefficients c_S (f(x) = Σ_S c_S Π_{j∈S} x_j,
 * S read as the bits of an index) is identified with the univariate f̂(X) = Σ_i c_i X^i, so
 * f̂(z) = f(z, z², z⁴, …) ({@link #powers}). Its codeword on L = ⟨ω⟩, |L| = 2^m, is f̂(ω^e) for e in
 * [0, 2^m). Leaf j of the Merkle tree is the fibre {e = j + m'·2^(m−k)}: the 2^k points whose 2^k-th
 * power is ω^(j·2^k), which is exactly what one fold of k variables reads (WHIR §2.1.3, "k-wise folding").
 */
final class Codewords {
    private static final int PARALLEL_CHUNK = 1 << 12;
    /** Entries per block of {@link #toCoefficients}'s low steps (32 KiB, within L1). */
    private static final int MOBIUS_BLOCK = 1 << 12;
    /** Columns per strip of its high steps: two cache lines per row, 2^12 rows (a 2^24 table) in 512 KiB of L2. */
    private static final int MOBIUS_STRIP = 16;
    private static final long INV2 = Goldilocks.HALF + 1;
    private static final VarHandle BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Codewords() {}

    /**
     * Evaluations on {0,1}^n → multilinear coefficients (the Möbius transform), in place: a[i + h] −= a[i] for every
     * power of two h &lt; n and every i with bit h clear. The steps commute, so they are grouped for the cache. Those
     * of the variables below {@link #MOBIUS_BLOCK} mix entries only inside aligned blocks of that size and run block
     * by block while the block is in L1; the higher ones act on the table as a matrix of MOBIUS_BLOCK columns, all
     * of them on a strip of {@link #MOBIUS_STRIP} columns at a time, copied out into a dense array (the columns'
     * power-of-two stride would map every row to the same cache sets): one pass over the table instead of one per
     * variable.
     */
    static void toCoefficients(long[] a) {
        mobius(a, false);
    }

    /**
     * a[i + h] ∓= a[i] for every power of two h &lt; n and every i with bit h clear (− the Möbius transform, + the zeta
     * transform), grouped for the cache as {@link #toCoefficients} describes.
     */
    private static void mobius(long[] a, boolean add) {
        int n = a.length;
        int block = Math.min(n, MOBIUS_BLOCK);
        Parallelism.forEachChunk(n / block, Math.max(1, PARALLEL_CHUNK / block), (from, to) -> {
            for (int b = from; b < to; b++) {
                lowerHalves(a, b * block, block, 1, add);
            }
        });
        if (n > block) {
            int rows = n / block;
            Parallelism.forEachChunk(block / MOBIUS_STRIP, 1, (from, to) -> {
                long[] strip = new long[rows * MOBIUS_STRIP];
                for (int s = from; s < to; s++) {
                    int column = s * MOBIUS_STRIP;
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(a, r * block + column, strip, r * MOBIUS_STRIP, MOBIUS_STRIP);
                    }
                    lowerHalves(strip, 0, strip.length, MOBIUS_STRIP, add); // row r + h ∓= row r
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(strip, r * MOBIUS_STRIP, a, r * block + column, MOBIUS_STRIP);
                    }
                }
            });
        }
    }

    /** The steps a[i + h] ∓= a[i] (i with bit h clear) of a[start, start + len) for first ≤ h &lt; len. */
    private static void lowerHalves(long[] a, int start, int len, int first, boolean add) {
        for (int h = first; h < len; h <<= 1) {
            for (int k = start; k < start + len; k += 2 * h) {
                if (add) {
                    for (int i = k; i < k + h; i++) {
                        a[i + h] = BranchFree.add(a[i + h], a[i]);
                    }
                } else {
                    for (int i = k; i < k + h; i++) {
                        a[i + h] = BranchFree.sub(a[i + h], a[i]);
                    }
                }
            }
        }
    }

    /** Multilinear coefficients → evaluations on {0,1}^n (the zeta transform, inverse of {@link #toCoefficients}), in place. */
    static void toEvaluations(long[] a) {
        mobius(a, true);
    }

    /** The codeword on the subgroup of size 2^logDomain of the polynomial with these coefficients. */
    static long[] encode(long[] coefficients, int logDomain) {
        return Ntt.forwardPadded(coefficients, logDomain);
    }

    /** The values of fibre j (2^fold entries; two longs per entry for an extension codeword, c1 null for base). */
    static long[] fibre(long[] c0, long[] c1, int logDomain, int fold, int j) {
        int size = 1 << fold;
        int stride = 1 << (logDomain - fold);
        long[] out = new long[c1 == null ? size : 2 * size];
        for (int m = 0; m < size; m++) {
            int e = j + m * stride;
            if (c1 == null) {
                out[m] = c0[e];
            } else {
                out[2 * m] = c0[e];
                out[2 * m + 1] = c1[e];
            }
        }
        return out;
    }

    /** The Merkle tree over the fibres of a codeword, of the parameters' hash truncated to their digest bytes, its nodes padded. */
    static MerkleTree commit(long[] c0, long[] c1, int logDomain, int fold, WhirParameters params) {
        return commit(c0, c1, logDomain, fold, params, null, MerkleNode.PADDED);
    }

    /**
     * The Merkle tree over the fibres of a codeword, of the parameters' hash truncated to their digest bytes; with
     * {@code salts} (two longs per fibre) leaf j is H(fibre_j ‖ salt_j), which hides the unopened fibres
     * (a hiding commitment's trees); its inner nodes hashed as {@code node} says ({@link WhirPcs#withCompactProofTrees}).
     */
    static MerkleTree commit(long[] c0, long[] c1, int logDomain, int fold, WhirParameters params, long[] salts, MerkleNode node) {
        int size = 1 << fold;
        int stride = 1 << (logDomain - fold);
        int valueBytes = 8 * (c1 == null ? 1 : 2) << fold;
        // Each fibre's longs written big-endian straight from the codeword (as leafHash(fibre(…)) does),
        // then the leaf's salt for a hiding commitment (as saltedLeafHash does), hashed into the tree.
        return MerkleTree.ofLeafBytes(stride, valueBytes + SALT_BYTES, params.merkleHash(), params.digestBytes(), node, (j, buf, at) -> {
            int end = writeFibre(buf, at, c0, c1, j, stride, size);
            if (salts == null) {
                return valueBytes;
            }
            BIG_ENDIAN.set(buf, end, salts[2 * j]);
            BIG_ENDIAN.set(buf, end + 8, salts[2 * j + 1]);
            return valueBytes + SALT_BYTES;
        });
    }

    /**
     * Fibre j of a codeword (c1 non-null: the pair interleaved) of {@code size} values {@code stride} apart, written
     * big-endian at {@code at} (the bytes a leaf hashes); returns the offset after it.
     */
    static int writeFibre(byte[] buf, int at, long[] c0, long[] c1, int j, int stride, int size) {
        for (int m = 0; m < size; m++) {
            int e = j + m * stride;
            BIG_ENDIAN.set(buf, at, c0[e]);
            at += 8;
            if (c1 != null) {
                BIG_ENDIAN.set(buf, at, c1[e]);
                at += 8;
            }
        }
        return at;
    }

    /** Bytes of a leaf's salt. */
    static final int SALT_BYTES = 16;

    /** The leaf hash of a salted fibre: its longs then the salt's two, big-endian. */
    static byte[] saltedLeafHash(MerkleHasher hasher, long[] values, long salt0, long salt1, byte[] buf) {
        BIG_ENDIAN.set(buf, 8 * values.length, salt0);
        BIG_ENDIAN.set(buf, 8 * values.length + 8, salt1);
        for (int i = 0; i < values.length; i++) {
            BIG_ENDIAN.set(buf, 8 * i, values[i]);
        }
        return hasher.leaf(buf, 0, 8 * values.length + SALT_BYTES);
    }

    /** The leaf hash of a fibre: its longs, big-endian. */
    static byte[] leafHash(MerkleHasher hasher, long[] values, byte[] buf) {
        for (int i = 0; i < values.length; i++) {
            BIG_ENDIAN.set(buf, 8 * i, values[i]);
        }
        return hasher.leaf(buf, 0, 8 * values.length);
    }

    /** The 2^k-th power of the fibre's points: ω^(j·2^k), a point of L^(2^k). */
    static long foldedPoint(int logDomain, int fold, int j) {
        return Goldilocks.pow(Goldilocks.rootOfUnity(logDomain - fold), j);
    }

    /**
     * Folds a fibre of f̂ by α_1..α_k: the value at y = x₀^(2^k) of the univariate of f(α, ·). One step
     * pairs x and −x: f̂(x) = f̂_e(x²) + x·f̂_o(x²), and f̂_e + α·f̂_o is the polynomial of f with its
     * lowest variable set to α. The fibre's points are x₀·ζ^m (ζ a primitive 2^k-th root), so x and
     * −x sit at m and m + 2^(k−1).
     */
    static Ext2 foldFibre(long[] values, boolean extension, Ext2[] alphas, int logDomain, int j) {
        int fold = alphas.length;
        int size = 1 << fold;
        Ext2[] v = new Ext2[size];
        for (int m = 0; m < size; m++) {
            v[m] = extension ? new Ext2(values[2 * m], values[2 * m + 1]) : Ext2.of(values[m]);
        }
        // No inversions: x⁻¹ = ω^(|L| − j) and ζ⁻¹ = ζ^(2^k − 1), and both square from one step to the next.
        long xInv = Goldilocks.pow(Goldilocks.rootOfUnity(logDomain), (1L << logDomain) - j);
        long zetaInv = Goldilocks.pow(Goldilocks.rootOfUnity(fold), (1L << fold) - 1);
        for (Ext2 alpha : alphas) {
            int half = size / 2;
            long denominator = Goldilocks.mul(INV2, xInv); // 1/(2x·ζ^m), m = 0
            for (int m = 0; m < half; m++) {
                Ext2 a = v[m];
                Ext2 b = v[m + half];
                v[m] = a.add(b).mul(INV2).add(alpha.mul(a.sub(b).mul(denominator)));
                denominator = Goldilocks.mul(denominator, zetaInv);
            }
            size = half;
            xInv = Goldilocks.mul(xInv, xInv);
            zetaInv = Goldilocks.mul(zetaInv, zetaInv);
        }
        return v[0];
    }

    /** (z, z², z⁴, …) with n coordinates: f(powers(z)) = f̂(z). */
    static Ext2[] powers(Ext2 z, int n) {
        Ext2[] out = new Ext2[n];
        Ext2 p = z;
        for (int j = 0; j < n; j++) {
            out[j] = p;
            p = p.square();
        }
        return out;
    }

    /** f̂(z) = Σ_i c_i z^i (Horner). */
    static Ext2 univariate(ExtVector coefficients, Ext2 z) {
        long[] c0 = coefficients.c0();
        long[] c1 = coefficients.c1();
        long a0 = 0;
        long a1 = 0;
        long z0 = z.c0();
        long z1 = z.c1();
        for (int i = c0.length - 1; i >= 0; i--) {
            long m0 = ExtMath.mulC0(a0, a1, z0, z1);
            long m1 = ExtMath.mulC1(a0, a1, z0, z1);
            a0 = BranchFree.add(m0, c0[i]);
            a1 = BranchFree.add(m1, c1[i]);
        }
        return new Ext2(a0, a1);
    }

    /** f̂(z) for coefficients given as an array (allocation-free Horner). */
    static Ext2 univariate(Ext2[] coefficients, Ext2 z) {
        long a0 = 0;
        long a1 = 0;
        long z0 = z.c0();
        long z1 = z.c1();
        for (int i = coefficients.length - 1; i >= 0; i--) {
            long m0 = ExtMath.mulC0(a0, a1, z0, z1);
            long m1 = ExtMath.mulC1(a0, a1, z0, z1);
            a0 = BranchFree.add(m0, coefficients[i].c0());
            a1 = BranchFree.add(m1, coefficients[i].c1());
        }
        return new Ext2(a0, a1);
    }

    /**
     * f̂(z_k) for extension coefficients at many base-field points z_k (the verifier's query points ω^j and their
     * powers): Horner with base-by-extension steps, a·z + c one {@link BranchFree#mulAdd} per coordinate (two
     * products instead of an extension product's four), four points at a time so eight independent chains hide
     * the multiplications' latency.
     */
    static Ext2[] univariateAtBase(Ext2[] coefficients, long[] points) {
        int n = coefficients.length;
        long[] c0 = new long[n];
        long[] c1 = new long[n];
        for (int i = 0; i < n; i++) {
            c0[i] = coefficients[i].c0();
            c1[i] = coefficients[i].c1();
        }
        Ext2[] out = new Ext2[points.length];
        int k = 0;
        for (; k + 4 <= points.length; k += 4) {
            long z0 = points[k];
            long z1 = points[k + 1];
            long z2 = points[k + 2];
            long z3 = points[k + 3];
            long a0 = 0, b0 = 0, a1 = 0, b1 = 0, a2 = 0, b2 = 0, a3 = 0, b3 = 0;
            for (int i = n - 1; i >= 0; i--) {
                long e0 = c0[i];
                long e1 = c1[i];
                a0 = BranchFree.mulAdd(a0, z0, e0);
                b0 = BranchFree.mulAdd(b0, z0, e1);
                a1 = BranchFree.mulAdd(a1, z1, e0);
                b1 = BranchFree.mulAdd(b1, z1, e1);
                a2 = BranchFree.mulAdd(a2, z2, e0);
                b2 = BranchFree.mulAdd(b2, z2, e1);
                a3 = BranchFree.mulAdd(a3, z3, e0);
                b3 = BranchFree.mulAdd(b3, z3, e1);
            }
            out[k] = new Ext2(a0, b0);
            out[k + 1] = new Ext2(a1, b1);
            out[k + 2] = new Ext2(a2, b2);
            out[k + 3] = new Ext2(a3, b3);
        }
        for (; k < points.length; k++) {
            long z = points[k];
            long a = 0;
            long b = 0;
            for (int i = n - 1; i >= 0; i--) {
                a = BranchFree.mulAdd(a, z, c0[i]);
                b = BranchFree.mulAdd(b, z, c1[i]);
            }
            out[k] = new Ext2(a, b);
        }
        return out;
    }

    /** Coefficients per block of {@link #univariate(long[], Ext2)}: z's powers below it are tabled once, each block read against them. */
    private static final int POWER_BLOCK = 1 << 12;

    /**
     * f̂(z) for base coefficients: f̂ = Σ_b z^(bB)·P_b(z) over blocks P_b of B coefficients, P_b(z) = (⟨c_b, (z^i)₀⟩, ⟨c_b, (z^i)₁⟩)
     * against z's tabled powers — a base coefficient times an extension power is two base products, summed unreduced
     * ({@link BranchFree#dot}), where Horner mod z's minimal polynomial ({@link #horner}) reduces two products per coefficient
     * (2^19 coefficients, one thread: 3.3 against 5.1 ms) — the blocks in parallel chunks, each chunk joined by Horner in z^B.
     * Exact field arithmetic: the value of any evaluation order.
     */
    static Ext2 univariate(long[] coefficients, Ext2 z) {
        int n = coefficients.length;
        if (n < 4 * POWER_BLOCK) {
            return horner(coefficients, 0, n, z);
        }
        long[] p0 = new long[POWER_BLOCK];
        long[] p1 = new long[POWER_BLOCK];
        Ext2 power = Ext2.ONE;
        for (int i = 0; i < POWER_BLOCK; i++) {
            p0[i] = power.c0();
            p1[i] = power.c1();
            power = power.mul(z);
        }
        Ext2 zb = power;
        int blocks = (n + POWER_BLOCK - 1) / POWER_BLOCK;
        List<Ext2> parts = Parallelism.mapChunks(blocks, 4, (from, to) -> {
            Ext2 acc = Ext2.ZERO;
            for (int k = to - 1; k >= from; k--) {
                int at = k * POWER_BLOCK;
                int len = Math.min(n - at, POWER_BLOCK);
                acc = acc.mul(zb).add(new Ext2(BranchFree.dot(coefficients, at, p0, 0, len), BranchFree.dot(coefficients, at, p1, 0, len)));
            }
            return acc.mul(zb.pow((long) from));
        });
        Ext2 sum = Ext2.ZERO;
        for (Ext2 part : parts) {
            sum = sum.add(part);
        }
        return sum;
    }

    /**
     * Σ_{i<to−from} c_(from+i)·z^i for base coefficients by the remainder mod z's minimal polynomial m(X) = X² − τX + ν
     * (τ = z + z̄ = 2z₀, ν = z·z̄ = z₀² − 7z₁²; for a base z, (X − z)²): m(z) = 0, so P(z) = r₁z + r₀ for
     * P ≡ r₁X + r₀ mod m. Horner mod m, from the top: (r₁X + r₀)·X + c ≡ (τr₁ + r₀)X + (c − νr₁), two base products per
     * coefficient where an extension Horner step takes five. Exact field arithmetic: the same value.
     */
    private static Ext2 horner(long[] c, int from, int to, Ext2 z) {
        long tau = Goldilocks.add(z.c0(), z.c0());
        long minusNu = minusNorm(z);
        long r1 = 0;
        long r0 = 0;
        for (int i = to - 1; i >= from; i--) {
            long t = BranchFree.mulAdd(r1, tau, r0);
            r0 = BranchFree.mulAdd(r1, minusNu, c[i]);
            r1 = t;
        }
        return remainderAt(r1, r0, z);
    }

    /** −z·z̄ = 7z₁² − z₀² (the norm negated: the constant of z's minimal polynomial, subtracted in {@link #horner}). */
    private static long minusNorm(Ext2 z) {
        return Goldilocks.sub(Goldilocks.mul(Ext2.W, Goldilocks.mul(z.c1(), z.c1())), Goldilocks.mul(z.c0(), z.c0()));
    }

    /** r₁z + r₀. */
    private static Ext2 remainderAt(long r1, long r0, Ext2 z) {
        return new Ext2(BranchFree.mulAdd(r1, z.c0(), r0), BranchFree.mul(r1, z.c1()));
    }

    /** f(q) from f's multilinear coefficients: bind the lowest variable at a time, c'_i = c_2i + q_j·c_2i+1. */
    static Ext2 multilinear(Ext2[] coefficients, Ext2[] q) {
        Ext2[] c = coefficients.clone();
        int length = c.length;
        for (Ext2 qj : q) {
            length /= 2;
            for (int i = 0; i < length; i++) {
                c[i] = c[2 * i].add(qj.mul(c[2 * i + 1]));
            }
        }
        return c[0];
    }
}
