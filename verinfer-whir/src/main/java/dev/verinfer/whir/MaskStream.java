package dev.verinfer.whir;

import dev.verinfer.field.Goldilocks;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.random.RandomGenerator;

/**
 * The prover's secret randomness for hiding commitments: AES-256 in counter mode keyed by 32 bytes drawn
 * from the caller's generator (a SecureRandom in production), the PRG of NIST SP 800-90A's CTR_DRBG
 * without reseeding. Masks of 2^20 field elements are drawn in milliseconds, where a SecureRandom call
 * per element would take a second. Field elements by rejection (a value ≥ p, probability 2^−32, is
 * redrawn), so they are uniform up to the PRG's indistinguishability.
 */
final class MaskStream {
    private static final int BLOCK = 1 << 14;
    private final Cipher cipher;
    private final ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
    private final byte[] zeros = new byte[BLOCK];

    MaskStream(RandomGenerator random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        try {
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is not available in this JVM", e);
        }
        buffer.position(BLOCK);
    }

    private long nextLong() {
        if (!buffer.hasRemaining()) {
            buffer.clear();
            buffer.put(cipher.update(zeros));
            buffer.flip();
        }
        return buffer.getLong();
    }

    /** {@code count} uniform field elements. */
    synchronized long[] fields(int count) {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            long v;
            do {
                v = nextLong();
            } while (Long.compareUnsigned(v, Goldilocks.P) >= 0);
            out[i] = v;
        }
        return out;
    }

    /** 16-byte salts, two longs per leaf. */
    synchronized long[] salts(int leaves) {
        long[] out = new long[2 * leaves];
        for (int i = 0; i < out.length; i++) {
            out[i] = nextLong();
        }
        return out;
    }
}
