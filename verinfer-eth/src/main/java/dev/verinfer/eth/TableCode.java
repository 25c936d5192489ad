package dev.verinfer.eth;

import dev.verinfer.field.Goldilocks;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * A function table's tree code, as LookupChecks.sol evaluates its MLE: 8-byte words in preorder over
 * the binary tree of subcubes (the root is the whole table, a node is halved on its highest variable).
 * A subcube whose entries are all equal is one word, that value (its MLE is the constant: Σ_i eq(r, i) = 1);
 * another is {@link #SPLIT} and its two halves' codes, low half first, or, at 2^{@link #DENSE_VARS}
 * entries (the whole table if it is smaller), {@link #DENSE} and its values, or {@link #SMALL}, a base b
 * and each value's 4-byte offset from it (values within 2^32 of each other as signed integers: the
 * contract sums u·eq with both halves of an eq entry in one word), when listing them is the cheaper for the
 * contract, or {@link #STEPS}: a non-decreasing block as its first value b and its steps, each a gap from the previous
 * step's position (the first from 0) and its rise d (1 ≤ d < 2^24): entry l is b plus the rises at positions ≤ l, so
 * its MLE is b + Σ_k d_k·S(pos_k) with S(j) = Σ_{l ≥ j} eq(r, l), one product a step where SMALL takes one an entry
 * (a sigmoid's tails rise a step every few entries). A quantised activation is constant over long runs (a sigmoid saturates), so its code is far
 * shorter than its 2^n values and its MLE far cheaper than O(2^n).
 */
public final class TableCode {
    static final long SPLIT = -1L;
    static final long DENSE = -2L;
    static final long SMALL = -3L;
    static final long STEPS = -4L;
    static final int DENSE_VARS = 8;

    // Relative gas of the contract's work per word (measured on the sigmoid table): a split node's
    // extension multiplication and recursion, a constant, a dense block's fixed part and its per-entry part
    // (listed, and as offsets), a step (its weight the best of 45–120 for alexa's sigmoid window: 70–85 alike).
    private static final long SPLIT_COST = 380;
    private static final long LEAF_COST = 160;
    private static final long DENSE_BASE = 300;
    private static final long DENSE_ENTRY = 40;
    private static final long SMALL_ENTRY = 35;
    private static final long STEP_ENTRY = 75;

    private TableCode() {}

    /** The code of the 2^n canonical field values (index bit j ↔ the point's variable j). */
    public static byte[] encode(long[] values) {
        return encode(values, false);
    }

    /** The code that lists every value (splits down to dense blocks): what reading the whole table costs the contract. */
    static byte[] listing(long[] values) {
        return encode(values, true);
    }

    private static byte[] encode(long[] values, boolean listAll) {
        int n = Integer.numberOfTrailingZeros(values.length);
        if (values.length != 1 << n) {
            throw new IllegalArgumentException("a table has 2^n values, not " + values.length);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(values, 0, n, Math.min(n, DENSE_VARS), listAll, out);
        return out.toByteArray();
    }

    private static void write(long[] v, int from, int m, int dense, boolean listAll, ByteArrayOutputStream out) {
        long base = m == dense && m > 0 && !listAll ? smallBase(v, from, m) : NO_BASE;
        long listCost = DENSE_BASE + (base == NO_BASE ? DENSE_ENTRY : SMALL_ENTRY) * (1L << m);
        int steps = m == dense && m > 0 && !listAll ? steps(v, from, m) : -1;
        if (steps > 0 && DENSE_BASE + STEP_ENTRY * steps < Math.min(listCost, treeCost(v, from, m))) {
            word(out, STEPS);
            word(out, v[from]);
            word(out, steps);
            int last = 0;
            for (int l = 1; l < 1 << m; l++) {
                long rise = Goldilocks.toSigned(v[from + l]) - Goldilocks.toSigned(v[from + l - 1]);
                if (rise != 0) {
                    out.writeBytes(ByteBuffer.allocate(4).putInt((l - last) << 24 | (int) rise).array());
                    last = l;
                }
            }
            if ((steps & 1) == 1) {
                out.writeBytes(new byte[4]); // to a whole word
            }
            return;
        }
        if (m == dense && (listAll || treeCost(v, from, m) > listCost)) {
            word(out, base == NO_BASE ? DENSE : SMALL);
            if (base != NO_BASE) {
                word(out, Goldilocks.fromSigned(base));
            }
            for (int i = 0; i < 1 << m; i++) {
                if (base == NO_BASE) {
                    word(out, v[from + i]);
                } else {
                    out.writeBytes(ByteBuffer.allocate(4).putInt((int) (Goldilocks.toSigned(v[from + i]) - base)).array());
                }
            }
        } else if (!listAll && constant(v, from, m)) {
            word(out, v[from]);
        } else {
            word(out, SPLIT);
            write(v, from, m - 1, dense, listAll, out);
            write(v, from + (1 << (m - 1)), m - 1, dense, listAll, out);
        }
    }

    private static long treeCost(long[] v, int from, int m) {
        if (constant(v, from, m)) {
            return LEAF_COST;
        }
        return SPLIT_COST + treeCost(v, from, m - 1) + treeCost(v, from + (1 << (m - 1)), m - 1);
    }

    private static final long NO_BASE = Long.MIN_VALUE;

    /** The 2^m values' steps (l ≥ 1 with v[l] ≠ v[l − 1]) when every rise as signed integers is in [0, 2^24), else −1. */
    private static int steps(long[] v, int from, int m) {
        int steps = 0;
        for (int l = 1; l < 1 << m; l++) {
            long rise = Goldilocks.toSigned(v[from + l]) - Goldilocks.toSigned(v[from + l - 1]);
            // two signed representatives differ by less than p: a difference above 2^63 − 1 wraps below 0, one below −2^63
            // wraps to at least 2^64 − p + 1 = 2^32; either is refused
            if (rise < 0 || rise >= 1 << 24) {
                return -1;
            }
            steps += rise != 0 ? 1 : 0;
        }
        return steps;
    }

    /** The least of the 2^m values as signed integers when all lie within 2^32 of it (a SMALL block's base), else NO_BASE. */
    private static long smallBase(long[] v, int from, int m) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 1 << m; i++) {
            long s = Goldilocks.toSigned(v[from + i]);
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        return Long.compareUnsigned(max - min, 1L << 32) < 0 ? min : NO_BASE; // max − min < p < 2^64: unsigned
    }

    private static boolean constant(long[] v, int from, int m) {
        for (int i = 1; i < 1 << m; i++) {
            if (v[from + i] != v[from]) {
                return false;
            }
        }
        return true;
    }

    private static void word(ByteArrayOutputStream out, long w) {
        out.writeBytes(ByteBuffer.allocate(8).putLong(w).array());
    }
}
