package dev.verinfer.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The market commands' failures: one line on stderr and exit code 2, never a stack trace. */
class MarketCliErrorTest {
    @TempDir
    Path dir;

    private static void usageError(String expected, Object... args) {
        Cli r = Cli.run(args);
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("verinfer: error: " + expected, r.errorLine());
    }

    @Test void anUnreachableNode() {
        usageError("cannot reach the node at http://127.0.0.1:1 (is it running?)",
                "market", "account", "0".repeat(40), "--node", "http://127.0.0.1:1");
    }

    @Test void aChainThatDoesNotAnswerAndTwoMarketsAtOnce() {
        usageError("the node did not answer eth_chainId: Failed to connect to /127.0.0.1:9 (is the chain's node running at http://127.0.0.1:9?)",
                "market", "status", 1, "--chain", "http://127.0.0.1:9", "--contract", "0x" + "11".repeat(20));
        usageError("name one market: --node URL, or --chain/--contract/--deployment",
                "market", "status", 1, "--node", "http://127.0.0.1:1", "--chain", "http://127.0.0.1:9", "--contract", "0x" + "11".repeat(20));
        usageError("no deployment file " + dir.resolve("none.json") + " (written by 'market deploy')",
                "market", "account", "0x" + "11".repeat(20), "--deployment", dir.resolve("none.json"));
    }

    @Test void aNewMarketWithoutItsOperator() {
        usageError(dir.resolve("ledger") + " holds no market yet: give --operator ACCOUNT (create one with 'verinfer market keygen')",
                "market", "node", "--data", dir.resolve("ledger"));
    }

    @Test void aMissingKeyFileAndABadAccount() {
        usageError("key file not found: " + dir.resolve("absent.json") + " (create one with 'verinfer market keygen')",
                "market", "register-prover", "--key", dir.resolve("absent.json"), "--stake", 1);
        usageError("'nobody' is neither an account id (40 hex digits) nor a key file", "market", "account", "nobody");
    }

    @Test void anUnknownOptionNamesTheSubcommandsHelp() {
        usageError("Unknown option: '--frobnicate' (see 'verinfer market node --help')", "market", "node", "--data", dir, "--frobnicate");
    }
}
