package dev.verinfer.codec;

/** The arithmetic of {@link ProofWriter#writePackedSigned}: the width values need and the bytes they take. */
final class PackedSigned {
    private PackedSigned() {}

    /** The fewest bits (at least 1) that hold every value in two's complement: 1 + the bit length of the largest v or ~v. */
    static int width(long[] values) {
        long any = 0;
        for (long v : values) {
            any |= v ^ (v >> 63); // v for v ≥ 0, ~v for v < 0: the bits above the sign bit
        }
        return 65 - Long.numberOfLeadingZeros(any);
    }

    /** Bytes of {@code count} values at {@code width} bits. */
    static int bytes(int count, int width) {
        return Math.toIntExact(((long) count * width + 7) / 8);
    }
}
