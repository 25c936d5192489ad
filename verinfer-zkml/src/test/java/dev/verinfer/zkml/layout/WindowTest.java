package dev.verinfer.zkml.layout;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.poly.Mle;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WindowTest {
    @Property(tries = 60)
    void verifierEvaluationMatchesProverTable(@ForAll @IntRange(min = 1, max = 12) int in, @ForAll @IntRange(min = 1, max = 4) int kernel,
                                              @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll @IntRange(min = 1, max = 2) int dilation,
                                              @ForAll @IntRange(min = 0, max = 2) int pad) {
        int span = (kernel - 1) * dilation + 1;
        int out = (in + 2 * pad - span) / stride + 1;
        if (out < 1) {
            return;
        }
        Window w = new Window(in, out, kernel, stride, dilation, pad);
        Random rng = new Random(in * 1000L + kernel * 100 + stride * 10 + pad);
        Ext2[] rp = randomPoint(rng, w.outBits());
        Ext2[] ru = randomPoint(rng, w.kernelBits());
        Ext2[] rj = randomPoint(rng, w.inBits());
        ExtVector table = w.selectionTable(rp, ru);
        assertEquals(Mle.evaluate(table, rj), w.selectionAt(rp, ru, rj));
    }

    /**
     * The same on wider windows (the verifier sums each output's run of valid taps by dot products when the dilation is 1):
     * padding on either side, taps falling off both edges, outputs that read no input at all.
     */
    @Property(tries = 200)
    void verifierRunsOfTapsMatchProverTable(@ForAll @IntRange(min = 1, max = 70) int in, @ForAll @IntRange(min = 1, max = 9) int kernel,
                                            @ForAll @IntRange(min = 1, max = 5) int stride, @ForAll @IntRange(min = 1, max = 3) int dilation,
                                            @ForAll @IntRange(min = 0, max = 12) int padBegin, @ForAll @IntRange(min = 0, max = 12) int padEnd,
                                            @ForAll long seed) {
        int span = (kernel - 1) * dilation + 1;
        int out = Math.max(1, (in + padBegin + padEnd - span) / stride + 1);
        Window w = new Window(in, out, kernel, stride, dilation, padBegin);
        Random rng = new Random(seed);
        Ext2[] rp = randomPoint(rng, w.outBits());
        Ext2[] ru = randomPoint(rng, w.kernelBits());
        Ext2[] rj = randomPoint(rng, w.inBits());
        assertEquals(Mle.evaluate(w.selectionTable(rp, ru), rj), w.selectionAt(rp, ru, rj), w.toString());
    }

    private static Ext2[] randomPoint(Random rng, int n) {
        Ext2[] p = new Ext2[n];
        for (int i = 0; i < n; i++) {
            p[i] = Ext2.random(rng);
        }
        return p;
    }
}
