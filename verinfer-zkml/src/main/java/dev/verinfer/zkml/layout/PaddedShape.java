package dev.verinfer.zkml.layout;

import java.util.Arrays;

/**
 * A tensor shape padded per dimension to powers of two, read as a multilinear polynomial: the flat
 * padded index is row-major and its least significant bits belong to the last dimension, so
 * dimension d owns the variables [{@link #firstVar}(d), firstVar(d) + {@link #bits}(d)).
 */
public record PaddedShape(int[] dims) {
    public PaddedShape {
        dims = dims.clone();
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("dimensions must be positive: " + Arrays.toString(dims));
            }
        }
    }

    public static int ceilLog2(long n) {
        return n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int d) {
        return dims[d];
    }

    public int bits(int d) {
        return ceilLog2(dims[d]);
    }

    /** The lowest variable of dimension d. */
    public int firstVar(int d) {
        int v = 0;
        for (int e = d + 1; e < dims.length; e++) {
            v += bits(e);
        }
        return v;
    }

    public int numVars() {
        int v = 0;
        for (int d = 0; d < dims.length; d++) {
            v += bits(d);
        }
        return v;
    }

    public int paddedSize() {
        return 1 << numVars();
    }

    public long realSize() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** The padded index of the element at real row-major flat index {@code flat}. */
    public int paddedIndex(long flat) {
        int index = 0;
        int shift = 0;
        long rest = flat;
        for (int d = dims.length - 1; d >= 0; d--) {
            index |= (int) (rest % dims[d]) << shift;
            rest /= dims[d];
            shift += bits(d);
        }
        return index;
    }

    /** Whether the padded layout is the plain row-major one (then padding is a zero tail, or nothing). */
    public boolean isDense() {
        for (int d = 1; d < dims.length; d++) {
            if (Integer.bitCount(dims[d]) != 1) {
                return false;
            }
        }
        return true;
    }

    /** The padded table of a row-major tensor: real values at their padded indices, zeros elsewhere. */
    public long[] pad(long[] data) {
        if (data.length != realSize()) {
            throw new IllegalArgumentException("tensor has " + data.length + " values, shape " + this + " needs " + realSize());
        }
        long[] out = new long[paddedSize()];
        if (isDense()) {
            System.arraycopy(data, 0, out, 0, data.length);
            return out;
        }
        int inner = dims[dims.length - 1];
        for (int row = 0; row * inner < data.length; row++) {
            int dst = paddedIndex((long) row * inner);
            System.arraycopy(data, row * inner, out, dst, inner);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PaddedShape(int[] other) && Arrays.equals(dims, other);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
