package dev.verinfer.server;

import dev.verinfer.api.Json;
import dev.verinfer.market.MarketParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The market's parameters in the data directory ({@code market.json}), fixed when the node first
 * starts: the ledger replays its journal through a market of exactly these parameters.
 */
final class Genesis {
    static final String FILE = "market.json";

    private Genesis() {
    }

    /**
     * The directory's parameters; on first start, {@code initial} written there. A restart with
     * other parameters than the recorded ones is refused.
     */
    static MarketParams load(Path dataDir, MarketParams initial) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            if (initial == null) {
                throw new IllegalArgumentException(dataDir + " holds no market (" + FILE + "); the first start needs the market's parameters (the operator)");
            }
            Files.createDirectories(dataDir);
            Path tmp = dataDir.resolve(FILE + ".tmp");
            Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(initial));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return initial;
        }
        MarketParams recorded = Json.MAPPER.readValue(file.toFile(), MarketParams.class);
        if (initial != null && !initial.equals(recorded)) {
            throw new IllegalArgumentException(dataDir + " holds a market with other parameters (" + recorded + ") than given (" + initial + ")");
        }
        return recorded;
    }
}
