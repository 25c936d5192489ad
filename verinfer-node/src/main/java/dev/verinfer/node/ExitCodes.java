package dev.verinfer.node;

/** The exit codes of every verinfer command (documented in the help footer and the README). */
final class ExitCodes {
    static final int OK = 0;
    /** The proof is invalid, or its statement does not match the given --input/--output. */
    static final int INVALID = 1;
    /** Bad usage or input: unknown option, missing or unreadable file, corrupt key or proof file, wrong input shape. */
    static final int USAGE = 2;
    /** The model uses an operator verinfer cannot import, quantise or prove yet. */
    static final int UNSUPPORTED = 3;
    /** A value left the range calibrated at compile time (recompile with calibration data covering this input). */
    static final int OUT_OF_RANGE = 4;
    /** A bug in verinfer: please report it with the output of --verbose. */
    static final int INTERNAL = 5;
    /** The Java heap was too small for the work (raise it with VERINFER_JAVA_OPTS=-Xmx…). */
    static final int OUT_OF_MEMORY = 6;

    static final String HELP = """
            Exit codes:
              0  success (verify: the proof is valid)
              1  the proof is invalid, or its statement does not match --input/--output
              2  usage or I/O error: bad option, missing/unreadable/corrupt file, wrong input shape
              3  the model uses an operator verinfer cannot import or prove yet
              4  a value is outside the range calibrated at compile time
              5  internal error (please report it with --verbose)
              6  out of memory: raise the Java heap, e.g. VERINFER_JAVA_OPTS=-Xmx12g""";

    private ExitCodes() {}
}
