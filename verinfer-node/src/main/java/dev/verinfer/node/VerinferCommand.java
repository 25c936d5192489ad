package dev.verinfer.node;

import dev.verinfer.zkml.Verifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "verinfer", mixinStandardHelpOptions = true, versionProvider = VerinferCommand.Version.class,
        description = "Verifiable AI inference: prove that output = model(input) for an ONNX model with committed weights, and check such proofs in milliseconds without the weights.",
        subcommands = {DemoCommand.class, FetchCommand.class, InspectCommand.class, CompileCommand.class, RunCommand.class, ProveCommand.class,
                RotateCommand.class, VerifyCommand.class, PipelineCommand.class, BenchCommand.class, MarketCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Every command takes --json, --quiet, --verbose and --threads N.", "", ExitCodes.HELP})
final class VerinferCommand implements Runnable {
    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The tool's version and the proof format it reads and writes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            return new String[] {"verinfer 0.1.0-SNAPSHOT (proof format VIPF v" + Verifier.proofFormatVersion() + ", zero-knowledge proofs v" + Verifier.zeroKnowledgeProofFormatVersion() + ")"};
        }
    }

    /** Without a subcommand: the usage. */
    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with verinfer's error handling: one line per error, documented exit codes. */
    static CommandLine commandLine() {
        ErrorHandler errors = new ErrorHandler();
        return new CommandLine(new VerinferCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
    }
}
