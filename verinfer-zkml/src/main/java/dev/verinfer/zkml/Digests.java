package dev.verinfer.zkml;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 with a domain label, for model ids and architecture digests. */
final class Digests {
    private Digests() {}

    static byte[] sha256(String domain, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] d = domain.getBytes(StandardCharsets.UTF_8);
            md.update((byte) d.length);
            md.update(d);
            for (byte[] p : parts) {
                md.update(new byte[] {(byte) (p.length >>> 24), (byte) (p.length >>> 16), (byte) (p.length >>> 8), (byte) p.length});
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
