package dev.verinfer.node;

import dev.verinfer.eth.VerifierSession;
import dev.verinfer.zkml.EvmKeyCompiler;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.UnsupportedGraphException;
import dev.verinfer.zkml.VerifyingKey;
import org.web3j.utils.Numeric;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model's key as a chain's verifier session (ZkmlVerifierSession) registers it: a model whose proofs
 * the session verifies is listed on the market under the session's vkHash (the hash of the key's parts,
 * {@link EvmKeyCompiler}), not under its verinfer model id. Clients and provers compute that vkHash
 * from their own verifying key, so they serve and request exactly the listings of the key they hold.
 */
final class SessionKeys {
    private SessionKeys() {}

    /** The session's key of the model in {@code dir}; a one-line error when the session does not cover it. */
    static VerifierSession.KeyParts compile(VerifyingKey vk, Path dir) {
        try {
            return EvmKeyCompiler.compile(vk);
        } catch (UnsupportedGraphException e) {
            throw new CliException(ExitCodes.USAGE, "the on-chain verifier session cannot verify the model in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The session vkHash of {@code vk}, or empty when the session does not cover the key. */
    static Optional<byte[]> vkHash(VerifyingKey vk) {
        try {
            return Optional.of(EvmKeyCompiler.compile(vk).vkHash());
        } catch (UnsupportedGraphException e) {
            return Optional.empty();
        }
    }

    /** Per session vkHash (hex, no prefix) of the keys a session covers, the model id (hex) of that key. */
    static Map<String, String> modelIds(List<ProvingKey> keys) {
        Map<String, String> ids = new HashMap<>();
        for (ProvingKey k : keys) {
            vkHash(k.verifyingKey()).ifPresent(h -> ids.put(Numeric.toHexStringNoPrefix(h), k.verifyingKey().modelIdHex()));
        }
        return ids;
    }
}
