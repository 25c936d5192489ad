package dev.verinfer.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verinfer.market.MarketParams;
import dev.verinfer.market.ZkmlProofVerifier;
import dev.verinfer.server.MarketNode;
import dev.verinfer.server.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

@Command(name = "node", mixinStandardHelpOptions = true, header = "Run a market node: the embedded ledger, the block producer and the HTTP/JSON API.",
        description = {"Serve the market on its embedded durable ledger in --data over HTTP on loopback (API: URL/openapi.yaml) until SIGTERM or Ctrl-C, then stop cleanly.",
                "The first start creates the market: --operator (the account that signs deposits) and optionally --chain-id and --params are recorded in DIR/market.json; later starts read them there.",
                "A node killed with kill -9 restarts on the same directory with every transaction it answered as committed."})
final class MarketNodeCommand extends BaseCommand {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "The ledger's directory (created if absent).")
    Path data;

    @Option(names = "--port", defaultValue = "8645", paramLabel = "P", description = "The port (default: 8645; 0: any free port, printed).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS", description = "The address to listen on (default: loopback).")
    String host;

    @Option(names = "--operator", paramLabel = "ACCOUNT", description = "First start only: the operator's account: its id, or its key file ('market keygen').")
    String operator;

    @Option(names = "--chain-id", defaultValue = "verinfer-local", paramLabel = "ID", description = "First start only: the market's chain id (default: verinfer-local).")
    String chainId;

    @Option(names = "--params", paramLabel = "FILE", description = "First start only: JSON overriding market parameters (e.g. {\"rampMillis\": 2000, \"lockMillis\": 30000}); see GET /v1/market.")
    Path params;

    @Option(names = "--block-millis", defaultValue = "50", paramLabel = "MS", description = "The pause between blocks (default: 50).")
    long blockMillis;

    @Option(names = "--http-threads", defaultValue = "0", paramLabel = "N", description = "Threads serving API calls (default 0: a virtual thread per call).")
    int httpThreads;

    @Override int run(Console console) {
        MarketParams initial = Files.exists(data.resolve("market.json")) && operator == null ? null : initialParams();
        NodeConfig defaults = NodeConfig.defaults(data);
        NodeConfig config = new NodeConfig(data, host, port, Duration.ofMillis(blockMillis), httpThreads, defaults.maxBlockTransactions(),
                defaults.snapshotEvery(), defaults.commitTimeout());
        MarketNode node;
        try {
            node = MarketNode.start(config, initial, new ZkmlProofVerifier());
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "cannot start the node on " + data + ": " + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                System.err.println("verinfer node: stopped");
            } catch (IOException e) {
                System.err.println("verinfer node: stopped, but closing failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped.countDown();
            }
        }));
        console.line("node listening on %s (ledger %s)", node.uri(), data);
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCodes.OK;
    }

    private MarketParams initialParams() {
        if (operator == null) {
            throw new CliException(ExitCodes.USAGE, data + " holds no market yet: give --operator ACCOUNT (create one with 'verinfer market keygen')");
        }
        String operatorId = NodeOption.accountId(operator);
        MarketParams defaults = MarketParams.defaults(chainId, operatorId);
        if (params == null) {
            return defaults;
        }
        try {
            ObjectNode merged = Json.MAPPER.valueToTree(defaults);
            merged.setAll((ObjectNode) Json.MAPPER.readTree(FileIO.read(params, "market parameters")));
            merged.put("chainId", chainId).put("operator", operatorId);
            return Json.MAPPER.treeToValue(merged, MarketParams.class);
        } catch (IOException | ClassCastException | IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, params + " is not a JSON object of market parameters: " + e.getMessage(), e);
        }
    }
}
