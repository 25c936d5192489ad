package dev.verinfer.node;

import dev.verinfer.api.AccountView;
import dev.verinfer.api.RequestView;
import dev.verinfer.market.Request;
import dev.verinfer.market.Slash;
import dev.verinfer.market.StatementCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The client commands that read the market: an account, a request's status, a request's result. */
final class MarketReadCommands {
    private MarketReadCommands() {}

    @Command(name = "account", mixinStandardHelpOptions = true, header = "An account's balance, nonce and prover record.")
    static final class Account extends BaseCommand {
        @Mixin
        NodeOption node;

        @Parameters(paramLabel = "ACCOUNT", description = "The account: its id, or its key file.")
        String account;

        @Override int run(Console console) {
            String id = NodeOption.accountId(account);
            AccountView a = node.client().account(id).orElseThrow(() -> new CliException(ExitCodes.USAGE, "the market has no account " + id + " (an account begins with a deposit)"));
            console.line("account    %s", a.id());
            console.line("balance    %d", a.balance());
            console.line("nonce      %d", a.nonce());
            if (a.prover() != null) {
                console.line("prover     stake %d, collateral %d, served %d, failed %d, slashed %d", a.prover().stake(), a.prover().collateral(),
                        a.prover().served(), a.prover().failed(), a.prover().slashed());
            }
            console.result(a);
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, header = "Where a request stands: status, mode, lock, result, dispute, slashes.")
    static final class Status extends BaseCommand {
        @Mixin
        NodeOption node;

        @Parameters(paramLabel = "ID", description = "The request's id.")
        long id;

        @Override int run(Console console) {
            RequestView r = node.client().request(id);
            List<Slash> slashes = node.client().slashes().stream().filter(s -> s.requestId() == id).toList();
            console.line("request    %d: %s (%s), model %s", r.id(), r.status(), describe(r.mode()), r.modelId());
            console.line("client     %s, max fee %d, deadline %d", r.client(), r.maxFee(), r.deadline());
            if (r.lock() != null) console.line("lock       %s at price %d, collateral %d, until %d", r.lock().prover(), r.lock().price(), r.lock().collateral(), r.lock().expiresAt());
            if (r.result() != null) console.line("result     posted at block %d", r.result().postedHeight());
            if (r.dispute() != null) console.line("dispute    %s, proof due by %d", r.dispute().challenger().isEmpty() ? "sampled" : "challenged by " + r.dispute().challenger(), r.dispute().respondBy());
            slashes.forEach(s -> console.line("slashed    %s lost %d at block %d: %s", s.prover(), s.amount(), s.height(), s.cause()));
            console.result(Map.of("request", r, "slashes", slashes));
            return ExitCodes.OK;
        }

        private static String describe(dev.verinfer.api.ModeView m) {
            return switch (m.kind()) {
                case "optimistic" -> "optimistic, challenge window " + m.windowMillis() + " ms";
                case "sampled" -> "sampled at " + m.probabilityBps() + " bps, proof within " + m.windowMillis() + " ms";
                default -> m.kind();
            };
        }
    }

    @Command(name = "result", mixinStandardHelpOptions = true, header = "A request's output, dequantised with the model's scales.",
            description = "Print the posted output of a request (exit code 2 if none is posted yet). It is final once the status is SETTLED.")
    static final class Result extends BaseCommand {
        @Mixin
        NodeOption node;

        @Parameters(paramLabel = "ID", description = "The request's id.")
        long id;

        @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model directory written by 'verinfer compile' (for the output's scales).")
        Path model;

        @Override int run(Console console) {
            RequestView r = node.client().request(id);
            if (r.result() == null) {
                throw new CliException(ExitCodes.USAGE, "request " + id + " has no result yet (it is " + r.status() + ")");
            }
            List<TensorValues> outputs = TensorValues.of(TensorInfo.outputs(ModelDir.open(model).verifyingKey().graph()), StatementCodec.decode(r.result().output()));
            console.line("request    %d: %s%s", id, r.status(), r.status() == Request.Status.SETTLED ? " (verified and paid)" : " (not final yet)");
            outputs.forEach(o -> console.line("output     %s", o.describe()));
            console.result(Map.of("requestId", id, "status", r.status(), "outputs", outputs));
            return ExitCodes.OK;
        }
    }
}
