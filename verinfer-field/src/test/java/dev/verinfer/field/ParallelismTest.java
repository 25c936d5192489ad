package dev.verinfer.field;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParallelismTest {
    @Test
    void chunksCoverTheRangeExactlyOnce() {
        int saved = Parallelism.threads();
        try {
            for (int threads : new int[] {1, 2, 5}) {
                Parallelism.setThreads(threads);
                for (int n : new int[] {0, 1, 7, 1000, 100_003}) {
                    AtomicLongArray hits = new AtomicLongArray(n);
                    Parallelism.forEachChunk(n, 10, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            hits.incrementAndGet(i);
                        }
                    });
                    for (int i = 0; i < n; i++) {
                        assertEquals(1, hits.get(i), "index " + i);
                    }
                    List<Long> sums = Parallelism.mapChunks(n, 10, (from, to) -> {
                        long s = 0;
                        for (int i = from; i < to; i++) {
                            s += i;
                        }
                        return s;
                    });
                    assertEquals((long) n * (n - 1) / 2, sums.stream().mapToLong(Long::longValue).sum());
                }
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    @Test
    void nestedParallelWorkCompletes() {
        long[] out = new long[64];
        Parallelism.forEachChunk(64, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                long s = Parallelism.mapChunks(1000, 1, (a, b) -> (long) (b - a)).stream().mapToLong(Long::longValue).sum();
                out[i] = s;
            }
        });
        for (long v : out) {
            assertEquals(1000, v);
        }
    }

    @Test
    void rejectsNonPositiveThreadCount() {
        assertThrows(IllegalArgumentException.class, () -> Parallelism.setThreads(0));
    }
}
