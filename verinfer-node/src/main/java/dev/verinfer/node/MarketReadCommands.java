package dev.verinfer.node;

import dev.verinfer.market.StatementCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The client commands that read the market, on either backend: an account, a request's status, a request's result. */
final class MarketReadCommands {
    private MarketReadCommands() {}

    /** A command that reads a market (no key needed). */
    abstract static class ReadCommand extends BaseCommand {
        @Mixin
        MarketTarget market;

        @Override final int run(Console console) {
            return MarketChainCommands.onChain(() -> {
                console.result(read(market.reader(), console));
                return ExitCodes.OK;
            });
        }

        abstract Object read(MarketBackend backend, Console console);
    }

    @Command(name = "account", mixinStandardHelpOptions = true, header = "An account's balance and prover record.")
    static final class Account extends ReadCommand {
        @Parameters(paramLabel = "ACCOUNT", description = "The account: its id (a chain: its address), or its key file.")
        String account;

        @Override Object read(MarketBackend backend, Console console) {
            return backend.account(account, console);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, header = "Where a request stands: status, mode, lock, result, dispute, slashes.")
    static final class Status extends ReadCommand {
        @Parameters(paramLabel = "ID", description = "The request's id.")
        long id;

        @Override Object read(MarketBackend backend, Console console) {
            return backend.status(id, console);
        }
    }

    @Command(name = "result", mixinStandardHelpOptions = true, header = "A request's output, dequantised with the model's scales.",
            description = "Print the posted output of a request (exit code 2 if none is posted yet). It is final once the status is SETTLED.")
    static final class Result extends ReadCommand {
        @Parameters(paramLabel = "ID", description = "The request's id.")
        long id;

        @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model directory written by 'verinfer compile' (for the output's scales).")
        Path model;

        @Override Object read(MarketBackend backend, Console console) {
            MarketBackend.Posted r = backend.result(id).orElseThrow(() -> new CliException(ExitCodes.USAGE, "request " + id + " has no result yet"));
            List<TensorValues> outputs = TensorValues.of(TensorInfo.outputs(ModelDir.open(model).verifyingKey().graph()), StatementCodec.decode(r.output()));
            console.line("request    %d: %s%s", id, r.status(), r.settled() ? " (verified and paid)" : " (not final yet)");
            outputs.forEach(o -> console.line("output     %s", o.describe()));
            return Map.of("requestId", id, "status", r.status(), "outputs", outputs);
        }
    }
}
