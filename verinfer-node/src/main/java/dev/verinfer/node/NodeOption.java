package dev.verinfer.node;

import dev.verinfer.client.KeyFile;
import dev.verinfer.client.MarketClient;
import dev.verinfer.client.RemoteAccount;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;

/** The node a market client command talks to, and the key file of the account it acts as. */
final class NodeOption {
    static final String DEFAULT = "http://127.0.0.1:8645";

    @Option(names = "--node", paramLabel = "URL", defaultValue = DEFAULT, description = "The market node's API (default: " + DEFAULT + ").")
    URI node;

    MarketClient client() {
        return new MarketClient(node);
    }

    static KeyPair keys(Path file) {
        try {
            return KeyFile.read(file);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    /** An account id given as such (40 hex digits), or as the key file whose account it is. */
    static String accountId(String idOrKeyFile) {
        if (idOrKeyFile.matches("[0-9a-f]{40}")) {
            return idOrKeyFile;
        }
        Path file = Path.of(idOrKeyFile);
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new CliException(ExitCodes.USAGE, "'" + idOrKeyFile + "' is neither an account id (40 hex digits) nor a key file");
        }
        return new dev.verinfer.market.Signer(keys(file), "").accountId();
    }

    RemoteAccount account(Path keyFile) {
        return RemoteAccount.of(client(), keys(keyFile));
    }
}
