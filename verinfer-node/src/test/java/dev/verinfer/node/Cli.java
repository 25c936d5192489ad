package dev.verinfer.node;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process with captured stdout and stderr. */
record Cli(int exitCode, String out, String err) {

    static Cli run(Object... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cmd = VerinferCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        String[] a = java.util.Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
        int code = cmd.execute(a);
        return new Cli(code, out.toString(), err.toString());
    }

    /** The single error line (stderr holds exactly one line starting "verinfer: error: "). */
    String errorLine() {
        String[] lines = err.strip().split("\n");
        if (lines.length != 1 || !lines[0].startsWith("verinfer: error: ")) {
            throw new AssertionError("expected one error line, got stderr:\n" + err + "\nstdout:\n" + out);
        }
        return lines[0];
    }

    @Override public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
