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
        return run(new Console(spec.commandLine().getOut(), spec.commandLine().getErr(), common));
    }

    /** @return the exit code */
    abstract int run(Console console);
}
