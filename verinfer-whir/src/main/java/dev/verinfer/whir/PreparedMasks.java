package dev.verinfer.whir;

import java.util.random.RandomGenerator;

/**
 * Per-proof commitments' randomness drawn ahead of their tables ({@link WhirPcs#prepareHiding}): their {@link MaskStream}, keyed
 * as the commitment would key it, with every request the commitment will make already drawn in its order and the masks' codewords
 * and evaluation tables made ({@link MaskStream#drawAhead}). Handed to a commit in place of its generator, it gives that stream
 * ({@link MaskStream#of}) to exactly one commitment; it is no generator to draw from.
 */
final class PreparedMasks implements RandomGenerator {
    private MaskStream stream;

    PreparedMasks(MaskStream stream) {
        this.stream = stream;
    }

    /** The prepared stream, once. */
    synchronized MaskStream take() {
        MaskStream s = stream;
        if (s == null) {
            throw new IllegalStateException("these prepared masks were taken by a commitment already: a mask serves one commitment");
        }
        stream = null;
        return s;
    }

    @Override
    public long nextLong() {
        throw new IllegalStateException("prepared masks are handed to the one commitment they were drawn for, not drawn from");
    }
}
