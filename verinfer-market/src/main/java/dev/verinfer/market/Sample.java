package dev.verinfer.market;

/**
 * A SAMPLED request's pending draw: the client's commitment and, once a prover has locked, the
 * seed of that lock (the lock block's parent hash; empty before a lock). Removed when the draw
 * happens (by reveal, or by the reveal window running out), or when the request ends.
 */
record Sample(byte[] commitment, byte[] seed) {
    Sample {
        commitment = commitment.clone();
        seed = seed.clone();
    }

    @Override
    public byte[] commitment() {
        return commitment.clone();
    }

    @Override
    public byte[] seed() {
        return seed.clone();
    }

    Sample seeded(byte[] s) {
        return new Sample(commitment, s);
    }
}
