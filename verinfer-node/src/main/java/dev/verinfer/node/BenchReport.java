package dev.verinfer.node;

import dev.verinfer.bench.model.ModelResult;

import java.util.List;

/** A whole-model benchmark run: where and how it was measured, and one result per model. */
record BenchReport(String date, Machine machine, int threads, int warmup, int runs, List<ModelResult> results) {
    record Machine(int processors, long maxHeapBytes, String java, String os) {
        static Machine current() {
            return new Machine(Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory(),
                    System.getProperty("java.vm.name") + " " + Runtime.version(), System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        }
    }
}
