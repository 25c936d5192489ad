package dev.verinfer.eth;

import org.web3j.crypto.Hash;
import org.web3j.protocol.ObjectMapperFactory;
import org.web3j.protocol.core.methods.response.AbiDefinition;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A compiled contract: its ABI and creation bytecode, as the build's solc wrote them to the class
 * path ({@code /solidity/NAME.abi}, {@code NAME.bin}). Knows its custom errors (to turn a revert
 * into a readable line) and its event topics.
 */
public record Artifact(String name, List<AbiDefinition> abi, String bytecode) {
    public Artifact {
        abi = List.copyOf(abi);
    }

    /** Loads contract {@code name} from the class path of {@code anchor}'s loader. */
    public static Artifact load(Class<?> anchor, String name) {
        try (InputStream abiIn = anchor.getResourceAsStream("/solidity/" + name + ".abi");
             InputStream binIn = anchor.getResourceAsStream("/solidity/" + name + ".bin")) {
            if (abiIn == null || binIn == null) {
                throw new IllegalStateException("contract " + name + " is not on the class path (/solidity/" + name + ".abi, .bin): is verinfer-eth built?");
            }
            AbiDefinition[] abi = ObjectMapperFactory.getObjectMapper().readValue(abiIn.readAllBytes(), AbiDefinition[].class);
            return new Artifact(name, Arrays.asList(abi), new String(binIn.readAllBytes(), StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read contract " + name, e);
        }
    }

    private static String signature(AbiDefinition d) {
        return d.getName() + "(" + d.getInputs().stream().map(AbiDefinition.NamedType::getType).collect(Collectors.joining(",")) + ")";
    }

    /** The keccak256 topic of event {@code event}. */
    public String topic(String event) {
        return abi.stream().filter(d -> "event".equals(d.getType()) && d.getName().equals(event)).findFirst()
                .map(d -> Hash.sha3String(signature(d)))
                .orElseThrow(() -> new IllegalArgumentException(name + " has no event " + event));
    }

    /**
     * A revert's data as a line: the custom error's name with its (static) arguments, e.g.
     * {@code InsufficientBalance(balance=3, needed=10)}; {@code enumNames} names the values of an
     * argument of an enum type (by its internal type, e.g. {@code enum VerinferMarket.Status}).
     */
    public String describeRevert(String data, Map<String, List<String>> enumNames) {
        if (data == null || data.length() < 10) {
            return "reverted without a reason";
        }
        String selector = data.substring(0, 10);
        Map<String, AbiDefinition> errors = new HashMap<>();
        abi.stream().filter(d -> "error".equals(d.getType())).forEach(d -> errors.put(Numeric.toHexString(Hash.sha3(signature(d).getBytes(StandardCharsets.US_ASCII))).substring(0, 10), d));
        AbiDefinition e = errors.get(selector);
        if (e == null) {
            return "reverted with unknown data " + data;
        }
        String args = Numeric.cleanHexPrefix(data).substring(8);
        StringBuilder out = new StringBuilder(e.getName()).append('(');
        List<AbiDefinition.NamedType> inputs = e.getInputs();
        for (int i = 0; i < inputs.size(); i++) {
            AbiDefinition.NamedType in = inputs.get(i);
            String word = args.length() >= 64 * (i + 1) ? args.substring(64 * i, 64 * (i + 1)) : "";
            out.append(i == 0 ? "" : ", ").append(in.getName()).append('=').append(format(in, word, enumNames));
        }
        return out.append(')').toString();
    }

    private static String format(AbiDefinition.NamedType in, String word, Map<String, List<String>> enumNames) {
        if (word.isEmpty()) {
            return "?";
        }
        BigInteger v = new BigInteger(word, 16);
        List<String> names = enumNames.get(in.getInternalType());
        if (names != null && v.intValue() < names.size()) {
            return names.get(v.intValue());
        }
        return switch (in.getType()) {
            case "address" -> "0x" + word.substring(24);
            case "bytes32" -> "0x" + word;
            default -> v.toString();
        };
    }
}
