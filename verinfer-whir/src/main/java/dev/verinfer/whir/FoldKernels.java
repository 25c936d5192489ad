package dev.verinfer.whir;

import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtMath;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Parallelism;

import java.util.List;

/**
 * The WHIR sumcheck's inner loops over f and the weight w: the round message (h(0), h(2)) of
 * h(X) = Σ_x f(X, x)·w(X, x), and the fold of both tables at the challenge fused with the next round's
 * message, so each step streams the tables once. Sums of products are accumulated without reduction
 * ({@link BranchFree#reduceSplit}); the messages are the same field elements as the direct formulas.
 */
final class FoldKernels {
    private static final int PARALLEL_CHUNK = 1 << 12;
    private static final long LOW32 = 0xFFFF_FFFFL;
    /** Accumulator slots: (lo, mid, top) for each of Σ x0y0, Σ x1y1, Σ x0y1, Σ x1y0, at X = 0 and at X = 2. */
    private static final int SLOTS = 24;
    /** Pairs per block of {@link #fold}: its folded entries stay in L1 for the message pass. */
    private static final int BLOCK = 512;

    private FoldKernels() {}

    /** (h(0), h(2)) for an extension f. */
    static Ext2[] message(ExtVector f, ExtVector w) {
        long[] f0 = f.c0();
        long[] f1 = f.c1();
        long[] w0 = w.c0();
        long[] w1 = w.c1();
        return sum(Parallelism.mapChunks(f.length() / 2, PARALLEL_CHUNK, (from, to) -> {
            long[] acc = new long[SLOTS];
            for (int i = from; i < to; i++) {
                accumulate(acc, f0[2 * i], f1[2 * i], f0[2 * i + 1], f1[2 * i + 1], w0[2 * i], w1[2 * i], w0[2 * i + 1], w1[2 * i + 1]);
            }
            return acc;
        }));
    }

    /** (h(0), h(2)) for a base-field f (its second coordinate zero). */
    static Ext2[] message(long[] f, ExtVector w) {
        long[] w0 = w.c0();
        long[] w1 = w.c1();
        return sum(Parallelism.mapChunks(f.length / 2, PARALLEL_CHUNK, (from, to) -> {
            long[] acc = new long[SLOTS];
            for (int i = from; i < to; i++) {
                long lo = f[2 * i];
                long two = BranchFree.sub(BranchFree.add(f[2 * i + 1], f[2 * i + 1]), lo);
                long lw0 = w0[2 * i];
                long lw1 = w1[2 * i];
                long tw0 = BranchFree.sub(BranchFree.add(w0[2 * i + 1], w0[2 * i + 1]), lw0);
                long tw1 = BranchFree.sub(BranchFree.add(w1[2 * i + 1], w1[2 * i + 1]), lw1);
                mac(acc, 0, lo, lw0);
                mac(acc, 6, lo, lw1);
                mac(acc, 12, two, tw0);
                mac(acc, 18, two, tw1);
            }
            return acc;
        }));
    }

    /**
     * Binds the lowest variable of f (base {@code fBase} or extension {@code fExt}) and of w to α,
     * returning the folded pair; with {@code withMessage}, also the message of the folded pair (the
     * folded tables then have at least two entries), computed in the same pass.
     */
    static Step fold(long[] fBase, ExtVector fExt, ExtVector w, Ext2 alpha, boolean withMessage) {
        int half = w.length() / 2;
        ExtVector fOut = ExtVector.zeros(half);
        ExtVector wOut = ExtVector.zeros(half);
        long r0 = alpha.c0();
        long r1 = alpha.c1();
        long[] s0 = fBase != null ? fBase : fExt.c0();
        long[] s1 = fBase != null ? null : fExt.c1();
        long[] sw0 = w.c0();
        long[] sw1 = w.c1();
        long[] d0 = fOut.c0();
        long[] d1 = fOut.c1();
        long[] dw0 = wOut.c0();
        long[] dw1 = wOut.c1();
        // Work on output pairs (2p, 2p + 1): exactly what the next message pairs up.
        int pairs = withMessage ? half / 2 : half;
        int per = withMessage ? 2 : 1;
        List<long[]> parts = Parallelism.mapChunks(pairs, PARALLEL_CHUNK, (from, to) -> {
            long[] acc = new long[withMessage ? SLOTS : 0];
            // Block by block: both folds, then the block's message terms while the folded entries are in cache.
            for (int start = from; start < to; start += BLOCK) {
                int end = Math.min(to, start + BLOCK);
                ExtMath.foldRange(s0, s1, r0, r1, d0, d1, per * start, per * end);
                ExtMath.foldRange(sw0, sw1, r0, r1, dw0, dw1, per * start, per * end);
                for (int p = start; withMessage && p < end; p++) {
                    int i = 2 * p;
                    accumulate(acc, d0[i], d1[i], d0[i + 1], d1[i + 1], dw0[i], dw1[i], dw0[i + 1], dw1[i + 1]);
                }
            }
            return acc;
        });
        return new Step(fOut, wOut, withMessage ? sum(parts) : null);
    }

    /** The folded tables and, if asked for, their round message. */
    record Step(ExtVector f, ExtVector w, Ext2[] message) {}

    /** Adds f(0)·w(0) and f(2)·w(2) of one pair (lo, hi of f and of w; values at 2 are 2·hi − lo). */
    private static void accumulate(long[] acc, long f0, long f1, long g0, long g1, long w0, long w1, long v0, long v1) {
        mac(acc, 0, f0, w0);
        mac(acc, 3, f1, w1);
        mac(acc, 6, f0, w1);
        mac(acc, 9, f1, w0);
        long t0 = BranchFree.sub(BranchFree.add(g0, g0), f0);
        long t1 = BranchFree.sub(BranchFree.add(g1, g1), f1);
        long u0 = BranchFree.sub(BranchFree.add(v0, v0), w0);
        long u1 = BranchFree.sub(BranchFree.add(v1, v1), w1);
        mac(acc, 12, t0, u0);
        mac(acc, 15, t1, u1);
        mac(acc, 18, t0, u1);
        mac(acc, 21, t1, u0);
    }

    /** (acc[at], acc[at + 1], acc[at + 2]) += x·y as (lo, mid, top) of {@link BranchFree#reduceSplit}. */
    static void mac(long[] acc, int at, long x, long y) {
        long pl = x * y;
        long ph = Math.unsignedMultiplyHigh(x, y);
        long lo = acc[at];
        long s = lo + pl;
        acc[at + 1] += (ph & LOW32) + (((lo & pl) | ((lo | pl) & ~s)) >>> 63);
        acc[at + 2] += ph >>> 32;
        acc[at] = s;
    }

    /** The message from the chunks' accumulators: c0 = Σ x0y0 + 7·Σ x1y1, c1 = Σ x0y1 + Σ x1y0, at 0 and 2. */
    private static Ext2[] sum(List<long[]> parts) {
        long[] v = new long[8];
        for (long[] acc : parts) {
            for (int s = 0; s < 8; s++) {
                v[s] = BranchFree.add(v[s], BranchFree.reduceSplit(acc[3 * s], acc[3 * s + 1], acc[3 * s + 2]));
            }
        }
        return new Ext2[] {
                new Ext2(BranchFree.add(v[0], BranchFree.mulBy7(v[1])), BranchFree.add(v[2], v[3])),
                new Ext2(BranchFree.add(v[4], BranchFree.mulBy7(v[5])), BranchFree.add(v[6], v[7])),
        };
    }
}
