package dev.verinfer.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "market", mixinStandardHelpOptions = true, header = "Run a market node, a prover or a watcher, or act on a market as a client.",
        description = {"The verifiable inference market over a node's HTTP/JSON API (described at NODE/openapi.yaml).",
                "Accounts are Ed25519 key files ('keygen'); every state change is a transaction signed with the account's key and answered once its block is durable.",
                "A transaction the market rejects prints its reason and exits with code 2."},
        subcommands = {MarketNodeCommand.class, MarketProverCommand.class, MarketWatcherCommand.class, MarketKeygenCommand.class,
                MarketTxCommands.Deposit.class, MarketTxCommands.RegisterModel.class, MarketTxCommands.RegisterProver.class,
                MarketTxCommands.SubmitRequest.class, MarketReadCommands.Account.class, MarketReadCommands.Status.class,
                MarketReadCommands.Result.class, MarketWorkflowCommands.Group.class, MarketChainCommands.Deploy.class, MarketChainCommands.Group.class, CommandLine.HelpCommand.class})
final class MarketCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
