package dev.verinfer.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verinfer.eth.ChainAccount;
import dev.verinfer.eth.ChainException;
import dev.verinfer.eth.Erc20;
import dev.verinfer.eth.EthKeys;
import dev.verinfer.eth.EthMarket;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A market contract on a chain, acting as one Ethereum account: the market, its token and the account. */
record ChainMarket(String url, EthMarket market, Erc20 token) {
    /** How long a transaction may take to be mined and confirmed. */
    static final long TIMEOUT_MILLIS = 120_000;

    ChainAccount account() {
        return market.account();
    }

    /**
     * The market at {@code contract} on {@code url}, or the one a deployment file names (its chain
     * unless {@code url} is given), as the account {@code key}.
     */
    static ChainMarket connect(String url, String contract, Path deployment, Credentials key, int confirmations) {
        String chain = url;
        String address = contract;
        if (address == null) {
            JsonNode d = deploymentFile(deployment);
            chain = chain != null ? chain : d.path("chain").asText();
            address = d.path("market").asText();
        } else if (chain == null) {
            throw new CliException(ExitCodes.USAGE, "--contract needs --chain URL");
        }
        ChainAccount a = account(chain, key, confirmations);
        EthMarket m = new EthMarket(a, address);
        try {
            return new ChainMarket(chain, m, new Erc20(a, m.token()));
        } catch (ChainException e) {
            throw new CliException(ExitCodes.USAGE, "no market contract at " + address + " on " + chain + ": " + e.getMessage(), e);
        }
    }

    static JsonNode deploymentFile(Path deployment) {
        try {
            return Json.MAPPER.readTree(Files.readAllBytes(deployment));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CliException(ExitCodes.USAGE, "no deployment file " + deployment + " (written by 'market deploy')", e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read deployment file " + deployment + ": " + e.getMessage(), e);
        }
    }

    static Credentials credentials(Path key) {
        try {
            return EthKeys.read(key);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CliException(ExitCodes.USAGE, "no key file " + key + " (create one with 'market chain keygen')", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read key file " + key + ": " + e.getMessage(), e);
        }
    }

    static ChainAccount account(String url, Path key, int confirmations) {
        return account(url, credentials(key), confirmations);
    }

    static ChainAccount account(String url, Credentials c, int confirmations) {
        try {
            return new ChainAccount(Web3j.build(new HttpService(url)), c, confirmations, TIMEOUT_MILLIS);
        } catch (ChainException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage() + " (is the chain's node running at " + url + "?)", e);
        }
    }
}
