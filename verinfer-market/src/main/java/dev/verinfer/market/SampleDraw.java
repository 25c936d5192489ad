package dev.verinfer.market;

import dev.verinfer.ledger.Hash;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The SAMPLED draw by commit–reveal. The client commits to a secret s in its request
 * ({@link #commitment}: SHA-256 of a domain and s); when a prover locks, the ledger records the
 * hash of the lock block's parent (a seed fixed after the commitment and unknown to the client
 * when it committed); after the result is posted the client reveals s, and the result is drawn
 * iff SHA-256(domain, s, seed, request id) read as an unsigned number lies below q of its range.
 * The prover never sees s before it has posted, the client cannot predict the seed, and nobody
 * who steers block contents after the lock changes the inputs of the draw.
 */
public final class SampleDraw {
    /** A secret's length. */
    public static final int SECRET_BYTES = 32;
    /** A commitment's length (SHA-256). */
    public static final int COMMITMENT_BYTES = 32;
    private static final byte[] COMMIT_DOMAIN = "verinfer-sample-commit-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DRAW_DOMAIN = "verinfer-sample-draw-v2".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private SampleDraw() {
    }

    /** A fresh secret (a client uses each once: a revealed secret reused lets provers know its draws). */
    public static byte[] newSecret() {
        byte[] s = new byte[SECRET_BYTES];
        RANDOM.nextBytes(s);
        return s;
    }

    /** The commitment a request carries for {@code secret}. */
    public static byte[] commitment(byte[] secret) {
        return Hash.of(COMMIT_DOMAIN, secret).bytes();
    }

    /** Whether the draw on {@code secret}, the lock's {@code seed} and the request demands a proof at {@code bps}/10000. */
    public static boolean drawn(byte[] secret, byte[] seed, long requestId, int bps) {
        byte[] d = Hash.of(DRAW_DOMAIN, secret, seed, ByteBuffer.allocate(8).putLong(requestId).array()).bytes();
        return Long.remainderUnsigned(ByteBuffer.wrap(d).getLong(), 10_000) < bps;
    }
}
