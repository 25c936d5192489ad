package dev.verinfer.market;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The opening of a committed input: its tensors' values and, for a private model (hiding roots,
 * {@code TensorCommitments.hiding}), one 32-byte seed per tensor. Encoded (a {@link Tx.ClaimUnprovable}'s
 * values) as {@link StatementCodec} tensors: the values, then each seed as a tensor of four big-endian
 * longs ({@link #seedTensor}, as a {@link DirectoryTensorStore} file holds a seed too).
 */
final class Openings {
    static final int SEED_BYTES = 32;
    private static final int SEED_LONGS = SEED_BYTES / Long.BYTES;

    private Openings() {
    }

    /** The tensors {@code values} followed by {@code seeds} (none, or one per value tensor). */
    static byte[] encode(List<long[]> values, List<byte[]> seeds) {
        if (!seeds.isEmpty() && seeds.size() != values.size()) {
            throw new IllegalArgumentException(seeds.size() + " seeds for " + values.size() + " tensors; one each, or none");
        }
        List<long[]> all = new ArrayList<>(values);
        seeds.forEach(s -> all.add(seedTensor(s)));
        return StatementCodec.encode(all);
    }

    static long[] seedTensor(byte[] seed) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("a commitment seed has " + SEED_BYTES + " bytes, not " + seed.length);
        }
        ByteBuffer b = ByteBuffer.wrap(seed);
        long[] out = new long[SEED_LONGS];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getLong();
        }
        return out;
    }

    /** The seed a tensor of {@link #seedTensor} holds; {@link IllegalArgumentException} if it is not four longs. */
    static byte[] seed(long[] tensor) {
        if (tensor.length != SEED_LONGS) {
            throw new IllegalArgumentException("a seed tensor has " + SEED_LONGS + " values, not " + tensor.length);
        }
        ByteBuffer b = ByteBuffer.allocate(SEED_BYTES);
        for (long v : tensor) {
            b.putLong(v);
        }
        return b.array();
    }

    /** An opening decoded: {@code tensors} value tensors and, if {@code seeded}, as many seeds after them. */
    record Opening(List<long[]> values, List<byte[]> seeds) {
        /** The value tensors' {@link StatementCodec} encoding: the input a proof states. */
        byte[] input() {
            return StatementCodec.encode(values);
        }
    }

    /** {@link #encode}'s inverse for an input of {@code tensors} tensors, seeded or not; {@link IllegalArgumentException} if it is not one. */
    static Opening decode(byte[] opening, int tensors, boolean seeded) {
        List<long[]> all = StatementCodec.decode(opening);
        if (all.size() != (seeded ? 2 * tensors : tensors)) {
            throw new IllegalArgumentException("an opening of " + tensors + " tensors" + (seeded ? " and their seeds" : "") + " holds " + all.size() + " tensors");
        }
        return new Opening(all.subList(0, tensors), all.subList(tensors, all.size()).stream().map(Openings::seed).toList());
    }
}
