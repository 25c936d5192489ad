package dev.verinfer.field;

import java.util.Arrays;

/**
 * A vector of {@link Ext2} elements stored as two primitive arrays (structure of arrays), so that hot
 * loops over extension-valued tables never allocate. Mutable; sized once.
 */
public record ExtVector(long[] c0, long[] c1) {
    public ExtVector {
        if (c0.length != c1.length) {
            throw new IllegalArgumentException("coordinate arrays differ in length: " + c0.length + " vs " + c1.length);
        }
    }

    public static ExtVector zeros(int n) {
        return new ExtVector(new long[n], new long[n]);
    }

    /** The base-field vector embedded (copied) in the extension. */
    public static ExtVector ofBase(long[] base) {
        return new ExtVector(base.clone(), new long[base.length]);
    }

    public static ExtVector of(Ext2... values) {
        ExtVector v = zeros(values.length);
        for (int i = 0; i < values.length; i++) {
            v.set(i, values[i]);
        }
        return v;
    }

    public int length() {
        return c0.length;
    }

    public Ext2 get(int i) {
        return new Ext2(c0[i], c1[i]);
    }

    public void set(int i, Ext2 value) {
        c0[i] = value.c0();
        c1[i] = value.c1();
    }

    public ExtVector copy() {
        return new ExtVector(c0.clone(), c1.clone());
    }

    public Ext2[] toArray() {
        Ext2[] out = new Ext2[length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtVector(long[] a0, long[] a1) && Arrays.equals(c0, a0) && Arrays.equals(c1, a1);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(c0) + Arrays.hashCode(c1);
    }

    @Override
    public String toString() {
        return Arrays.toString(toArray());
    }
}
