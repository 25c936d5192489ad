package dev.verinfer.whir;

import java.util.Arrays;

import dev.verinfer.dft.Ntt;
import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;
import dev.verinfer.field.Parallelism;
import dev.verinfer.poly.Mle;

/**
 * The prover's updates of the weight table w: adding γ-weighted eq terms. The results are the same
 * field elements as the direct formulas (the proof bytes do not depend on how they are computed).
 */
final class WeightKernels {
    private static final int PARALLEL_CHUNK = 1 << 12;
    /** Variables of the low factor in {@link #addEqsOfPowers}: 2^7 rows of per-query coefficients stay in cache. */
    private static final int LOW_VARS = 7;
    private static final long LOW32 = 0xFFFF_FFFFL;

    private WeightKernels() {}

    /**
     * w += c·eq(point, ·) ({@link Mle#addEqTable}: no eq table of w's size). A point whose last coordinates
     * are 0 or 1 (a hiding opening's claims (r, 0, …), the mask commitment's pieces at their block's
     * index) touches one block: eq(b, x_j) = [x_j = b] for boolean b, so only the 2^m entries with those
     * bits equal to the suffix get c·eq(prefix, ·) — the same field elements as the full sum.
     */
    static void addEq(ExtVector w, Ext2 c, Ext2[] point) {
        int m = freePrefix(point);
        Mle.addEqTable(Arrays.copyOf(point, m), c, w, suffixIndex(point, m) << m, 1);
    }

    /** f(point) for f's evaluation table, reading only the block that a boolean suffix selects ({@link #addEq}). */
    static Ext2 evaluate(long[] table, Ext2[] point) {
        int m = freePrefix(point);
        if (m == point.length) {
            return Mle.evaluate(table, point);
        }
        int from = suffixIndex(point, m) << m;
        return Mle.evaluate(Arrays.copyOfRange(table, from, from + (1 << m)), Arrays.copyOf(point, m));
    }

    /** The point's length without its suffix of coordinates 0 and 1. */
    private static int freePrefix(Ext2[] point) {
        int m = point.length;
        while (m > 0 && (point[m - 1].equals(Ext2.ZERO) || point[m - 1].equals(Ext2.ONE))) {
            m--;
        }
        return m;
    }

    /** The boolean coordinates from {@code m} on as an index (coordinate j is bit j − m). */
    private static int suffixIndex(Ext2[] point, int m) {
        int index = 0;
        for (int j = point.length - 1; j >= m; j--) {
            index = 2 * index + (point[j].equals(Ext2.ONE) ? 1 : 0);
        }
        return index;
    }

    /**
     * w += Σ_q c_q·eq((y_q, y_q², y_q⁴, …), ·) for the folded query points y_q = ω^(j_q), ω the primitive 2^logGroup-th
     * root of unity ({@link Codewords#foldedPoint}), 2^vars ≤ 2^logGroup. With X read as the bits of x,
     * eq((y, y², …), x) = Π_{b∈X} y^(2^b)·Π_{b∉X} (1 − y^(2^b)) = Σ_{T⊇X} (−1)^|T∖X|·y^T (expand the second product:
     * each S ⊆ ∁X adds (−1)^|S|·y^(X+S), and X + S = X ∪ S = T). So w(x) += Σ_{T⊇X} (−1)^|T∖X|·g(T) with
     * g(T) = Σ_q c_q·y_q^T = Σ_j C_j·ω^(jT), C_j = Σ_{q: j_q = j} c_q: g is the NTT of size 2^logGroup of the sparse C (one
     * per coordinate, {@link Ntt#forwardSparse}), and the sum over supersets is the Möbius transform of g's first 2^vars
     * entries read backwards (complementing the bits maps supersets to subsets), O(2^logGroup·(log q + 1)) against
     * {@link #addEqsOfPowers}'s O(q·2^vars), which it replaces when that is larger. The same field elements either way.
     */
    static void addEqsOfRootPowers(ExtVector w, Ext2[] c, int[] exponents, int logGroup, int vars) {
        int q = exponents.length;
        if ((long) (33 - Integer.numberOfLeadingZeros(q)) << logGroup >= (long) q << vars) { // the sparse NTT's stages
            long[] ys = new long[q];
            long root = Goldilocks.rootOfUnity(logGroup);
            for (int k = 0; k < q; k++) {
                ys[k] = Goldilocks.pow(root, exponents[k]);
            }
            addEqsOfPowers(w, c, ys, vars);
            return;
        }
        long[] c0 = new long[q];
        long[] c1 = new long[q];
        for (int k = 0; k < q; k++) {
            c0[k] = c[k].c0();
            c1[k] = c[k].c1();
        }
        long[] g0 = Ntt.forwardSparse(exponents, c0, logGroup);
        long[] g1 = Ntt.forwardSparse(exponents, c1, logGroup);
        int size = 1 << vars;
        long[] m0 = new long[size];
        long[] m1 = new long[size];
        for (int t = 0; t < size; t++) {
            m0[t] = g0[size - 1 - t];
            m1[t] = g1[size - 1 - t];
        }
        Codewords.toCoefficients(m0);
        Codewords.toCoefficients(m1);
        long[] d0 = w.c0();
        long[] d1 = w.c1();
        for (int x = 0; x < size; x++) {
            d0[x] = BranchFree.add(d0[x], m0[size - 1 - x]);
            d1[x] = BranchFree.add(d1[x], m1[size - 1 - x]);
        }
    }

    /**
     * w += Σ_q c_q·eq((y_q, y_q², y_q⁴, …), ·) for base-field y_q. Each eq factors over the low
     * {@link #LOW_VARS} variables and the rest, eq_q(x) = lo_q(x_low)·hi_q(x_high), so
     * w(x) += Σ_q (c_q·lo_q(x_low))·hi_q(x_high): a dot product over q of an extension row (one per
     * x_low, in cache) and a base row (one per x_high), summed without reduction (two 64-bit products
     * per query instead of building, scaling and adding a full eq table per query).
     */
    static void addEqsOfPowers(ExtVector w, Ext2[] c, long[] ys, int vars) {
        int q = ys.length;
        if (q == 0) {
            return;
        }
        int lowVars = Math.min(vars, LOW_VARS);
        int highVars = vars - lowVars;
        int lowSize = 1 << lowVars;
        int highSize = 1 << highVars;
        // a[x_low·q + k] = c_k·lo_k(x_low) (extension); h[x_high·q + k] = hi_k(x_high) (base).
        long[] a0 = new long[lowSize * q];
        long[] a1 = new long[lowSize * q];
        long[] h = new long[highSize * q];
        long[] eq = new long[Math.max(lowSize, highSize)];
        for (int k = 0; k < q; k++) {
            long p = ys[k];
            p = powersTable(eq, p, lowVars);
            long c0 = c[k].c0();
            long c1 = c[k].c1();
            for (int i = 0; i < lowSize; i++) {
                a0[i * q + k] = BranchFree.mul(c0, eq[i]);
                a1[i * q + k] = BranchFree.mul(c1, eq[i]);
            }
            powersTable(eq, p, highVars);
            for (int i = 0; i < highSize; i++) {
                h[i * q + k] = eq[i];
            }
        }
        long[] d0 = w.c0();
        long[] d1 = w.c1();
        Parallelism.forEachChunk(highSize, Math.max(1, PARALLEL_CHUNK >> lowVars), (from, to) -> {
            for (int xh = from; xh < to; xh++) {
                int hOff = xh * q;
                int base = xh << lowVars;
                for (int xl = 0; xl < lowSize; xl++) {
                    int aOff = xl * q;
                    int i = base | xl;
                    // The sums start from w's entry (its low word), so one reduction gives w + Σ.
                    long lo0 = d0[i], mid0 = 0, top0 = 0, lo1 = d1[i], mid1 = 0, top1 = 0;
                    for (int k = 0; k < q; k++) {
                        long y = h[hOff + k];
                        long x0 = a0[aOff + k];
                        long x1 = a1[aOff + k];
                        long pl = x0 * y;
                        long ph = Math.unsignedMultiplyHigh(x0, y);
                        long s = lo0 + pl;
                        mid0 += (ph & LOW32) + (((lo0 & pl) | ((lo0 | pl) & ~s)) >>> 63);
                        top0 += ph >>> 32;
                        lo0 = s;
                        pl = x1 * y;
                        ph = Math.unsignedMultiplyHigh(x1, y);
                        s = lo1 + pl;
                        mid1 += (ph & LOW32) + (((lo1 & pl) | ((lo1 | pl) & ~s)) >>> 63);
                        top1 += ph >>> 32;
                        lo1 = s;
                    }
                    d0[i] = BranchFree.reduceSplit(lo0, mid0, top0);
                    d1[i] = BranchFree.reduceSplit(lo1, mid1, top1);
                }
            }
        });
    }

    /** Fills eq[0, 2^vars) with eq((p, p², p⁴, …), ·) and returns p^(2^vars), the next coordinate. */
    private static long powersTable(long[] eq, long p, int vars) {
        eq[0] = 1;
        for (int j = 0; j < vars; j++) {
            int half = 1 << j;
            for (int i = 0; i < half; i++) {
                long hi = BranchFree.mul(eq[i], p);
                eq[i + half] = hi;
                eq[i] = BranchFree.sub(eq[i], hi);
            }
            p = Goldilocks.mul(p, p);
        }
        return p;
    }
}
