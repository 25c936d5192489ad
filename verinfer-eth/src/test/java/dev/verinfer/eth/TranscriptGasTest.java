package dev.verinfer.eth;

import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.protocol.core.methods.request.Transaction;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the Fiat–Shamir transcript of one alexa_v0.1 proof costs on the EVM: the 675 challenge prefixes
 * of a real proof (alexa-transcript-prefixes.txt) replayed by TranscriptGasBench.sol through
 * Sha256Transcript.sol (the format: a SHA-256 chain), against the v1 running SHA-256 (every challenge
 * re-hashed the whole prefix) and a Keccak chain over the same bytes. Prints the gas; asserts only that
 * each variant ran.
 */
class TranscriptGasTest {
    @Test
    void hashingGasOfTheAlexaTranscript() throws IOException {
        List<Uint32> prefixes;
        try (InputStream in = TranscriptGasTest.class.getResourceAsStream("/alexa-transcript-prefixes.txt")) {
            prefixes = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> new Uint32(Long.parseLong(l.strip()))).toList();
        }
        try (Chain chain = new Chain()) {
            ChainAccount account = chain.account("transcript-gas");
            String bench = account.deploy(Artifact.load(TranscriptGasTest.class, "TranscriptGasBench").bytecode(), d -> d).contractAddress();
            long empty = gas(account, bench, "empty", prefixes);
            long base = gas(account, bench, "baseline", prefixes);
            StringBuilder out = new StringBuilder("alexa_v0.1 transcript: " + prefixes.size() + " challenges, " + prefixes.getLast().getValue() + " bytes absorbed\n");
            long chained = gas(account, bench, "transcript", prefixes) - empty;
            assertTrue(chained > 0);
            out.append(String.format("  %-22s %,12d gas in all (Sha256Transcript.sol, the format)%n", "v2 chained SHA-256", chained));
            for (String variant : List.of("rehash", "chainedKeccak")) {
                long g = gas(account, bench, variant, prefixes) - base;
                assertTrue(g > 0, variant);
                out.append(String.format("  %-22s %,12d gas of hashing%n", variant.equals("rehash") ? "v1 running SHA-256" : "chained Keccak", g));
            }
            System.out.print(out);
        }
    }

    private static long gas(ChainAccount account, String to, String function, List<Uint32> prefixes) {
        String data = FunctionEncoder.encode(new Function(function, List.of(new DynamicArray<>(Uint32.class, prefixes)), List.of()));
        var r = ChainAccount.rpc(() -> account.web3j().ethEstimateGas(Transaction.createEthCallTransaction(account.address(), to, data)).send(), "eth_estimateGas");
        if (r.hasError()) {
            throw new AssertionError(function + ": " + r.getError().getMessage());
        }
        return r.getAmountUsed().longValueExact();
    }
}
