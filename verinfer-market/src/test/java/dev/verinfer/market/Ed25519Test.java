package dev.verinfer.market;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The market's Ed25519 (Bouncy Castle's) agrees with the JDK's: the same key signs the same bytes
 * (RFC 8032 signatures are deterministic), each verifies the other's signatures, and what either
 * refuses — another message, key or signature, a non-canonical S (S + ℓ), a key that is no curve
 * point, a malformed encoding — the market refuses.
 */
class Ed25519Test {
    /** ℓ, the order of the base point (RFC 8032 §5.1). */
    private static final BigInteger ORDER = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

    @Test
    void signaturesAreTheJdksAndVerifyBothWays() throws Exception {
        for (int i = 0; i < 20; i++) {
            KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] pk = keys.getPublic().getEncoded();
            byte[] message = ("message " + i).repeat(i + 1).getBytes(StandardCharsets.UTF_8);
            Signature jdk = Signature.getInstance("Ed25519");
            jdk.initSign(keys.getPrivate());
            jdk.update(message);
            byte[] expected = jdk.sign();
            byte[] ours = Ed25519.sign(keys.getPrivate(), pk, message);
            assertArrayEquals(expected, ours);
            assertTrue(Ed25519.verify(pk, message, expected));
            jdk.initVerify(keys.getPublic());
            jdk.update(message);
            assertTrue(jdk.verify(ours));
        }
    }

    @Test
    void whatIsNotTheKeysSignatureOfTheMessageIsRefused() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] pk = keys.getPublic().getEncoded();
        byte[] other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        byte[] message = "pay 5 to someone".getBytes(StandardCharsets.UTF_8);
        byte[] sig = Ed25519.sign(keys.getPrivate(), pk, message);
        assertFalse(Ed25519.verify(pk, "pay 6 to someone".getBytes(StandardCharsets.UTF_8), sig), "another message");
        assertFalse(Ed25519.verify(other, message, sig), "another key");
        for (int bit : new int[] {0, 255, 256, 511}) {
            byte[] flipped = sig.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(Ed25519.verify(pk, message, flipped), "signature bit " + bit);
        }
        assertFalse(Ed25519.verify(pk, message, withS(sig, s(sig).add(ORDER))), "S + ℓ: the same point, a non-canonical scalar");
        assertFalse(Ed25519.verify(pk, message, Arrays.copyOf(sig, 63)), "a short signature");
        assertFalse(Ed25519.verify(pk, message, Arrays.copyOf(sig, 65)), "a long signature");
        assertFalse(Ed25519.verify(Arrays.copyOf(pk, 43), message, sig), "a short key");
        byte[] prefix = pk.clone();
        prefix[8] ^= 1;
        assertFalse(Ed25519.verify(prefix, message, sig), "another algorithm's identifier");
        byte[] noPoint = pk.clone();
        Arrays.fill(noPoint, 12, 44, (byte) 0xff);
        noPoint[43] = 0x7f;
        assertFalse(Ed25519.verify(noPoint, message, sig), "y = 2^255 - 1 ≥ p: no canonical point");
        assertThrows(IllegalArgumentException.class, () -> Ed25519.sign(KeyPairGenerator.getInstance("Ed448").generateKeyPair().getPrivate(), pk, message));
    }

    /** S, the signature's second half, little-endian (RFC 8032 §5.1.6). */
    private static BigInteger s(byte[] sig) {
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) be[i] = sig[63 - i];
        return new BigInteger(1, be);
    }

    private static byte[] withS(byte[] sig, BigInteger s) {
        byte[] out = sig.clone();
        byte[] be = s.toByteArray();
        Arrays.fill(out, 32, 64, (byte) 0);
        for (int i = 0; i < be.length && i < 32; i++) out[32 + i] = be[be.length - 1 - i];
        return out;
    }
}
