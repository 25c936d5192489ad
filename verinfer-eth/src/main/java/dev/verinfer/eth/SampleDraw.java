package dev.verinfer.eth;

import org.web3j.crypto.Hash;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The SAMPLED draw by commit–reveal, as {@code VerinferMarket.revealSample} computes it: the client
 * commits keccak256(secret) with the request; the lock records the hash of the lock block's parent
 * as the seed; the client reveals the secret after the result; the draw is keccak256(domain,
 * secret, seed, request id) mod 10000 &lt; q (in basis points).
 */
public final class SampleDraw {
    private static final byte[] DOMAIN = Hash.sha3("verinfer-eth-sample-v1".getBytes(StandardCharsets.US_ASCII));

    private SampleDraw() {
    }

    /** A fresh 32-byte secret. */
    public static byte[] newSecret(SecureRandom random) {
        byte[] s = new byte[32];
        random.nextBytes(s);
        return s;
    }

    /** What the request commits: keccak256(abi.encode(secret)). */
    public static byte[] commitment(byte[] secret) {
        return Hash.sha3(word(secret));
    }

    /** Whether the reveal of {@code secret} draws request {@code id}, locked with {@code seed}, at {@code sampleBps}. */
    public static boolean drawn(byte[] secret, byte[] seed, long id, int sampleBps) {
        byte[] x = Hash.sha3(concat(DOMAIN, word(secret), word(seed), word(BigInteger.valueOf(id).toByteArray())));
        return new BigInteger(1, x).mod(BigInteger.valueOf(10_000)).intValueExact() < sampleBps;
    }

    /** A value right-aligned in a 32-byte ABI word. */
    private static byte[] word(byte[] v) {
        byte[] w = new byte[32];
        int n = Math.min(v.length, 32);
        System.arraycopy(v, v.length - n, w, 32 - n, n);
        return w;
    }

    private static byte[] concat(byte[]... parts) {
        byte[] out = new byte[32 * parts.length];
        for (int i = 0; i < parts.length; i++) {
            System.arraycopy(parts[i], 0, out, 32 * i, 32);
        }
        return out;
    }
}
