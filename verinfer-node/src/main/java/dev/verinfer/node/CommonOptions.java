package dev.verinfer.node;

import picocli.CommandLine.Option;

/** The options every command takes. */
final class CommonOptions {
    @Option(names = "--json", description = "Print one JSON document on stdout instead of text (errors too).")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress display (there is none either when not on a terminal).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Show the stack trace of an error.")
    boolean verbose;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads for proving and inference (default: all processors).")
    Integer threads;
}
