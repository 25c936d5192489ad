package dev.verinfer.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "market", mixinStandardHelpOptions = true, header = "Run a market node, a prover or a watcher, or act on a market as a client.",
        description = {"The verifiable inference market on one of two backends: the embedded market behind a node's HTTP/JSON API (--node URL,",
                "described at NODE/openapi.yaml; accounts are Ed25519 key files, 'keygen'), or the market contract on an Ethereum chain",
                "(--chain URL --contract ADDRESS, or --deployment FILE from 'deploy'; accounts are secp256k1 key files, 'chain keygen').",
                "Every state change is a transaction signed with the account's key and answered once committed (a node: its block is durable;",
                "a chain: mined with --confirmations blocks). A transaction the market rejects prints its reason and exits with code 2."},
        subcommands = {MarketNodeCommand.class, MarketProverCommand.class, MarketWatcherCommand.class, MarketKeygenCommand.class,
                MarketTxCommands.Deposit.class, MarketTxCommands.RegisterModel.class, MarketTxCommands.Rotate.class, MarketTxCommands.RegisterProver.class,
                MarketTxCommands.SubmitRequest.class, MarketTxCommands.Cancel.class, MarketReadCommands.Account.class, MarketReadCommands.Status.class,
                MarketReadCommands.Result.class, MarketWorkflowCommands.Group.class, MarketChainCommands.Deploy.class, MarketChainCommands.Group.class, CommandLine.HelpCommand.class})
final class MarketCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
