package dev.verinfer.merkle;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class Keccak256Test {
    private static final HexFormat HEX = HexFormat.of();

    private static String keccak(byte[] data) {
        return HEX.formatHex(new Keccak256().digest(data));
    }

    private static byte[] filled(int n, int b) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) b);
        return out;
    }

    /** Vectors of the EVM's keccak256 (js-sha3's keccak256, as solc's toolchain computes it), around the 136-byte block. */
    @Test
    void knownVectors() {
        assertEquals("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", keccak(new byte[0]));
        assertEquals("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45", keccak("abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("3a57666b048777f2c953dc4456f45a2588e1cb6f2da760122d530ac2ce607d4a", keccak(filled(200, 0xa3)));
        assertEquals("34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446", keccak(filled(135, 'a'))); // padding 0x81 in one byte
        assertEquals("a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e", keccak(filled(136, 'a'))); // a whole padding block
        assertEquals("d869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39", keccak(filled(137, 'a')));
        assertEquals("cf7fcd4f705ee749930d19ca84561a9bf62516bd90a471545fa2f49fdc7e63c8", keccak(filled(272, 'a')));
    }

    /** Agrees with web3j's Hash.sha3 (BouncyCastle) on any input fed in any split, and resets after each digest. */
    @Property(tries = 400)
    void agreesWithWeb3j(@ForAll @Size(max = 700) byte[] data, @ForAll @IntRange(min = 1, max = 300) int piece) throws Exception {
        MessageDigest k = MerkleHash.KECCAK256.newDigest();
        for (int at = 0; at < data.length; at += piece) {
            if (piece == 1) {
                k.update(data[at]);
            } else {
                k.update(data, at, Math.min(piece, data.length - at));
            }
        }
        byte[] out = new byte[40];
        k.digest(out, 3, 32);
        assertArrayEquals(Hash.sha3(data), Arrays.copyOfRange(out, 3, 35));
        assertArrayEquals(Hash.sha3(data), k.digest(data));
    }

    /** The Merkle hashes: leaf = keccak256(0x00 ‖ data), node = keccak256(0x01 ‖ left ‖ right), truncated as SHA-256's are. */
    @Property(tries = 100)
    void merkleHashesAreDomainSeparatedKeccak(@ForAll @Size(max = 300) byte[] data, @ForAll @IntRange(min = 16, max = 32) int d) {
        MerkleHasher h = new MerkleHasher(MerkleHash.KECCAK256, d);
        byte[] prefixed = new byte[data.length + 1];
        System.arraycopy(data, 0, prefixed, 1, data.length);
        byte[] leaf = h.leaf(data);
        assertArrayEquals(Arrays.copyOf(Arrays.copyOf(Hash.sha3(prefixed), d), 32), leaf);
        byte[] pair = new byte[65];
        pair[0] = 1;
        System.arraycopy(leaf, 0, pair, 1, 32);
        System.arraycopy(leaf, 0, pair, 33, 32);
        assertArrayEquals(Arrays.copyOf(Arrays.copyOf(Hash.sha3(pair), d), 32), h.node(leaf, leaf));
    }
}
