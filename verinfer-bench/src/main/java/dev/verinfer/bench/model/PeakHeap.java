package dev.verinfer.bench.model;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/** Peak Java heap in use while a task runs: the heap pools' peaks, reset after a GC just before the task. */
final class PeakHeap {
    private PeakHeap() {}

    static long bytesDuring(Runnable task) {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        task.run();
        return heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    /** The heap {@code make}'s result holds: used heap after a collection with it alive, less before (soft references held as they are). */
    static <T> long retainedBy(java.util.function.Supplier<T> make, java.util.function.Consumer<T> then) {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        T held = make.get();
        System.gc();
        long bytes = rt.totalMemory() - rt.freeMemory() - before;
        then.accept(held);
        return bytes;
    }
}
