package dev.verinfer.eth;

import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Ethereum accounts as key files: one line, the secp256k1 private key in hex (as {@code cast} and
 * most wallets import it), readable by the owner only. The embedded market's Ed25519 keys are a
 * different curve and stay with the embedded backend: an account on the chain is a new key, and the
 * two identities are linked only where their owner says so.
 */
public final class EthKeys {
    private EthKeys() {
    }

    /** A new random account. */
    public static Credentials generate(SecureRandom random) {
        try {
            return Credentials.create(Keys.createEcKeyPair(random));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("secp256k1 key generation is unavailable: " + e.getMessage(), e);
        }
    }

    /** Writes the key file (refusing to overwrite one). */
    public static void write(Credentials c, Path file) throws IOException {
        String hex = Numeric.toHexStringWithPrefixZeroPadded(c.getEcKeyPair().getPrivateKey(), 64) + "\n";
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, hex, StandardCharsets.US_ASCII);
    }

    /** Reads a key file; a clear error if it is not one 32-byte hex key. */
    public static Credentials read(Path file) throws IOException {
        String hex = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!hex.matches("(0x)?[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException(file + " is not an Ethereum key file (one line: the secp256k1 private key, 64 hex digits)");
        }
        return Credentials.create(ECKeyPair.create(Numeric.toBigInt(hex)));
    }
}
