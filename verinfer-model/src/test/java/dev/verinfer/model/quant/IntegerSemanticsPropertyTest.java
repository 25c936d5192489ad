package dev.verinfer.model.quant;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of the integer ops, checked against independent arithmetic. */
class IntegerSemanticsPropertyTest {

    private static QTensor constant(int id, long[] v, int... shape) {
        long max = 0;
        for (long x : v) max = Math.max(max, Math.abs(x));
        return new QTensor(id, "c" + id, shape, 0, Math.max(1, 64 - Long.numberOfLeadingZeros(max)), QTensor.Kind.CONSTANT, v);
    }

    @Property void rescaleRoundsHalfUp(@ForAll @LongRange(min = -(1L << 39), max = 1L << 39) long x, @ForAll @IntRange(min = 1, max = 38) int k) {
        QuantGraph g = new QuantGraph(List.of(constant(0, new long[] {x}, 1), new QTensor(1, "y", new int[] {1}, -k, 40, QTensor.Kind.ACTIVATION, null)),
                List.of(new QNode("rescale", new QOp.Rescale(0, k), 1)), List.of(), List.of(1));
        long got = new IntegerExecutor(1).run(g, Map.of()).value(1)[0];
        BigInteger expected = BigInteger.valueOf(x).add(BigInteger.ONE.shiftLeft(k - 1)).shiftRight(k); // shiftRight is floor division
        assertEquals(expected.longValueExact(), got);
        assertEquals(Math.floorDiv(x + (1L << (k - 1)), 1L << k), got);
    }

    @Property(tries = 200) void convEqualsDirectSum(@ForAll @IntRange(min = 1, max = 3) int group, @ForAll @IntRange(min = 1, max = 3) int stride,
                                                    @ForAll @IntRange(min = 1, max = 2) int dil, @ForAll @IntRange(min = 0, max = 2) int pad,
                                                    @ForAll @IntRange(min = 1, max = 3) int kh, @ForAll @IntRange(min = 1, max = 3) int kw, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int c = 2 * group, oc = group * (1 + r.nextInt(2)), h = 5 + r.nextInt(4), w = 5 + r.nextInt(5);
        int cpg = c / group, ocpg = oc / group;
        long[] x = r.longs((long) c * h * w, -1000, 1000).toArray(), wt = r.longs((long) oc * cpg * kh * kw, -100, 100).toArray();
        long[] bias = r.longs(oc, -5000, 5000).toArray();
        int oh = (h + 2 * pad - (kh - 1) * dil - 1) / stride + 1, ow = (w + 2 * pad - (kw - 1) * dil - 1) / stride + 1;
        if (oh < 1 || ow < 1) return;
        QuantGraph g = new QuantGraph(List.of(constant(0, x, 1, c, h, w), constant(1, wt, oc, cpg, kh, kw), constant(2, bias, oc),
                new QTensor(3, "y", new int[] {1, oc, oh, ow}, 0, 40, QTensor.Kind.ACTIVATION, null)),
                List.of(new QNode("conv", new QOp.Conv(0, 1, 2, new int[] {stride, stride}, new int[] {pad, pad, pad, pad}, new int[] {dil, dil}, group), 3)),
                List.of(), List.of(3));
        long[] got;
        try (IntegerExecutor e = new IntegerExecutor(2)) {
            got = e.run(g, Map.of()).value(3);
        }
        long[] want = new long[oc * oh * ow];
        for (int o = 0; o < oc; o++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++) {
                    long acc = bias[o];
                    int grp = o / ocpg;
                    for (int ci = 0; ci < cpg; ci++)
                        for (int ky = 0; ky < kh; ky++)
                            for (int kx = 0; kx < kw; kx++) {
                                int iy = oy * stride - pad + ky * dil, ix = ox * stride - pad + kx * dil;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) acc += x[((grp * cpg + ci) * h + iy) * w + ix] * wt[((o * cpg + ci) * kh + ky) * kw + kx];
                            }
                    want[(o * oh + oy) * ow + ox] = acc;
                }
        assertArrayEquals(want, got);
    }

    @Property(tries = 50) void tablesAreCanonical(@ForAll @IntRange(min = 0, max = 16) int function, @ForAll @IntRange(min = -4, max = 14) int inScale,
                                                  @ForAll @IntRange(min = 0, max = 14) int outScale, @ForAll @IntRange(min = 2, max = 12) int bits) {
        String[] fs = {"identity", "relu", "leaky_relu(0.2)", "clip(-1.0,6.0)", "sigmoid", "hard_sigmoid(0.2,0.5)", "hard_swish", "tanh", "gelu",
                "gelu_tanh", "erf", "exp", "log", "sqrt", "rsqrt", "reciprocal", "pow(3.0)"};
        LookupTable t = LookupTable.build(fs[function], inScale, outScale, 15, -(1L << bits), 1 << (bits + 1));
        assertTrue(t.isCanonical());
        for (long v : t.values()) assertTrue(Math.abs(v) < 1L << 15);
    }

    @Property void lookupOutsideDomainIsAnError(@ForAll @LongRange(min = -100, max = 100) long x) {
        LookupTable t = LookupTable.build("relu", 0, 0, 15, -16, 32);
        QuantGraph g = new QuantGraph(List.of(constant(0, new long[] {x}, 1), new QTensor(1, "y", new int[] {1}, 0, 15, QTensor.Kind.ACTIVATION, null)),
                List.of(new QNode("relu", new QOp.Lookup(0, t), 1)), List.of(), List.of(1));
        if (x >= -16 && x < 16) {
            assertEquals(Math.max(0, x), new IntegerExecutor(1).run(g, Map.of()).value(1)[0]);
        } else {
            QuantRangeException e = org.junit.jupiter.api.Assertions.assertThrows(QuantRangeException.class, () -> new IntegerExecutor(1).run(g, Map.of()));
            assertEquals("relu", e.node());
            assertEquals(x, e.value());
        }
    }
}
