package dev.verinfer.node;

import dev.verinfer.client.AgentBackend;
import dev.verinfer.client.RemoteAgent;
import dev.verinfer.zkml.ProvingKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

@Command(name = "watcher", mixinStandardHelpOptions = true, header = "Challenge wrong optimistic results on a market (a node, or a contract on a chain) until SIGTERM.",
        description = {"After each block: re-run the model on every posted optimistic result of the models in --models and challenge (posting the bond) each one whose output differs.",
                "One line per transaction on stderr.",
                "On a chain (--chain/--contract/--deployment) it also calls advance(id) on its models' requests when a transition is due (the node's timers)."})
final class MarketWatcherCommand extends BaseCommand {
    @Mixin
    MarketTarget market;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "The watcher's key file (its balance pays challenge bonds).")
    Path key;

    @Option(names = "--models", required = true, paramLabel = "DIR", description = "A model directory ('verinfer compile'), or a directory of them, to re-run.")
    Path models;

    @Override int run(Console console) {
        List<ProvingKey> keys = ModelKeys.load(models);
        MarketBackend target = MarketChainCommands.onChain(() -> market.as(key));
        SessionInference inference = new SessionInference(keys, target instanceof MarketBackend.OnChain);
        AgentBackend backend = target.agent();
        console.line("watcher %s on %s watching %s", backend.account().id(), backend.where(), inference.served());
        AgentProcess.run(RemoteAgent.watcher(backend, inference, inference.served(), RemoteAgent.Log.lines(line -> System.err.println("watcher: " + line))));
        return ExitCodes.OK;
    }
}
