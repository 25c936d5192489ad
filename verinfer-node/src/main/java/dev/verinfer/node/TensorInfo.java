package dev.verinfer.node;

import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;

import java.util.List;

/** A model input or output as the proof sees it: real value = integer / 2^scale, |integer| &lt; 2^bits. */
record TensorInfo(String name, int[] shape, int scale, int bits) {

    static TensorInfo of(QTensor t) {
        return new TensorInfo(t.name(), t.shape(), t.scale(), t.bits());
    }

    static List<TensorInfo> inputs(QuantGraph g) {
        return g.inputs().stream().map(g::tensor).map(TensorInfo::of).toList();
    }

    static List<TensorInfo> outputs(QuantGraph g) {
        return g.outputs().stream().map(g::tensor).map(TensorInfo::of).toList();
    }

    static List<TensorSpec> specs(List<TensorInfo> tensors) {
        return tensors.stream().map(t -> new TensorSpec(t.name, t.shape)).toList();
    }

    /** Round half away from zero of x·2^scale, as the integer executor quantises inputs. */
    long quantise(float x) {
        double y = Math.scalb((double) x, scale);
        return (long) (Math.signum(y) * Math.floor(Math.abs(y) + 0.5));
    }

    long[] quantise(float[] x) {
        long[] q = new long[x.length];
        for (int i = 0; i < x.length; i++) q[i] = quantise(x[i]);
        return q;
    }

    float dequantise(long v) {
        return (float) Math.scalb((double) v, -scale);
    }

    float[] dequantise(long[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = dequantise(v[i]);
        return f;
    }

    String describe() {
        return "'" + name + "' " + java.util.Arrays.toString(shape) + " scale 2^-" + scale;
    }
}
