package dev.verinfer.sumcheck;

import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtMath;
import dev.verinfer.field.Parallelism;

import java.util.List;

/**
 * Computes one round polynomial of Σ_x Σ_j c_j Π_{k ∈ S_j} P_k(x) at small integer points t:
 * p(t) = Σ_i Σ_j c_j Π_k ((1 − t)·P_k[2i] + t·P_k[2i + 1]). Tables are (c0, c1) coordinate arrays,
 * {@code c1[k] == null} marking a base table. Optionally every pair i carries an extension weight
 * w[i] (the eq factor of {@link SumcheckProver#proveWithEq}): p(t) = Σ_i w[i]·Σ_j c_j Π_k (…).
 *
 * <p>Pairs are processed in blocks of {@link #BLOCK}: first every table's line values at every point
 * for the whole block, then each term's products as tight loops over the block, summed without
 * reduction into 128-bit accumulators. The per-term dispatch is paid once per block, and nothing is
 * allocated per pair.
 */
final class RoundKernel {
    private static final int PARALLEL_PAIRS = 1 << 11;
    private static final int BLOCK = 256;
    private static final long LOW32 = 0xFFFF_FFFFL;

    private final int[][] factors;
    private final Ext2[] coefficients;
    private final int np; // number of evaluation points
    private final int maxPoint;
    private final boolean hasOne;

    /** {@code points} is 0, 2, …, d or 0, 1, 2, …, d. */
    RoundKernel(List<ProductTerm> terms, int[] points) {
        this.factors = terms.stream().map(ProductTerm::factors).toArray(int[][]::new);
        this.coefficients = terms.stream().map(ProductTerm::coefficient).toArray(Ext2[]::new);
        this.np = points.length;
        this.maxPoint = points[points.length - 1];
        this.hasOne = points.length > 1 && points[1] == 1;
    }

    /**
     * All tables base: the products run entirely in F_p. Without weights only the final Σ_j c_j·(…)
     * touches the extension; with (extension) weights each block's products are weighted then summed.
     */
    Ext2[] baseRound(long[][] c0, int pairs, long[] w0, long[] w1) {
        int nt = factors.length;
        List<long[]> partials = Parallelism.mapChunks(pairs, PARALLEL_PAIRS, (from, to) -> {
            int block = Math.min(BLOCK, to - from); // scratch stride: a round of few pairs allocates for those only
            long[] acc = new long[2 * nt * np];
            long[] v = new long[c0.length * np * block];
            long[] prod = new long[block];
            for (int start = from; start < to; start += block) {
                int len = Math.min(block, to - start);
                for (int k = 0; k < c0.length; k++) {
                    lineValues(c0[k], start, len, v, k * np * block, block);
                }
                for (int j = 0; j < nt; j++) {
                    int[] f = factors[j];
                    for (int e = 0; e < np; e++) {
                        long[] src = v;
                        int srcOff = (f[0] * np + e) * block;
                        // Without weights the last factor enters the lazily reduced dot product instead.
                        int reduced = w0 == null && f.length > 1 ? f.length - 1 : f.length;
                        for (int m = 1; m < reduced; m++) {
                            int o = (f[m] * np + e) * block;
                            for (int b = 0; b < len; b++) {
                                prod[b] = BranchFree.mul(src[srcOff + b], v[o + b]);
                            }
                            src = prod;
                            srcOff = 0;
                        }
                        int a = 2 * (j * np + e);
                        if (w0 == null && reduced < f.length) {
                            acc[a] = BranchFree.add(acc[a], BranchFree.dot(v, (f[reduced] * np + e) * block, src, srcOff, len));
                        } else if (w0 == null) {
                            acc[a] = BranchFree.add(acc[a], sum(src, srcOff, len));
                        } else {
                            acc[a] = BranchFree.add(acc[a], BranchFree.dot(w0, start, src, srcOff, len));
                            acc[a + 1] = BranchFree.add(acc[a + 1], BranchFree.dot(w1, start, src, srcOff, len));
                        }
                    }
                }
            }
            return acc;
        });
        return combine(partials);
    }

    /**
     * The general round over extension (and possibly some base) tables, optionally weighted per pair.
     * With {@code fold != null} the tables are still those of the previous round: each block first
     * binds their lowest variable to {@code fold} into (d0, d1) — the fold fused into this pass, so the
     * tables are streamed from memory once per round — and then reads the folded entries from cache.
     */
    Ext2[] extRound(long[][] c0, long[][] c1, Ext2 fold, long[][] d0, long[][] d1, int pairs, long[] w0, long[] w1) {
        int nt = factors.length;
        boolean[] base = new boolean[c0.length]; // base tables this round (a folded table is in the extension)
        for (int k = 0; k < c0.length; k++) {
            base[k] = fold == null && c1[k] == null;
        }
        List<long[]> partials = Parallelism.mapChunks(pairs, PARALLEL_PAIRS, (from, to) -> {
            int block = Math.min(BLOCK, to - from); // scratch stride: a round of few pairs allocates for those only
            long[] acc = new long[2 * nt * np]; // (c0, c1) per (term, point)
            long[] v0 = new long[c0.length * np * block];
            long[] v1 = new long[c0.length * np * block];
            long[] p0 = new long[block];
            long[] p1 = new long[block];
            for (int start = from; start < to; start += block) {
                int len = Math.min(block, to - start);
                for (int k = 0; k < c0.length; k++) {
                    int off = k * np * block;
                    long[] t0 = c0[k];
                    long[] t1 = c1[k];
                    if (fold != null) {
                        ExtMath.foldRange(t0, t1, fold.c0(), fold.c1(), d0[k], d1[k], 2 * start, 2 * (start + len));
                        t0 = d0[k];
                        t1 = d1[k];
                    }
                    lineValues(t0, start, len, v0, off, block);
                    if (t1 != null) {
                        lineValues(t1, start, len, v1, off, block);
                    }
                }
                for (int j = 0; j < nt; j++) {
                    int[] f = factors[j];
                    for (int e = 0; e < np; e++) {
                        long[] s0 = v0;
                        long[] s1 = v1;
                        int srcOff = (f[0] * np + e) * block;
                        boolean sBase = base[f[0]]; // s1 is then not read: the product so far lies in F_p
                        int a = 2 * (j * np + e);
                        if (w0 == null && f.length == 1) {
                            acc[a] = BranchFree.add(acc[a], sum(s0, srcOff, len));
                            if (!sBase) {
                                acc[a + 1] = BranchFree.add(acc[a + 1], sum(s1, srcOff, len));
                            }
                            continue;
                        }
                        // The last multiplication (by the weight, or without weights by the last factor)
                        // is a lazily reduced dot product; the ones before it are reduced products.
                        int reduced = w0 == null ? f.length - 1 : f.length;
                        for (int m = 1; m < reduced; m++) {
                            int o = (f[m] * np + e) * block;
                            if (sBase && base[f[m]]) {
                                for (int b = 0; b < len; b++) {
                                    p0[b] = BranchFree.mul(s0[srcOff + b], v0[o + b]);
                                }
                            } else if (sBase || base[f[m]]) {
                                // One factor in F_p: two base products instead of an extension product.
                                long[] x = sBase ? s0 : v0;
                                int xOff = sBase ? srcOff : o;
                                long[] y0 = sBase ? v0 : s0;
                                long[] y1 = sBase ? v1 : s1;
                                int yOff = sBase ? o : srcOff;
                                for (int b = 0; b < len; b++) {
                                    long xb = x[xOff + b];
                                    p1[b] = BranchFree.mul(xb, y1[yOff + b]);
                                    p0[b] = BranchFree.mul(xb, y0[yOff + b]);
                                }
                                sBase = false;
                            } else {
                                mulBlock(s0, s1, srcOff, v0, v1, o, p0, p1, len);
                            }
                            s0 = p0;
                            s1 = p1;
                            srcOff = 0;
                        }
                        if (w0 != null) {
                            dot(acc, a, s0, s1, srcOff, sBase, w0, w1, start, false, len);
                        } else {
                            dot(acc, a, s0, s1, srcOff, sBase, v0, v1, (f[reduced] * np + e) * block, base[f[reduced]], len);
                        }
                    }
                }
            }
            return acc;
        });
        return combine(partials);
    }

    /** Adds the chunks' accumulators and applies the term coefficients: the values at each point. */
    private Ext2[] combine(List<long[]> partials) {
        long[] acc = partials.getFirst();
        for (int c = 1; c < partials.size(); c++) {
            long[] q = partials.get(c);
            for (int x = 0; x < acc.length; x++) {
                acc[x] = BranchFree.add(acc[x], q[x]);
            }
        }
        Ext2[] out = new Ext2[np];
        for (int e = 0; e < np; e++) {
            Ext2 s = Ext2.ZERO;
            for (int j = 0; j < factors.length; j++) {
                int a = 2 * (j * np + e);
                s = s.add(coefficients[j].mul(new Ext2(acc[a], acc[a + 1])));
            }
            out[e] = s;
        }
        return out;
    }

    /**
     * For pairs start … start + len − 1 of one coordinate array, writes the line values lo + t·(hi − lo)
     * at every point to v[off + e·block + b] (the line is coordinate-wise, so each coordinate separately).
     */
    private void lineValues(long[] t, int start, int len, long[] v, int off, int block) {
        if (!hasOne && maxPoint == 2) { // points 0 and 2, every degree-2 round after the first: a straight loop
            for (int b = 0; b < len; b++) {
                int i = 2 * (start + b);
                long lo = t[i];
                long hi = t[i + 1];
                v[off + b] = lo;
                v[off + block + b] = BranchFree.add(hi, BranchFree.sub(hi, lo));
            }
            return;
        }
        int twoAt = hasOne ? 2 : 1; // slot of t = 2
        for (int b = 0; b < len; b++) {
            int i = 2 * (start + b);
            long lo = t[i];
            long hi = t[i + 1];
            v[off + b] = lo;
            if (hasOne) {
                v[off + block + b] = hi;
            }
            long diff = BranchFree.sub(hi, lo);
            long cur = hi;
            for (int p = 2; p <= maxPoint; p++) {
                cur = BranchFree.add(cur, diff);
                v[off + (twoAt + p - 2) * block + b] = cur;
            }
        }
    }

    /** (out0, out1)[b] = (a0, a1)[aOff + b] · (b0, b1)[bOff + b] in F_p[X]/(X² − 7) ({@link ExtMath#mulC0}, {@link ExtMath#mulC1}). */
    private static void mulBlock(long[] a0, long[] a1, int aOff, long[] b0, long[] b1, int bOff, long[] out0, long[] out1, int len) {
        for (int b = 0; b < len; b++) {
            long x0 = a0[aOff + b];
            long x1 = a1[aOff + b];
            long y0 = b0[bOff + b];
            long y1 = b1[bOff + b];
            out1[b] = ExtMath.mulC1(x0, x1, y0, y1);
            out0[b] = ExtMath.mulC0(x0, x1, y0, y1);
        }
    }

    /** acc[a, a + 1] += Σ_b x[xOff + b]·y[yOff + b] for x, y each in F_p (second coordinate not read) or the extension. */
    private static void dot(long[] acc, int a, long[] x0, long[] x1, int xOff, boolean xBase, long[] y0, long[] y1, int yOff, boolean yBase, int len) {
        if (xBase && yBase) {
            acc[a] = BranchFree.add(acc[a], BranchFree.dot(x0, xOff, y0, yOff, len));
        } else if (xBase || yBase) {
            long[] b = xBase ? x0 : y0;
            int bOff = xBase ? xOff : yOff;
            long[] e0 = xBase ? y0 : x0;
            long[] e1 = xBase ? y1 : x1;
            int eOff = xBase ? yOff : xOff;
            acc[a] = BranchFree.add(acc[a], BranchFree.dot(b, bOff, e0, eOff, len));
            acc[a + 1] = BranchFree.add(acc[a + 1], BranchFree.dot(b, bOff, e1, eOff, len));
        } else {
            weightedSumExt(x0, x1, xOff, y0, y1, yOff, len, acc, a);
        }
    }

    /**
     * acc[a, a + 1] += Σ_b (s0 + s1·X)[sOff + b]·(w0 + w1·X)[wOff + b] in F_p[X]/(X² − 7): the four
     * coordinate dot products summed without reduction, c0 = Σ s0w0 + 7·Σ s1w1, c1 = Σ s0w1 + Σ s1w0.
     */
    private static void weightedSumExt(long[] s0, long[] s1, int sOff, long[] w0, long[] w1, int wOff, int len, long[] acc, int a) {
        long lo00 = 0, mid00 = 0, top00 = 0, lo11 = 0, mid11 = 0, top11 = 0;
        long lo01 = 0, mid01 = 0, top01 = 0, lo10 = 0, mid10 = 0, top10 = 0;
        for (int b = 0; b < len; b++) {
            long x0 = s0[sOff + b];
            long x1 = s1[sOff + b];
            long y0 = w0[wOff + b];
            long y1 = w1[wOff + b];
            long pl = x0 * y0;
            long ph = Math.unsignedMultiplyHigh(x0, y0);
            long t = lo00 + pl;
            mid00 += (ph & LOW32) + (((lo00 & pl) | ((lo00 | pl) & ~t)) >>> 63);
            top00 += ph >>> 32;
            lo00 = t;
            pl = x1 * y1;
            ph = Math.unsignedMultiplyHigh(x1, y1);
            t = lo11 + pl;
            mid11 += (ph & LOW32) + (((lo11 & pl) | ((lo11 | pl) & ~t)) >>> 63);
            top11 += ph >>> 32;
            lo11 = t;
            pl = x0 * y1;
            ph = Math.unsignedMultiplyHigh(x0, y1);
            t = lo01 + pl;
            mid01 += (ph & LOW32) + (((lo01 & pl) | ((lo01 | pl) & ~t)) >>> 63);
            top01 += ph >>> 32;
            lo01 = t;
            pl = x1 * y0;
            ph = Math.unsignedMultiplyHigh(x1, y0);
            t = lo10 + pl;
            mid10 += (ph & LOW32) + (((lo10 & pl) | ((lo10 | pl) & ~t)) >>> 63);
            top10 += ph >>> 32;
            lo10 = t;
        }
        long c0 = BranchFree.add(BranchFree.reduceSplit(lo00, mid00, top00), BranchFree.mulBy7(BranchFree.reduceSplit(lo11, mid11, top11)));
        long c1 = BranchFree.add(BranchFree.reduceSplit(lo01, mid01, top01), BranchFree.reduceSplit(lo10, mid10, top10));
        acc[a] = BranchFree.add(acc[a], c0);
        acc[a + 1] = BranchFree.add(acc[a + 1], c1);
    }

    /** Σ v[off …off + len) mod p, accumulated as a 128-bit integer and reduced once. */
    private static long sum(long[] v, int off, int len) {
        long lo = 0;
        long hi = 0;
        for (int b = 0; b < len; b++) {
            long x = v[off + b];
            long s = lo + x;
            hi += ((lo & x) | ((lo | x) & ~s)) >>> 63; // carry, computed without a branch
            lo = s;
        }
        return BranchFree.reduce128(hi, lo);
    }
}
