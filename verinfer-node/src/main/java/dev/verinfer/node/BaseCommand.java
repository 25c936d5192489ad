package dev.verinfer.node;

import dev.verinfer.field.Parallelism;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** A verinfer subcommand: the common options applied, then {@link #run(Console)}. */
abstract class BaseCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override public final Integer call() {
        if (common.threads != null) {
            if (common.threads < 1) throw new CliException(ExitCodes.USAGE, "--threads must be at least 1, not " + common.threads);
            Parallelism.setThreads(common.threads);
        }
        try {
            return run(new Console(spec.commandLine().getOut(), spec.commandLine().getErr(), common));
        } catch (OutOfMemoryError e) { // the work's arrays are unreachable once unwound: there is room for one line
            throw new CliException(ExitCodes.OUT_OF_MEMORY, outOfMemory(Progress.lastStep(), Runtime.getRuntime().maxMemory()));
        }
    }

    /** One line: which step ran out of memory, the heap it had, and how to give it more. */
    static String outOfMemory(String step, long maxHeap) {
        long suggestion = Math.max(2, (long) Math.ceil(2.0 * maxHeap / (1L << 30)));
        return String.format("out of memory while %s: the Java heap is limited to %.1f GB; give it more, e.g. "
                + "VERINFER_JAVA_OPTS=-Xmx%dg ./verinfer ... ('verinfer inspect MODEL.onnx' estimates what proving needs)",
                step, maxHeap / (double) (1L << 30), suggestion);
    }

    /** @return the exit code */
    abstract int run(Console console);
}
