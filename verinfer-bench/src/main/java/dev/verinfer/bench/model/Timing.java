package dev.verinfer.bench.model;

import java.util.Arrays;
import java.util.function.Supplier;

/** The median wall time of a task's measured runs (after warm-up runs) and the last run's result. */
record Timing<T>(double medianMillis, T last) {

    static <T> Timing<T> measure(int warmup, int runs, Supplier<T> task) {
        for (int i = 0; i < warmup; i++) task.get();
        double[] millis = new double[runs];
        T last = null;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            last = task.get();
            millis[i] = (System.nanoTime() - t0) / 1e6;
        }
        return new Timing<>(median(millis), last);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
