package dev.verinfer.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hash a Merkle tree's leaves and nodes are computed with ({@link MerkleHasher}), both 256-bit and truncated alike.
 * SHA-256 for every tree but those of keys meant for the chain: on Ethereum the SHA-256 precompile costs a node
 * ≈ 196 gas (a STATICCALL and its words) where the KECCAK256 instruction costs ≈ 42, while in Java Keccak-256 is the
 * dearer one (no SHA-NI). Both are modelled as random oracles; a truncation to d bytes keeps collision resistance
 * 2^(4d) for either (the generic birthday bound).
 */
public enum MerkleHash {
    /** FIPS 180-4 SHA-256 (the JDK's, with SHA-NI where the CPU has it). */
    SHA256,
    /** Keccak-256 with Keccak's original padding, the EVM's KECCAK256 ({@link Keccak256}). */
    KECCAK256;

    /** A fresh, unshared digest of this hash. */
    MessageDigest newDigest() {
        return switch (this) {
            case SHA256 -> {
                try {
                    yield MessageDigest.getInstance("SHA-256");
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("SHA-256 is not available in this JVM", e);
                }
            }
            case KECCAK256 -> new Keccak256();
        };
    }
}
