package dev.verinfer.transcript;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;
import dev.verinfer.field.Goldilocks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The Fiat–Shamir transcript: prover and verifier absorb the same messages in the same order and
 * draw the same challenges. Built on SHA-256 as a hash chain over an unambiguous, domain-separated
 * encoding: every absorb appends the record (tag, label length, label, data length, data) to the bytes
 * pending since the last challenge; every challenge appends its own record (tag, label length, label,
 * counter) and is {@code SHA-256(state ‖ pending)}, which then becomes the state (pending emptied). So
 * <pre>
 *   state₀ = 0³²,   challengeᵢ = stateᵢ₊₁ = SHA-256(stateᵢ ‖ records absorbed since challengeᵢ₋₁ ‖ challenge recordᵢ)
 * </pre>
 * Challenges drawn in a row differ by their counter (a global count of challenges drawn), and each one
 * is the state the next record is chained to, so later challenges depend on every earlier challenge and
 * message. The records are self-delimiting and the state has a fixed 32 bytes, so each hash input parses
 * uniquely; binding the whole history reduces to SHA-256's collision resistance (Merkle–Damgård-style
 * chaining), and each challenge is a random-oracle output on a fresh input. Field challenges are drawn
 * by rejection sampling, so they carry no modulo bias.
 *
 * <p>Why a chain and not one running hash of the whole prefix (the v1 transcript): the EVM's SHA-256
 * precompile cannot hash incrementally, so a Solidity verifier of a whole-prefix transcript re-hashes
 * everything absorbed at every challenge (13.5 M gas for alexa_v0.1); with the chain each absorbed byte
 * is hashed once (docs/proof-system.md, docs/ethereum.md).
 *
 * <p>Rule: everything the verifier sees — protocol version, model commitment, public inputs and
 * outputs, every prover message — must be absorbed before any challenge that depends on it.
 */
public final class Transcript {
    private static final byte TAG_DOMAIN = 0;
    private static final byte TAG_BYTES = 1;
    private static final byte TAG_FIELDS = 2;
    private static final byte TAG_EXTS = 3;
    private static final byte TAG_CHALLENGE = 4;

    /** Fed with the current state then the pending records; a challenge is its digest. */
    private final MessageDigest state;
    private long challengeCounter;

    /** A transcript for one protocol run; {@code domain} names the protocol and its version. */
    public Transcript(String domain) {
        try {
            state = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
        state.update(new byte[32]); // state₀ = 0³²
        header(TAG_DOMAIN, "verinfer-transcript-v2", 0);
        byte[] d = domain.getBytes(StandardCharsets.UTF_8);
        putLong(d.length);
        state.update(d);
    }

    public void absorbBytes(String label, byte[] data) {
        header(TAG_BYTES, label, data.length);
        state.update(data);
    }

    public void absorbField(String label, long value) {
        header(TAG_FIELDS, label, 1);
        putLong(Goldilocks.canonical(value));
    }

    public void absorbFields(String label, long[] values) {
        header(TAG_FIELDS, label, values.length);
        byte[] buf = new byte[Math.min(values.length, 4096) * 8];
        int pos = 0;
        for (long v : values) {
            Goldilocks.canonical(v);
            writeLong(buf, pos, v);
            pos += 8;
            if (pos == buf.length) {
                state.update(buf, 0, pos);
                pos = 0;
            }
        }
        state.update(buf, 0, pos);
    }

    public void absorbExt(String label, Ext2 value) {
        header(TAG_EXTS, label, 1);
        putLong(value.c0());
        putLong(value.c1());
    }

    public void absorbExts(String label, Ext2... values) {
        header(TAG_EXTS, label, values.length);
        for (Ext2 v : values) {
            putLong(v.c0());
            putLong(v.c1());
        }
    }

    public void absorbExts(String label, ExtVector values) {
        absorbExts(label, values.toArray());
    }

    /** A uniformly random base-field element. */
    public long challengeField(String label) {
        while (true) {
            byte[] block = squeeze(label);
            for (int i = 0; i + 8 <= block.length; i += 8) {
                long x = readLong(block, i);
                if (Goldilocks.isCanonical(x)) {
                    return x; // rejection sampling: uniform on [0, p); fails with probability ≈ 2^-32
                }
            }
        }
    }

    /** A uniformly random extension element (both coordinates uniform and independent). */
    public Ext2 challengeExt(String label) {
        long c0 = challengeField(label);
        long c1 = challengeField(label);
        return new Ext2(c0, c1);
    }

    public Ext2[] challengeExts(String label, int count) {
        Ext2[] out = new Ext2[count];
        for (int i = 0; i < count; i++) {
            out[i] = challengeExt(label);
        }
        return out;
    }

    /** {@code count} indices uniform in [0, bound), drawn independently (repeats possible). */
    public int[] challengeIndices(String label, int count, int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("index bound must be positive: " + bound);
        }
        int[] out = new int[count];
        // Rejection sampling on 32-bit words below the largest multiple of bound: no modulo bias.
        long limit = (1L << 32) - ((1L << 32) % bound);
        int filled = 0;
        while (filled < count) {
            byte[] block = squeeze(label);
            for (int i = 0; i + 4 <= block.length && filled < count; i += 4) {
                long word = ((block[i] & 0xFFL) << 24) | ((block[i + 1] & 0xFFL) << 16) | ((block[i + 2] & 0xFFL) << 8) | (block[i + 3] & 0xFFL);
                if (word < limit) {
                    out[filled++] = (int) (word % bound);
                }
            }
        }
        return out;
    }

    /** 32 challenge bytes. */
    public byte[] challengeBytes(String label) {
        return squeeze(label);
    }

    private byte[] squeeze(String label) {
        header(TAG_CHALLENGE, label, challengeCounter++);
        byte[] out = state.digest(); // SHA-256(state ‖ pending ‖ this record); resets the digest
        state.update(out); // chain: the challenge is the next state
        return out;
    }

    private void header(byte tag, String label, long length) {
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        state.update(tag);
        putLong(l.length);
        state.update(l);
        putLong(length);
    }

    private void putLong(long v) {
        byte[] b = new byte[8];
        writeLong(b, 0, v);
        state.update(b);
    }

    private static void writeLong(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFFL);
        }
        return v;
    }
}
