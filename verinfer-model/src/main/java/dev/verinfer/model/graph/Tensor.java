package dev.verinfer.model.graph;

import java.util.Arrays;

/**
 * A dense row-major tensor of the float IR. Values are held as doubles so that integer tensors
 * (shapes, indices) and float tensors share one type; float models are evaluated in double
 * precision, which is at least as accurate as the float32 reference.
 */
public record Tensor(int[] shape, double[] data) {
    public Tensor {
        if (size(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
        }
    }

    public static Tensor zeros(int... shape) { return new Tensor(shape.clone(), new double[size(shape)]); }

    public static Tensor scalar(double v) { return new Tensor(new int[0], new double[] {v}); }

    public static Tensor vector(double... v) { return new Tensor(new int[] {v.length}, v); }

    public static Tensor ofFloats(int[] shape, float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return new Tensor(shape.clone(), d);
    }

    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor too large: " + Arrays.toString(shape));
        return (int) n;
    }

    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }

    public int rank() { return shape.length; }

    public int size() { return data.length; }

    public float[] toFloats() {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
        return f;
    }

    public long[] toLongs() {
        long[] l = new long[data.length];
        for (int i = 0; i < l.length; i++) l[i] = (long) data[i];
        return l;
    }

    public double maxAbs() {
        double m = 0;
        for (double v : data) m = Math.max(m, Math.abs(v));
        return m;
    }

    public Tensor reshape(int... newShape) { return new Tensor(newShape.clone(), data); }

    @Override public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override public int hashCode() { return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data); }

    @Override public String toString() { return "Tensor" + Arrays.toString(shape); }
}
