package dev.verinfer.whir;

/**
 * {@link WhirPcsTest}'s fixture and tamper tests on the proven preset: the Johnson regime with Merkle digests
 * of SHA-256 truncated to 25 bytes (every flipped bit of a 25-byte sibling rejected, the proof parsed at that
 * stride).
 */
class WhirJohnsonPcsTest extends WhirPcsTest {
    @Override
    WhirParameters parameters() {
        return WhirParameters.PROVEN;
    }
}
