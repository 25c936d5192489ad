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

    /**
     * As {@link #measure}, but warms up for at least {@code warmup} runs and then until {@code budgetMillis} of warm-up
     * have passed or {@code maxWarmup} runs are done: for a task as short as verification, whose first few runs are
     * mostly JIT compilation (alexa_v0.1 proven: 18–28 ms after one warm-up run, 3–6 ms warm), so the median is
     * the warm JVM's time the targets are stated for.
     */
    static <T> Timing<T> measureWarm(int warmup, int runs, double budgetMillis, int maxWarmup, Supplier<T> task) {
        long start = System.nanoTime();
        int done = 0;
        while (done < warmup || (done < maxWarmup && (System.nanoTime() - start) / 1e6 < budgetMillis)) {
            task.get();
            done++;
        }
        return measure(0, runs, task);
    }

    /** The wall time of one run of {@code task}. */
    static double millis(Runnable task) {
        long t0 = System.nanoTime();
        task.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
