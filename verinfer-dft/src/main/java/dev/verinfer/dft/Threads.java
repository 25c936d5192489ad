package dev.verinfer.dft;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits a loop over a pool of {@code verinfer.threads} workers (default: every core). Runs inline when
 * one thread is configured or when already on a fork/join worker, so nested parallel calls never
 * oversubscribe the machine.
 */
final class Threads {
    static final int COUNT = Math.max(1, Integer.getInteger("verinfer.threads", Runtime.getRuntime().availableProcessors()));
    private static final ForkJoinPool POOL = COUNT > 1 ? new ForkJoinPool(COUNT) : null;

    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    private Threads() {}

    /** Runs {@code body} over [0, n) in at most {@link #COUNT} contiguous chunks of at least {@code minChunk}. */
    static void forChunks(int n, int minChunk, RangeBody body) {
        int chunks = Math.min(COUNT, Math.max(1, n / Math.max(1, minChunk)));
        if (chunks == 1 || ForkJoinTask.inForkJoinPool()) {
            body.run(0, n);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks];
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            tasks[c] = ForkJoinTask.adapt(() -> body.run(from, to));
        }
        POOL.invoke(ForkJoinTask.adapt(() -> ForkJoinTask.invokeAll(tasks)));
    }
}
