package dev.verinfer.merkle;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Keccak-256 as the EVM's KECCAK256 computes it (Bertoni, Daemen, Peeters, Van Assche, "The Keccak reference",
 * version 3.0): the sponge over Keccak-f[1600] with rate 1088 bits (136 bytes), capacity 512, and Keccak's original
 * padding 0x01 … 0x80 (FIPS 202's SHA3-256 pads 0x06 instead, so it is a different function). The state is 25 lanes,
 * lane x + 5y being bytes 8(x + 5y) … of the block little-endian; each round is θ, ρ and π, χ, ι, unrolled. A
 * {@link MessageDigest} so that {@link MerkleHasher} drives it as it drives SHA-256; no allocation per hash. Not
 * thread-safe.
 */
final class Keccak256 extends MessageDigest {
    static final int RATE = 136;
    private static final VarHandle LANE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** ι's round constants RC[0..23]. */
    private static final long[] RC = {
            0x0000000000000001L, 0x0000000000008082L, 0x800000000000808AL, 0x8000000080008000L,
            0x000000000000808BL, 0x0000000080000001L, 0x8000000080008081L, 0x8000000000008009L,
            0x000000000000008AL, 0x0000000000000088L, 0x0000000080008009L, 0x000000008000000AL,
            0x000000008000808BL, 0x800000000000008BL, 0x8000000000008089L, 0x8000000000008003L,
            0x8000000000008002L, 0x8000000000000080L, 0x000000000000800AL, 0x800000008000000AL,
            0x8000000080008081L, 0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L};

    private final long[] a = new long[25];
    private final byte[] block = new byte[RATE];
    private int filled;

    Keccak256() {
        super("Keccak-256");
    }

    @Override
    protected int engineGetDigestLength() {
        return 32;
    }

    @Override
    protected void engineUpdate(byte input) {
        block[filled++] = input;
        if (filled == RATE) {
            absorb(block, 0);
            filled = 0;
        }
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        if (filled > 0) {
            int n = Math.min(len, RATE - filled);
            System.arraycopy(input, offset, block, filled, n);
            filled += n;
            offset += n;
            len -= n;
            if (filled < RATE) {
                return;
            }
            absorb(block, 0);
            filled = 0;
        }
        for (; len >= RATE; offset += RATE, len -= RATE) {
            absorb(input, offset);
        }
        System.arraycopy(input, offset, block, 0, len);
        filled = len;
    }

    @Override
    protected byte[] engineDigest() {
        byte[] out = new byte[32];
        squeeze(out, 0);
        return out;
    }

    @Override
    protected int engineDigest(byte[] buf, int offset, int len) throws DigestException {
        if (len < 32) {
            throw new DigestException("Keccak-256 needs 32 bytes of output, given " + len);
        }
        squeeze(buf, offset);
        return 32;
    }

    @Override
    protected void engineReset() {
        Arrays.fill(a, 0);
        filled = 0;
    }

    /** Pads the last block (0x01, zeros, 0x80; one byte 0x81 when only one is left), permutes, writes the first 4 lanes and resets. */
    private void squeeze(byte[] out, int at) {
        Arrays.fill(block, filled, RATE, (byte) 0);
        block[filled] ^= 0x01;
        block[RATE - 1] ^= (byte) 0x80;
        absorb(block, 0);
        for (int i = 0; i < 4; i++) {
            LANE.set(out, at + 8 * i, a[i]);
        }
        engineReset();
    }

    /** XORs the 17 lanes of in[at, at + 136) into the state and applies Keccak-f[1600]. */
    private void absorb(byte[] in, int at) {
        for (int i = 0; i < RATE / 8; i++) {
            a[i] ^= (long) LANE.get(in, at + 8 * i);
        }
        permute(a);
    }

    /** Keccak-f[1600]: 24 rounds of θ, ρ∘π, χ, ι on the lanes held in locals (a[x + 5y] = A[x][y]). */
    static void permute(long[] s) {
        long a00 = s[0], a01 = s[1], a02 = s[2], a03 = s[3], a04 = s[4];
        long a05 = s[5], a06 = s[6], a07 = s[7], a08 = s[8], a09 = s[9];
        long a10 = s[10], a11 = s[11], a12 = s[12], a13 = s[13], a14 = s[14];
        long a15 = s[15], a16 = s[16], a17 = s[17], a18 = s[18], a19 = s[19];
        long a20 = s[20], a21 = s[21], a22 = s[22], a23 = s[23], a24 = s[24];
        for (int r = 0; r < 24; r++) {
            // θ: each lane += the parities of the columns x − 1 and x + 1 (the latter rotated by 1)
            long c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20;
            long c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
            long c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
            long c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
            long c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
            long d0 = c4 ^ Long.rotateLeft(c1, 1);
            long d1 = c0 ^ Long.rotateLeft(c2, 1);
            long d2 = c1 ^ Long.rotateLeft(c3, 1);
            long d3 = c2 ^ Long.rotateLeft(c4, 1);
            long d4 = c3 ^ Long.rotateLeft(c0, 1);
            // ρ and π: B[y][2x + 3y] = rot(A[x][y] ^ D[x], r[x][y]); b{x + 5y} below is B[x][y]
            long b00 = a00 ^ d0;
            long b10 = Long.rotateLeft(a01 ^ d1, 1);
            long b20 = Long.rotateLeft(a02 ^ d2, 62);
            long b05 = Long.rotateLeft(a03 ^ d3, 28);
            long b15 = Long.rotateLeft(a04 ^ d4, 27);
            long b16 = Long.rotateLeft(a05 ^ d0, 36);
            long b01 = Long.rotateLeft(a06 ^ d1, 44);
            long b11 = Long.rotateLeft(a07 ^ d2, 6);
            long b21 = Long.rotateLeft(a08 ^ d3, 55);
            long b06 = Long.rotateLeft(a09 ^ d4, 20);
            long b07 = Long.rotateLeft(a10 ^ d0, 3);
            long b17 = Long.rotateLeft(a11 ^ d1, 10);
            long b02 = Long.rotateLeft(a12 ^ d2, 43);
            long b12 = Long.rotateLeft(a13 ^ d3, 25);
            long b22 = Long.rotateLeft(a14 ^ d4, 39);
            long b23 = Long.rotateLeft(a15 ^ d0, 41);
            long b08 = Long.rotateLeft(a16 ^ d1, 45);
            long b18 = Long.rotateLeft(a17 ^ d2, 15);
            long b03 = Long.rotateLeft(a18 ^ d3, 21);
            long b13 = Long.rotateLeft(a19 ^ d4, 8);
            long b14 = Long.rotateLeft(a20 ^ d0, 18);
            long b24 = Long.rotateLeft(a21 ^ d1, 2);
            long b09 = Long.rotateLeft(a22 ^ d2, 61);
            long b19 = Long.rotateLeft(a23 ^ d3, 56);
            long b04 = Long.rotateLeft(a24 ^ d4, 14);
            // χ: A[x][y] = B[x][y] ^ (¬B[x + 1][y] ∧ B[x + 2][y]); ι on A[0][0]
            a00 = b00 ^ (~b01 & b02) ^ RC[r];
            a01 = b01 ^ (~b02 & b03);
            a02 = b02 ^ (~b03 & b04);
            a03 = b03 ^ (~b04 & b00);
            a04 = b04 ^ (~b00 & b01);
            a05 = b05 ^ (~b06 & b07);
            a06 = b06 ^ (~b07 & b08);
            a07 = b07 ^ (~b08 & b09);
            a08 = b08 ^ (~b09 & b05);
            a09 = b09 ^ (~b05 & b06);
            a10 = b10 ^ (~b11 & b12);
            a11 = b11 ^ (~b12 & b13);
            a12 = b12 ^ (~b13 & b14);
            a13 = b13 ^ (~b14 & b10);
            a14 = b14 ^ (~b10 & b11);
            a15 = b15 ^ (~b16 & b17);
            a16 = b16 ^ (~b17 & b18);
            a17 = b17 ^ (~b18 & b19);
            a18 = b18 ^ (~b19 & b15);
            a19 = b19 ^ (~b15 & b16);
            a20 = b20 ^ (~b21 & b22);
            a21 = b21 ^ (~b22 & b23);
            a22 = b22 ^ (~b23 & b24);
            a23 = b23 ^ (~b24 & b20);
            a24 = b24 ^ (~b20 & b21);
        }
        s[0] = a00; s[1] = a01; s[2] = a02; s[3] = a03; s[4] = a04;
        s[5] = a05; s[6] = a06; s[7] = a07; s[8] = a08; s[9] = a09;
        s[10] = a10; s[11] = a11; s[12] = a12; s[13] = a13; s[14] = a14;
        s[15] = a15; s[16] = a16; s[17] = a17; s[18] = a18; s[19] = a19;
        s[20] = a20; s[21] = a21; s[22] = a22; s[23] = a23; s[24] = a24;
    }
}
