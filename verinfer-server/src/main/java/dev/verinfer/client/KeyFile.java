package dev.verinfer.client;

import dev.verinfer.api.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/** A market account's Ed25519 key pair in a JSON file (readable by its owner only): X.509 public and PKCS#8 private key, base64. */
public final class KeyFile {
    record Keys(byte[] publicKey, byte[] privateKey) {
    }

    private KeyFile() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always provides Ed25519", e);
        }
    }

    /** Writes a new key file; refuses to overwrite one. */
    public static void write(Path file, KeyPair keys) throws IOException {
        if (Files.exists(file)) {
            throw new IOException("key file " + file + " exists; it is not overwritten");
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.write(file, Json.MAPPER.writeValueAsBytes(new Keys(keys.getPublic().getEncoded(), keys.getPrivate().getEncoded())));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the platform's defaults apply
        }
    }

    public static KeyPair read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("key file not found: " + file + " (create one with 'verinfer market keygen')");
        }
        try {
            Keys k = Json.MAPPER.readValue(file.toFile(), Keys.class);
            KeyFactory f = KeyFactory.getInstance("Ed25519");
            return new KeyPair(f.generatePublic(new X509EncodedKeySpec(k.publicKey())), f.generatePrivate(new PKCS8EncodedKeySpec(k.privateKey())));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IOException(file + " is not a verinfer key file: " + e.getMessage());
        }
    }
}
