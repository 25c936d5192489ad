package dev.verinfer.zkml;

import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;

/**
 * The masks of a model's hiding weight commitment, reproducible from a secret 32-byte seed that the
 * proving key stores (a proving key recomputes its commitment on loading, so the masks must come out
 * the same): SHA-256(seed ‖ counter) in counter mode, four longs per block — a PRG as long as SHA-256
 * is a PRF keyed by its input (NIST SP 800-90A's Hash_DRBG in spirit, without reseeding).
 */
final class SeededMasks implements RandomGenerator {
    static final int SEED_BYTES = 32;

    private final String domain;
    private final byte[] seed;
    private long counter;
    private final long[] block = new long[4];
    private int next = block.length;

    SeededMasks(byte[] seed) {
        this("verinfer-weight-masks-v1", seed);
    }

    /** Masks under another domain label: one seed never yields the same stream for two purposes. */
    SeededMasks(String domain, byte[] seed) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("a mask seed has " + SEED_BYTES + " bytes, not " + seed.length);
        }
        this.domain = domain;
        this.seed = seed.clone();
    }

    @Override
    public long nextLong() {
        if (next == block.length) {
            ByteBuffer digest = ByteBuffer.wrap(Digests.sha256(domain, seed, ByteBuffer.allocate(8).putLong(counter++).array()));
            for (int i = 0; i < block.length; i++) {
                block[i] = digest.getLong();
            }
            next = 0;
        }
        return block[next++];
    }
}
