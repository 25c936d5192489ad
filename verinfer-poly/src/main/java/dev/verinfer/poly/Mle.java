package dev.verinfer.poly;

import dev.verinfer.field.BranchFree;
import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtMath;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Parallelism;

import java.util.List;

/**
 * Dense multilinear polynomials given by their tables of 2^n evaluations over {0,1}^n.
 *
 * <p>Convention (fixed across verinfer): bit j of a table index is variable j, so {@code point[0]}
 * is the least significant bit. For a row-major matrix with a power-of-two column count the column
 * bits come first in a point. Folding the lowest variable pairs entries (2i, 2i + 1):
 * f'(i) = f(2i) + r·(f(2i + 1) − f(2i)).
 *
 * <p>Everything here runs on primitive arrays and is split over {@link Parallelism} above
 * {@link #PARALLEL_CHUNK} elements. Inputs are never modified unless a method says so.
 */
public final class Mle {
    /** Minimum elements per parallel chunk. */
    static final int PARALLEL_CHUNK = 1 << 12;

    private Mle() {}

    /** The number of variables of a table: log2 of its length, which must be a power of two. */
    public static int numVars(int length) {
        if (length <= 0 || Integer.bitCount(length) != 1) {
            throw new IllegalArgumentException("table length is not a power of two: " + length);
        }
        return Integer.numberOfTrailingZeros(length);
    }

    /** Below this many variables a base table is evaluated by folding ({@link #evaluate(long[], Ext2[])}). */
    private static final int SPLIT_MIN_VARS = 8;

    /**
     * f(point) for a base-field table; {@code point.length} must equal the number of variables. With
     * x = h·2^l + i (l the low half of the variables), f(p) = Σ_h eq(p_high, h)·Σ_i eq(p_low, i)·f[x]: two
     * eq tables of 2^(n/2) entries, and per row two base-by-base dot products summed without reduction
     * ({@link BranchFree#dot}) — no table of 2^(n−1) extension values is built and folded.
     */
    public static Ext2 evaluate(long[] table, Ext2[] point) {
        int n = numVars(table.length);
        checkArity(n, point.length);
        if (n == 0) {
            return Ext2.of(table[0]);
        }
        if (n < SPLIT_MIN_VARS) {
            ExtVector t = foldLowest(table, point[0]);
            return foldToValue(t, t.length(), point, 1);
        }
        SplitEq eq = SplitEq.of(point);
        int width = eq.width();
        List<long[]> parts = eq.overRows((from, to) -> {
            long a0 = 0;
            long a1 = 0;
            for (int h = from; h < to; h++) {
                long s0 = BranchFree.dot(table, h * width, eq.l0(), 0, width);
                long s1 = BranchFree.dot(table, h * width, eq.l1(), 0, width);
                a0 = BranchFree.add(a0, ExtMath.mulC0(eq.h0()[h], eq.h1()[h], s0, s1));
                a1 = BranchFree.add(a1, ExtMath.mulC1(eq.h0()[h], eq.h1()[h], s0, s1));
            }
            return new long[] {a0, a1};
        });
        long c0 = 0;
        long c1 = 0;
        for (long[] part : parts) {
            c0 = BranchFree.add(c0, part[0]);
            c1 = BranchFree.add(c1, part[1]);
        }
        return new Ext2(c0, c1);
    }

    /**
     * (a(point), b(point)) for two base-field tables of one arity, in one pass ({@link #evaluate(long[], Ext2[])} each: the same
     * values): per row the four dot products of both tables' rows against the low eq table's two coordinates side by side
     * ({@link BranchFree#dotTwoByTwo}), which overlap where one table's two run one after the other (a hiding batch's cross
     * values read a member's f′ and g at every other member's point).
     */
    public static Ext2[] evaluateTwo(long[] a, long[] b, Ext2[] point) {
        int n = numVars(a.length);
        checkArity(n, point.length);
        if (b.length != a.length) {
            throw new IllegalArgumentException("tables of " + a.length + " and " + b.length + " entries");
        }
        return evaluateTwo(a, b, 0, point);
    }

    /**
     * {@link #evaluateTwo(long[], long[], Ext2[])} of the sub-tables a[offset, offset + 2^n) and b[offset, offset + 2^n), n the
     * point's arity, read in place.
     */
    public static Ext2[] evaluateTwo(long[] a, long[] b, int offset, Ext2[] point) {
        int n = point.length;
        int end = offset + (1 << n);
        if (n > 30 || offset < 0 || end > a.length || end > b.length) {
            throw new IllegalArgumentException("no 2^" + n + " entries from " + offset + " in tables of " + a.length + " and " + b.length);
        }
        if (n < SPLIT_MIN_VARS) {
            return new Ext2[] {evaluate(java.util.Arrays.copyOfRange(a, offset, end), point), evaluate(java.util.Arrays.copyOfRange(b, offset, end), point)};
        }
        SplitEq eq = SplitEq.of(point);
        int width = eq.width();
        List<long[]> parts = eq.overRows((from, to) -> {
            long[] acc = new long[4];
            long[] s = new long[4];
            for (int h = from; h < to; h++) {
                BranchFree.dotTwoByTwo(a, b, offset + h * width, eq.l0(), eq.l1(), 0, width, s);
                long e0 = eq.h0()[h];
                long e1 = eq.h1()[h];
                acc[0] = BranchFree.add(acc[0], ExtMath.mulC0(e0, e1, s[0], s[1]));
                acc[1] = BranchFree.add(acc[1], ExtMath.mulC1(e0, e1, s[0], s[1]));
                acc[2] = BranchFree.add(acc[2], ExtMath.mulC0(e0, e1, s[2], s[3]));
                acc[3] = BranchFree.add(acc[3], ExtMath.mulC1(e0, e1, s[2], s[3]));
            }
            return acc;
        });
        long[] sum = new long[4];
        for (long[] part : parts) {
            for (int k = 0; k < 4; k++) {
                sum[k] = BranchFree.add(sum[k], part[k]);
            }
        }
        return new Ext2[] {new Ext2(sum[0], sum[1]), new Ext2(sum[2], sum[3])};
    }

    /**
     * eq(point, ·) split for a row-by-row evaluation: the table read as rows of 2^low entries, low = ⌈n/2⌉, f(point) =
     * Σ_h eq(high, h)·⟨row h, eq(low, ·)⟩ — the low eq table's two coordinates and the high one's.
     */
    private record SplitEq(int width, long[] l0, long[] l1, long[] h0, long[] h1) {
        static SplitEq of(Ext2[] point) {
            int n = point.length;
            int low = (n + 1) / 2;
            ExtVector eqLow = eqTable(java.util.Arrays.copyOfRange(point, 0, low));
            ExtVector eqHigh = eqTable(java.util.Arrays.copyOfRange(point, low, n));
            return new SplitEq(1 << low, eqLow.c0(), eqLow.c1(), eqHigh.c0(), eqHigh.c1());
        }

        /** {@code rows} mapped over chunks [from, to) of the table's rows (one per high eq entry), in parallel. */
        List<long[]> overRows(Parallelism.RangeFunction<long[]> rows) {
            return Parallelism.mapChunks(h0.length, Math.max(1, PARALLEL_CHUNK / width), rows);
        }
    }

    /** f(point) for an extension-field table. */
    public static Ext2 evaluate(ExtVector table, Ext2[] point) {
        checkArity(numVars(table.length()), point.length);
        if (point.length == 0) {
            return table.get(0);
        }
        ExtVector t = foldLowest(table, point[0]);
        return foldToValue(t, t.length(), point, 1);
    }

    private static Ext2 foldToValue(ExtVector t, int length, Ext2[] point, int from) {
        ExtVector scratch = ExtVector.zeros(Math.max(1, length / 2));
        ExtVector src = t;
        ExtVector dst = scratch;
        for (int j = from; j < point.length; j++) {
            foldLowest(src, length, point[j], dst);
            length /= 2;
            ExtVector swap = src;
            src = dst;
            dst = swap;
        }
        return src.get(0);
    }

    /** The table of eq(point, x) = Π_j (point_j·x_j + (1 − point_j)(1 − x_j)) for all x ∈ {0,1}^n. */
    public static ExtVector eqTable(Ext2[] point) {
        return eqTable(point, Ext2.ONE);
    }

    /** The table of scale·eq(point, x) for all x ∈ {0,1}^n (built from scale, so the scaling costs nothing). */
    public static ExtVector eqTable(Ext2[] point, Ext2 scale) {
        int n = point.length;
        ExtVector t = ExtVector.zeros(1 << n);
        long[] t0 = t.c0();
        long[] t1 = t.c1();
        t0[0] = scale.c0();
        t1[0] = scale.c1();
        // After step j the first 2^(j+1) entries hold eq over variables 0..j; variable j is bit j.
        for (int j = 0; j < n; j++) {
            int half = 1 << j;
            long r0 = point[j].c0();
            long r1 = point[j].c1();
            Parallelism.forEachChunk(half, PARALLEL_CHUNK, (from, to) -> {
                for (int i = from; i < to; i++) {
                    long v0 = t0[i];
                    long v1 = t1[i];
                    ExtMath.mul(v0, v1, r0, r1, t0, t1, i + half);
                    t0[i] = BranchFree.sub(v0, t0[i + half]);
                    t1[i] = BranchFree.sub(v1, t1[i + half]);
                }
            });
        }
        return t;
    }

    /**
     * dst[offset + x·stride] += scale·eq(point, x) for every x ∈ {0,1}^n, in one pass and without an eq table of
     * 2^n entries: with x = h·2^l + i, scale·eq(point, x) = (scale·eq(p_high, h))·eq(p_low, i), one extension
     * product per entry from two tables of 2^(n/2) entries. The same field elements as adding {@link #eqTable}.
     */
    public static void addEqTable(Ext2[] point, Ext2 scale, ExtVector dst, int offset, int stride) {
        int n = point.length;
        int low = (n + 1) / 2;
        int width = 1 << low;
        ExtVector eqLow = eqTable(java.util.Arrays.copyOfRange(point, 0, low));
        ExtVector eqHigh = eqTable(java.util.Arrays.copyOfRange(point, low, n), scale);
        long[] l0 = eqLow.c0();
        long[] l1 = eqLow.c1();
        long[] h0 = eqHigh.c0();
        long[] h1 = eqHigh.c1();
        long[] d0 = dst.c0();
        long[] d1 = dst.c1();
        Parallelism.forEachChunk(1 << (n - low), Math.max(1, PARALLEL_CHUNK / width), (from, to) -> {
            for (int h = from; h < to; h++) {
                long a0 = h0[h];
                long a1 = h1[h];
                long a1w = BranchFree.mulBy7(a1);
                int at = offset + h * width * stride;
                // d += a·b: d0 + a0b0 + 7a1·b1 and d1 + a0b1 + a1b0, each reduced once.
                for (int i = 0; i < width; i++, at += stride) {
                    long b0 = l0[i];
                    long b1 = l1[i];
                    d0[at] = BranchFree.mulMulAdd(a0, b0, a1w, b1, d0[at]);
                    d1[at] = BranchFree.mulMulAdd(a0, b1, a1, b0, d1[at]);
                }
            }
        });
    }

    /**
     * dst[offset + x·stride] += Σ_k scales_k·eq(points_k, x) for every x ∈ {0,1}^n and several points of arity n: with
     * x = h·2^l + i, entry x gets Σ_k (scale_k·eq(p_k,high, h))·eq(p_k,low, i), the K extension products of each entry
     * summed unreduced as Karatsuba's three dot products ({@link BranchFree#addExtDots}: c0 = Σ a0·b0 + 7·Σ a1·b1,
     * c1 = Σ (a0 + a1)(b0 + b1) − Σ a0·b0 − Σ a1·b1; four before) over the points' tables laid out point-minor, and dst read
     * and written once, where K calls of {@link #addEqTable} would reduce every product and pass over dst K times. The same
     * field elements as those calls.
     */
    public static void addEqTables(List<Ext2[]> points, List<Ext2> scales, ExtVector dst, int offset, int stride) {
        int count = points.size();
        if (count != scales.size()) {
            throw new IllegalArgumentException(count + " points, " + scales.size() + " scales");
        }
        int n = count == 0 ? 0 : points.getFirst().length;
        if (count < 2 || n < 2) {
            for (int k = 0; k < count; k++) {
                addEqTable(points.get(k), scales.get(k), dst, offset, stride);
            }
            return;
        }
        points.forEach(p -> checkArity(n, p.length));
        int low = (n + 1) / 2;
        int width = 1 << low;
        int rows = 1 << (n - low);
        long[] lows = new long[3 * width * count]; // eq(p_k,low, i) at 3(i·K + k) as (c0, c1, c0 + c1)
        long[] highs = new long[3 * rows * count]; // scale_k·eq(p_k,high, h) at 3(h·K + k), likewise
        Parallelism.forEachChunk(count, 1, (from, to) -> {
            for (int k = from; k < to; k++) {
                Ext2[] p = points.get(k);
                triples(eqTable(java.util.Arrays.copyOfRange(p, 0, low), Ext2.ONE), lows, count, k);
                triples(eqTable(java.util.Arrays.copyOfRange(p, low, n), scales.get(k)), highs, count, k);
            }
        });
        long[] d0 = dst.c0();
        long[] d1 = dst.c1();
        Parallelism.forEachChunk(rows, Math.max(1, PARALLEL_CHUNK / width), (from, to) -> {
            for (int h = from; h < to; h++) {
                BranchFree.addExtDots(highs, 3 * h * count, lows, count, width, d0, d1, offset + h * width * stride, stride);
            }
        });
    }

    /** Entry j of {@code t} as the triple (c0, c1, c0 + c1) at 3(j·count + k) of {@code out} ({@link BranchFree#addExtDots}'s layout). */
    private static void triples(ExtVector t, long[] out, int count, int k) {
        for (int j = 0; j < t.length(); j++) {
            int at = 3 * (j * count + k);
            out[at] = t.c0()[j];
            out[at + 1] = t.c1()[j];
            out[at + 2] = BranchFree.add(t.c0()[j], t.c1()[j]);
        }
    }

    /** eq(a, b) = Π_j (a_j·b_j + (1 − a_j)(1 − b_j)) in O(n). */
    public static Ext2 eq(Ext2[] a, Ext2[] b) {
        checkArity(a.length, b.length);
        Ext2 acc = Ext2.ONE;
        for (int j = 0; j < a.length; j++) {
            Ext2 ab = a[j].mul(b[j]);
            // a·b + (1 − a)(1 − b) = 1 − a − b + 2ab
            acc = acc.mul(Ext2.ONE.sub(a[j]).sub(b[j]).add(ab).add(ab));
        }
        return acc;
    }

    /** Binds the lowest variable of a base table to r: a new table of half the length. */
    public static ExtVector foldLowest(long[] table, Ext2 r) {
        numVars(table.length);
        ExtVector out = ExtVector.zeros(table.length / 2);
        foldLowest(table, table.length, r, out);
        return out;
    }

    /** Binds the lowest variable of an extension table to r: a new table of half the length. */
    public static ExtVector foldLowest(ExtVector table, Ext2 r) {
        numVars(table.length());
        ExtVector out = ExtVector.zeros(table.length() / 2);
        foldLowest(table, table.length(), r, out);
        return out;
    }

    /**
     * Binds the lowest variable of the first {@code length} entries of {@code src} (a power of two,
     * at least 2) to r, writing {@code length / 2} entries to {@code dst}.
     */
    public static void foldLowest(long[] src, int length, Ext2 r, ExtVector dst) {
        checkFold(length, src.length, dst.length());
        long r0 = r.c0();
        long r1 = r.c1();
        long[] d0 = dst.c0();
        long[] d1 = dst.c1();
        Parallelism.forEachChunk(length / 2, PARALLEL_CHUNK, (from, to) -> {
            for (int i = from; i < to; i++) {
                long lo = src[2 * i];
                long diff = BranchFree.sub(src[2 * i + 1], lo);
                d0[i] = BranchFree.add(lo, BranchFree.mul(r0, diff));
                d1[i] = BranchFree.mul(r1, diff);
            }
        });
    }

    /**
     * Binds the lowest variable of the first {@code length} entries of {@code src} to r, writing
     * {@code length / 2} entries to {@code dst}. {@code dst} may be {@code src} (an in-place fold);
     * then it runs on the calling thread, since a parallel split would overwrite entries still to be read.
     */
    public static void foldLowest(ExtVector src, int length, Ext2 r, ExtVector dst) {
        checkFold(length, src.length(), dst.length());
        long r0 = r.c0();
        long r1 = r.c1();
        long[] s0 = src.c0();
        long[] s1 = src.c1();
        long[] d0 = dst.c0();
        long[] d1 = dst.c1();
        Parallelism.RangeBody body = (from, to) -> {
            for (int i = from; i < to; i++) {
                long lo0 = s0[2 * i];
                long lo1 = s1[2 * i];
                long e0 = BranchFree.sub(s0[2 * i + 1], lo0);
                long e1 = BranchFree.sub(s1[2 * i + 1], lo1);
                ExtMath.mul(r0, r1, e0, e1, d0, d1, i);
                d0[i] = BranchFree.add(d0[i], lo0);
                d1[i] = BranchFree.add(d1[i], lo1);
            }
        };
        if (src.c0() == dst.c0()) {
            body.run(0, length / 2);
        } else {
            Parallelism.forEachChunk(length / 2, PARALLEL_CHUNK, body);
        }
    }

    /**
     * Binds the lowest k = {@code lowPoint.length} variables (variable j to {@code lowPoint[j]}),
     * leaving a table in the remaining high variables: g(y) = f(lowPoint, y).
     */
    public static ExtVector foldLow(long[] table, Ext2[] lowPoint) {
        int n = numVars(table.length);
        checkPrefix(n, lowPoint.length);
        if (lowPoint.length == 0) {
            return ExtVector.ofBase(table);
        }
        ExtVector t = foldLowest(table, lowPoint[0]);
        return foldRemainingLow(t, lowPoint, 1);
    }

    /** As {@link #foldLow(long[], Ext2[])} for an extension table. */
    public static ExtVector foldLow(ExtVector table, Ext2[] lowPoint) {
        int n = numVars(table.length());
        checkPrefix(n, lowPoint.length);
        if (lowPoint.length == 0) {
            return table.copy();
        }
        ExtVector t = foldLowest(table, lowPoint[0]);
        return foldRemainingLow(t, lowPoint, 1);
    }

    private static ExtVector foldRemainingLow(ExtVector t, Ext2[] lowPoint, int from) {
        ExtVector src = t;
        int length = t.length();
        for (int j = from; j < lowPoint.length; j++) {
            ExtVector dst = ExtVector.zeros(length / 2);
            foldLowest(src, length, lowPoint[j], dst);
            src = dst;
            length /= 2;
        }
        return src;
    }

    /** Below this many low variables {@link #foldLowHigh} folds (a row's dot product is too short to pay for itself). */
    private static final int DOT_MIN_LOW_VARS = 3;

    /**
     * g(y) = f(low, y, high) for a base table: its lowest {@code low.length} variables bound to {@code low} and its highest
     * {@code high.length} to {@code high} — {@code foldHigh(foldLow(table, low), high)}, the same values — in one pass: with
     * x = (h·2^m + y)·2^l + i, g(y) = Σ_h eq(high, h)·Σ_i eq(low, i)·f[x], each row of 2^l entries two base-by-base dot products
     * against the low eq table's coordinates, summed without reduction ({@link BranchFree#dot}); no table of 2^(n−1)
     * extension values is built and folded.
     */
    public static ExtVector foldLowHigh(long[] table, Ext2[] low, Ext2[] high) {
        return foldLowHigh(table, null, low, high)[0];
    }

    /**
     * {@link #foldLowHigh(long[], Ext2[], Ext2[])} of two base tables of one arity in one pass: per row the four dot products of
     * both rows against the low eq table's coordinates side by side ({@link BranchFree#dotTwoByTwo}).
     */
    public static ExtVector[] foldLowHighTwo(long[] a, long[] b, Ext2[] low, Ext2[] high) {
        if (b.length != a.length) {
            throw new IllegalArgumentException("tables of " + a.length + " and " + b.length + " entries");
        }
        return foldLowHigh(a, b, low, high);
    }

    /** {@code b == null}: one table. */
    private static ExtVector[] foldLowHigh(long[] a, long[] b, Ext2[] low, Ext2[] high) {
        int n = numVars(a.length);
        checkPrefix(n, low.length + high.length);
        if (low.length < DOT_MIN_LOW_VARS) {
            return b == null ? new ExtVector[] {foldHigh(foldLow(a, low), high)}
                    : new ExtVector[] {foldHigh(foldLow(a, low), high), foldHigh(foldLow(b, low), high)};
        }
        int width = 1 << low.length;
        int midVars = n - low.length - high.length;
        int mid = 1 << midVars;
        int rows = 1 << high.length;
        ExtVector eqLow = eqTable(low);
        ExtVector eqHigh = eqTable(high);
        long[] l0 = eqLow.c0();
        long[] l1 = eqLow.c1();
        long[] h0 = eqHigh.c0();
        long[] h1 = eqHigh.c1();
        ExtVector outA = ExtVector.zeros(mid);
        ExtVector outB = b == null ? null : ExtVector.zeros(mid);
        Parallelism.forEachChunk(mid, Math.max(1, PARALLEL_CHUNK / (width * rows)), (from, to) -> {
            long[] s = new long[4];
            for (int y = from; y < to; y++) {
                long a0 = 0, a1 = 0, b0 = 0, b1 = 0;
                for (int h = 0; h < rows; h++) {
                    int at = ((h << midVars) + y) << low.length;
                    if (b == null) {
                        s[0] = BranchFree.dot(a, at, l0, 0, width);
                        s[1] = BranchFree.dot(a, at, l1, 0, width);
                    } else {
                        BranchFree.dotTwoByTwo(a, b, at, l0, l1, 0, width, s);
                    }
                    a0 = BranchFree.add(a0, ExtMath.mulC0(h0[h], h1[h], s[0], s[1]));
                    a1 = BranchFree.add(a1, ExtMath.mulC1(h0[h], h1[h], s[0], s[1]));
                    if (b != null) {
                        b0 = BranchFree.add(b0, ExtMath.mulC0(h0[h], h1[h], s[2], s[3]));
                        b1 = BranchFree.add(b1, ExtMath.mulC1(h0[h], h1[h], s[2], s[3]));
                    }
                }
                outA.c0()[y] = a0;
                outA.c1()[y] = a1;
                if (b != null) {
                    outB.c0()[y] = b0;
                    outB.c1()[y] = b1;
                }
            }
        });
        return b == null ? new ExtVector[] {outA} : new ExtVector[] {outA, outB};
    }

    /**
     * Binds the highest k = {@code highPoint.length} variables of an n-variable table (variable
     * n − k + j to {@code highPoint[j]}), leaving a table in the low n − k variables:
     * g(x) = f(x, highPoint) = Σ_h eq(highPoint, h)·f[h·2^(n−k) + x]. For a row-major matrix A[i][k]
     * and a point on the row index this is the vector A(r_i, ·).
     */
    public static ExtVector foldHigh(long[] table, Ext2[] highPoint) {
        int n = numVars(table.length);
        checkPrefix(n, highPoint.length);
        return foldHigh(table, null, n, highPoint);
    }

    /** As {@link #foldHigh(long[], Ext2[])} for an extension table. */
    public static ExtVector foldHigh(ExtVector table, Ext2[] highPoint) {
        int n = numVars(table.length());
        checkPrefix(n, highPoint.length);
        return foldHigh(table.c0(), table.c1(), n, highPoint);
    }

    /** The row-combination kernel; {@code c1 == null} means a base table. Rows are split over threads. */
    private static ExtVector foldHigh(long[] c0, long[] c1, int n, Ext2[] highPoint) {
        int width = 1 << (n - highPoint.length);
        int rows = 1 << highPoint.length;
        ExtVector eq = eqTable(highPoint);
        long[] e0 = eq.c0();
        long[] e1 = eq.c1();
        int minRows = Math.max(1, PARALLEL_CHUNK / width);
        List<ExtVector> partials = Parallelism.mapChunks(rows, minRows, (from, to) -> {
            ExtVector acc = ExtVector.zeros(width);
            long[] a0 = acc.c0();
            long[] a1 = acc.c1();
            for (int h = from; h < to; h++) {
                long w0 = e0[h];
                long w1 = e1[h];
                int base = h * width;
                for (int x = 0; x < width; x++) {
                    long v0 = c0[base + x];
                    if (c1 == null) {
                        a0[x] = BranchFree.add(a0[x], BranchFree.mul(w0, v0));
                        a1[x] = BranchFree.add(a1[x], BranchFree.mul(w1, v0));
                    } else {
                        long v1 = c1[base + x];
                        a0[x] = BranchFree.add(a0[x], ExtMath.mulC0(w0, w1, v0, v1));
                        a1[x] = BranchFree.add(a1[x], ExtMath.mulC1(w0, w1, v0, v1));
                    }
                }
            }
            return acc;
        });
        ExtVector out = partials.getFirst();
        for (int p = 1; p < partials.size(); p++) {
            ExtVector q = partials.get(p);
            for (int x = 0; x < width; x++) {
                out.c0()[x] = BranchFree.add(out.c0()[x], q.c0()[x]);
                out.c1()[x] = BranchFree.add(out.c1()[x], q.c1()[x]);
            }
        }
        return out;
    }

    private static void checkArity(int n, int pointLength) {
        if (n != pointLength) {
            throw new IllegalArgumentException("point has " + pointLength + " coordinates, table has " + n + " variables");
        }
    }

    private static void checkPrefix(int n, int k) {
        if (k > n) {
            throw new IllegalArgumentException("cannot bind " + k + " variables of a table with " + n);
        }
    }

    private static void checkFold(int length, int srcLength, int dstLength) {
        if (length < 2 || Integer.bitCount(length) != 1 || length > srcLength || length / 2 > dstLength) {
            throw new IllegalArgumentException("cannot fold " + length + " entries of a table of " + srcLength + " into " + dstLength);
        }
    }
}
