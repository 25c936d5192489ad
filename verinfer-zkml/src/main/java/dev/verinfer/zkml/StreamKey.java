package dev.verinfer.zkml;

import java.util.random.RandomGenerator;

/**
 * A generator whose first request for 32 bytes is answered by 32 bytes drawn from the proof's secure randomness up front — what a
 * WHIR hiding commitment's mask stream is keyed with (verinfer-whir {@code MaskStream}) — and the rest from the proof's generator:
 * a commitment made later keys its stream as if it had been made at the draw.
 */
final class StreamKey implements RandomGenerator {
    private final RandomGenerator masks;
    private byte[] key;

    private StreamKey(RandomGenerator masks, byte[] key) {
        this.masks = masks;
        this.key = key;
    }

    static RandomGenerator draw(RandomGenerator masks) {
        byte[] key = new byte[32];
        masks.nextBytes(key);
        return new StreamKey(masks, key);
    }

    @Override
    public void nextBytes(byte[] bytes) {
        if (key != null && bytes.length == key.length) {
            System.arraycopy(key, 0, bytes, 0, key.length);
            key = null;
        } else {
            masks.nextBytes(bytes);
        }
    }

    @Override
    public long nextLong() {
        return masks.nextLong();
    }
}
