package dev.verinfer.node;

/** The verinfer command-line tool (see {@link VerinferCommand}). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(VerinferCommand.commandLine().execute(args));
    }
}
