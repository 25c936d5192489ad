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
}
