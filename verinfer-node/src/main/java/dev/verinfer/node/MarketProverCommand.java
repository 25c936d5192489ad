package dev.verinfer.node;

import dev.verinfer.client.AgentBackend;
import dev.verinfer.client.RemoteAgent;
import dev.verinfer.market.ZkmlInference;
import dev.verinfer.zkml.ProvingKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

@Command(name = "prover", mixinStandardHelpOptions = true, header = "Serve requests as a prover on a market (a node, or a contract on a chain) until SIGTERM.",
        description = {"After each block: lock open requests of the models in --models once the auction price reaches the ask, post the output (with the proof in ZK mode), and prove when challenged or sampled.",
                "The account must be a registered prover ('market register-prover'). One line per transaction on stderr.",
                "On a chain (--chain/--contract/--deployment) it also calls advance(id) on its models' requests when a transition is due (the node's timers)."})
final class MarketProverCommand extends BaseCommand {
    @Mixin
    MarketTarget market;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "The prover's key file (a node: Ed25519; a chain: secp256k1).")
    Path key;

    @Option(names = "--models", required = true, paramLabel = "DIR", description = "A model directory ('verinfer compile'), or a directory of them.")
    Path models;

    @Option(names = {"--ask-bps", "--price-policy"}, defaultValue = "5000", paramLabel = "BPS",
            description = "Price policy: lock once the auction price reaches this fraction of the max fee, in basis points (default: 5000, the default floor).")
    int askBps;

    @Override int run(Console console) {
        if (askBps < 0 || askBps > 10_000) throw new CliException(ExitCodes.USAGE, "--ask-bps must lie in 0..10000, not " + askBps);
        List<ProvingKey> keys = ModelKeys.load(models);
        Set<String> ids = keys.stream().map(k -> k.verifyingKey().modelIdHex()).collect(Collectors.toSet());
        AgentBackend backend = MarketChainCommands.onChain(() -> market.as(key)).agent();
        console.line("prover %s on %s serving %s", backend.account().id(), backend.where(), ids);
        RemoteAgent agent = RemoteAgent.prover(backend, new ZkmlInference(keys), ids, askBps, RemoteAgent.Log.lines(line -> System.err.println("prover: " + line)));
        AgentProcess.run(agent);
        return ExitCodes.OK;
    }
}
