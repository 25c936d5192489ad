package dev.verinfer.field;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads for all verinfer computation: one shared {@link ForkJoinPool} whose size comes
 * from the system property {@code verinfer.threads} (default: the number of available processors)
 * and can be changed with {@link #setThreads(int)}.
 *
 * <p>Work is split into contiguous index ranges ("chunks") of at least a caller-given size, so small
 * inputs run inline on the calling thread without any task overhead.
 */
public final class Parallelism {
    /** Chunks per thread: a little over-decomposition balances load on a shared machine. */
    private static final int CHUNKS_PER_THREAD = 4;

    /** Numbers the workers' names (a new worker's pool index is not assigned yet when the factory names it: all were "-0"). */
    private static final AtomicInteger WORKERS = new AtomicInteger();

    private static volatile ForkJoinPool pool = newPool(initialThreads());

    private Parallelism() {}

    /** A body run on one chunk [from, to) of an index range. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** A function of one chunk [from, to) of an index range, e.g. a partial sum. */
    @FunctionalInterface
    public interface RangeFunction<T> {
        T apply(int from, int to);
    }

    public static int threads() {
        return pool.getParallelism();
    }

    /**
     * Replaces the shared pool by one of {@code n} threads and shuts the old one down: call it at start-up
     * or between computations, not while other threads are submitting work.
     */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("thread count must be positive: " + n);
        }
        if (n == threads()) {
            return;
        }
        ForkJoinPool old = pool;
        pool = newPool(n);
        old.shutdown();
    }

    /** The shared pool, for callers that schedule their own tasks. */
    public static ForkJoinPool pool() {
        return pool;
    }

    /** How many chunks {@link #forEachChunk} and {@link #mapChunks} split {@code n} items into. */
    public static int chunkCount(int n, int minChunk) {
        int byThreads = threads() == 1 ? 1 : threads() * CHUNKS_PER_THREAD;
        return Math.max(1, Math.min(byThreads, n / Math.max(1, minChunk)));
    }

    /** Runs {@code body} on contiguous chunks of [0, n), each at least {@code minChunk} long, in parallel. */
    public static void forEachChunk(int n, int minChunk, RangeBody body) {
        int chunks = chunkCount(n, minChunk);
        if (chunks == 1) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        List<RecursiveAction> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = bound(n, chunks, c);
            int to = bound(n, chunks, c + 1);
            tasks.add(new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(from, to);
                }
            });
        }
        run(new RecursiveAction() {
            @Override
            protected void compute() {
                invokeAll(tasks);
            }
        });
    }

    /** Applies {@code f} to contiguous chunks of [0, n) in parallel; results in chunk order (empty for n = 0). */
    public static <T> List<T> mapChunks(int n, int minChunk, RangeFunction<T> f) {
        int chunks = chunkCount(n, minChunk);
        if (n == 0) {
            return List.of();
        }
        if (chunks == 1) {
            return List.of(f.apply(0, n));
        }
        List<RecursiveTask<T>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = bound(n, chunks, c);
            int to = bound(n, chunks, c + 1);
            tasks.add(new RecursiveTask<>() {
                @Override
                protected T compute() {
                    return f.apply(from, to);
                }
            });
        }
        run(new RecursiveAction() {
            @Override
            protected void compute() {
                invokeAll(tasks);
            }
        });
        List<T> out = new ArrayList<>(chunks);
        for (RecursiveTask<T> t : tasks) {
            out.add(t.join());
        }
        return out;
    }

    private static void run(RecursiveAction root) {
        ForkJoinPool p = pool;
        if (Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == p) {
            root.invoke(); // nested: fork into the pool we are already running in
        } else {
            p.invoke(root);
        }
    }

    private static int bound(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }

    private static int initialThreads() {
        String prop = System.getProperty("verinfer.threads");
        if (prop == null || prop.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(prop.trim());
            if (n < 1) {
                throw new IllegalArgumentException("verinfer.threads must be positive: " + prop);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("verinfer.threads is not an integer: " + prop, e);
        }
    }

    private static ForkJoinPool newPool(int n) {
        return new ForkJoinPool(n, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("verinfer-worker-" + WORKERS.getAndIncrement());
            t.setDaemon(true);
            return t;
        }, null, false);
    }
}
