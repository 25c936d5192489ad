package dev.verinfer.codec;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.Goldilocks;

import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link ProofWriter} wrote. Every read is bounds-checked: truncated input, a length that
 * runs past the end or above a caller's limit, a non-canonical field element, a wrong magic or version
 * and trailing bytes all raise {@link MalformedProofException} with a message saying what and where.
 */
public final class ProofReader {
    private final byte[] data;
    private int pos;
    private int version;

    private ProofReader(byte[] data) {
        this.data = data;
    }

    /** Opens a message, checking its magic and that its version is the one this code reads. */
    public static ProofReader open(byte[] data, String magic, int version) throws MalformedProofException {
        return open(data, magic, version, version);
    }

    /**
     * Opens a message of a kind this code reads in versions {@code oldest} to {@code newest} (e.g. one for each variant of
     * a proof); {@link #version()} says which one it is.
     */
    public static ProofReader open(byte[] data, String magic, int oldest, int newest) throws MalformedProofException {
        ProofReader r = new ProofReader(data);
        byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
        if (data.length < m.length + 1) {
            throw new MalformedProofException("not a " + magic + " message: only " + data.length + " bytes");
        }
        for (int i = 0; i < m.length; i++) {
            if (data[i] != m[i]) {
                throw new MalformedProofException("not a " + magic + " message (wrong magic bytes)");
            }
        }
        r.pos = m.length;
        int v = r.readByte();
        String reads = oldest == newest ? "version " + oldest : "versions " + oldest + " to " + newest;
        if (v < oldest) {
            throw new MalformedProofException(magic + " format version " + v + " was made by an older verinfer (this build reads " + reads
                    + "): re-create it with this build (re-prove a proof, re-run setup for a key)");
        }
        if (v > newest) {
            throw new MalformedProofException(magic + " format version " + v + " is not supported (this build reads " + reads + ")");
        }
        r.version = v;
        return r;
    }

    /** The version of the message, read by {@code open}. */
    public int version() {
        return version;
    }

    public int readByte() throws MalformedProofException {
        need(1, "a byte");
        return data[pos++] & 0xFF;
    }

    public int readInt() throws MalformedProofException {
        need(4, "an int");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (data[pos++] & 0xFF);
        }
        return v;
    }

    /** A length or count in [0, max]. */
    public int readLength(int max, String what) throws MalformedProofException {
        int n = readInt();
        if (n < 0 || n > max) {
            throw new MalformedProofException(what + ": length " + n + " outside [0, " + max + "] at byte " + (pos - 4));
        }
        return n;
    }

    public long readLong() throws MalformedProofException {
        need(8, "a long");
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (data[pos++] & 0xFFL);
        }
        return v;
    }

    /**
     * {@code count} values as {@link ProofWriter#writePackedSigned} wrote them: the width byte (1..64),
     * then ⌈count·w/8⌉ bytes. Refused: a width outside [1, 64], one that is not the fewest bits the values need,
     * nonzero padding bits, or fewer bytes than the values take.
     */
    public long[] readPackedSigned(int count, String what) throws MalformedProofException {
        int start = pos;
        int w = readByte();
        if (w < 1 || w > 64) {
            throw new MalformedProofException(what + ": width " + w + " outside [1, 64] bits at byte " + start);
        }
        int n = PackedSigned.bytes(count, w);
        need(n, what);
        long[] values = new long[count];
        long bit = 8L * pos;
        for (int i = 0; i < count; i++) {
            long field = 0;
            for (int k = 0; k < w; k++, bit++) {
                field = field << 1 | (data[(int) (bit >>> 3)] >>> (7 - (bit & 7)) & 1);
            }
            values[i] = field << (64 - w) >> (64 - w); // sign-extend the w-bit field
        }
        for (; bit < 8L * (pos + n); bit++) {
            if ((data[(int) (bit >>> 3)] >>> (7 - (bit & 7)) & 1) != 0) {
                throw new MalformedProofException(what + ": nonzero padding bits at byte " + start);
            }
        }
        pos += n;
        if (PackedSigned.width(values) != w) {
            throw new MalformedProofException(what + ": width " + w + " is not the fewest bits its values need (" + PackedSigned.width(values) + ") at byte " + start);
        }
        return values;
    }

    public long readField() throws MalformedProofException {
        long v = readLong();
        if (!Goldilocks.isCanonical(v)) {
            throw new MalformedProofException("non-canonical field element at byte " + (pos - 8));
        }
        return v;
    }

    public long[] readFields(int max, String what) throws MalformedProofException {
        int n = readLength(max, what);
        need((long) n * 8, what);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = readField();
        }
        return out;
    }

    public Ext2 readExt() throws MalformedProofException {
        long c0 = readField();
        long c1 = readField();
        return new Ext2(c0, c1);
    }

    public Ext2[] readExts(int max, String what) throws MalformedProofException {
        int n = readLength(max, what);
        need((long) n * 16, what);
        Ext2[] out = new Ext2[n];
        for (int i = 0; i < n; i++) {
            out[i] = readExt();
        }
        return out;
    }

    public byte[] readBytes(int max, String what) throws MalformedProofException {
        int n = readLength(max, what);
        return readRaw(n, what);
    }

    public byte[] readRaw(int n, String what) throws MalformedProofException {
        need(n, what);
        byte[] out = new byte[n];
        System.arraycopy(data, pos, out, 0, n);
        pos += n;
        return out;
    }

    public String readString(int max, String what) throws MalformedProofException {
        return new String(readBytes(max, what), StandardCharsets.UTF_8);
    }

    public int remaining() {
        return data.length - pos;
    }

    /** Asserts the message has been read completely. */
    public void finish() throws MalformedProofException {
        if (pos != data.length) {
            throw new MalformedProofException((data.length - pos) + " trailing bytes after the end of the message");
        }
    }

    private void need(long n, String what) throws MalformedProofException {
        if (n > data.length - pos) {
            throw new MalformedProofException("truncated: " + what + " needs " + n + " bytes at byte " + pos + ", only " + (data.length - pos) + " left");
        }
    }
}
