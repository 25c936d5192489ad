package dev.verinfer.node;

import java.io.PrintWriter;

/**
 * Where a command's output goes: text lines on stdout, or in --json mode one JSON document at the end;
 * progress on stderr when it is a terminal and not --quiet.
 */
final class Console {
    private final PrintWriter out;
    private final PrintWriter err;
    private final CommonOptions options;

    Console(PrintWriter out, PrintWriter err, CommonOptions options) {
        this.out = out;
        this.err = err;
        this.options = options;
    }

    /** A line of the text output (nothing in --json mode). */
    void line(String text) {
        if (!options.json) {
            out.println(text);
            out.flush();
        }
    }

    void line(String format, Object... args) {
        line(String.format(format, args));
    }

    /** A warning on stderr, in every mode. */
    void warn(String format, Object... args) {
        err.println("verinfer: warning: " + String.format(format, args));
        err.flush();
    }

    /** The command's result: as JSON in --json mode, else nothing more (the text was printed line by line). */
    void result(Object value) {
        if (options.json) {
            out.println(Json.text(value));
            out.flush();
        }
    }

    Progress progress(String step) {
        boolean terminal = System.console() != null && System.console().isTerminal();
        return Progress.start(err, step, terminal && !options.quiet && !options.json);
    }
}
