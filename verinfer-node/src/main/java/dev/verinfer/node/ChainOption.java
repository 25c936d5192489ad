package dev.verinfer.node;

import dev.verinfer.eth.EthKeys;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.security.SecureRandom;

/** The market contract a command talks to: --chain URL with --contract ADDRESS, or the deployment file 'market deploy' wrote. */
final class ChainOption {
    @Option(names = "--chain", paramLabel = "URL", description = "The Ethereum chain's JSON-RPC endpoint, e.g. http://127.0.0.1:8545 (default: the deployment file's).")
    String chain;

    @Option(names = "--contract", paramLabel = "ADDRESS", description = "The market contract's address (with --chain; default: the deployment file's).")
    String contract;

    @Option(names = "--deployment", paramLabel = "FILE", description = "The deployment file 'market deploy' wrote (default: deployment.json when --chain is given without --contract).")
    Path deployment;

    @Option(names = "--confirmations", defaultValue = "1", paramLabel = "N", description = "On a chain: blocks a transaction must have before it counts (default: 1).")
    int confirmations;

    /** Whether a chain is named at all (else the command talks to a market node). */
    boolean named() {
        return chain != null || contract != null || deployment != null;
    }

    /** The market contract, acting as the account of the key file {@code key}. */
    ChainMarket connect(Path key) {
        return connect(ChainMarket.credentials(key));
    }

    /** The market contract for reading: any account may call its views (a fresh one does, unless {@code key} is given). */
    ChainMarket reader(Path key) {
        return connect(key != null ? ChainMarket.credentials(key) : EthKeys.generate(new SecureRandom()));
    }

    /** The deployment file that names the market: --deployment, or deployment.json unless --contract names it; null with --contract. */
    Path deploymentFile() {
        return contract != null ? null : deployment != null ? deployment : Path.of("deployment.json");
    }

    private ChainMarket connect(Credentials key) {
        return ChainMarket.connect(chain, contract, deploymentFile(), key, confirmations);
    }
}
