package dev.verinfer.node;

import dev.verinfer.client.NodeException;
import dev.verinfer.model.InvalidInputException;
import dev.verinfer.model.ModelFormatException;
import dev.verinfer.model.UnsupportedModelException;
import dev.verinfer.model.quant.QuantRangeException;
import dev.verinfer.zkml.UnsupportedGraphException;
import dev.verinfer.zkml.WeightBudgetSpentException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/** Turns every failure into one line on stderr (or a JSON error on stdout) and its exit code; --verbose adds the stack. */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        CommonOptions options = cmd.getCommand() instanceof BaseCommand b ? b.common : new CommonOptions();
        int code = exitCode(e);
        String message = message(e, code);
        report(cmd, options, message, code);
        if (options.verbose) e.printStackTrace(cmd.getErr());
        else if (code == ExitCodes.INTERNAL) cmd.getErr().println("verinfer: run again with --verbose for the stack trace");
        cmd.getErr().flush();
        return code;
    }

    @Override public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        boolean json = java.util.Arrays.asList(args).contains("--json");
        CommonOptions options = new CommonOptions();
        options.json = json;
        report(cmd, options, e.getMessage().replaceFirst("^Error: ", "") + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')", ExitCodes.USAGE);
        return ExitCodes.USAGE;
    }

    private static void report(CommandLine cmd, CommonOptions options, String message, int code) {
        if (options.json) {
            PrintWriter out = cmd.getOut();
            out.println(Json.text(Map.of("error", message, "exit_code", code)));
            out.flush();
        } else {
            cmd.getErr().println("verinfer: error: " + message);
            cmd.getErr().flush();
        }
    }

    static int exitCode(Throwable e) {
        return switch (e) {
            case CliException c -> c.exitCode;
            case NodeException n -> ExitCodes.USAGE;
            case InvalidInputException i -> ExitCodes.USAGE;
            case ModelFormatException m -> ExitCodes.USAGE;
            case UncheckedIOException u -> ExitCodes.USAGE;
            case java.io.IOException io -> ExitCodes.USAGE;
            case UnsupportedModelException u -> ExitCodes.UNSUPPORTED;
            case UnsupportedGraphException u -> ExitCodes.UNSUPPORTED;
            case WeightBudgetSpentException w -> ExitCodes.USAGE;
            case QuantRangeException q -> ExitCodes.OUT_OF_RANGE;
            default -> ExitCodes.INTERNAL;
        };
    }

    private static String message(Throwable e, int code) {
        return switch (e) {
            case UnsupportedGraphException u -> "not provable yet: " + u.getMessage();
            case UnsupportedModelException u -> "unsupported model: " + u.getMessage();
            case QuantRangeException q -> q.getMessage() + " (outside the range calibrated at compile time: recompile with calibration data covering this input)";
            default -> code == ExitCodes.INTERNAL ? "internal error: " + e : e.getMessage();
        };
    }
}
