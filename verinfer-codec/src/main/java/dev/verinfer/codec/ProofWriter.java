package dev.verinfer.codec;

import dev.verinfer.field.Ext2;
import dev.verinfer.field.ExtVector;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Big-endian binary encoding of prover messages. Every message starts with a 4-byte magic and a
 * version byte ({@link #begin}); vectors carry their length; field elements are 8 canonical bytes.
 * {@link ProofReader} reads exactly this and rejects anything else.
 */
public final class ProofWriter {
    private static final VarHandle BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Starts a message of the given 4-character kind and format version. */
    public static ProofWriter begin(String magic, int version) {
        ProofWriter w = new ProofWriter();
        byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
        if (m.length != 4) {
            throw new IllegalArgumentException("magic must be 4 ASCII characters: " + magic);
        }
        w.out.writeBytes(m);
        w.writeByte(version);
        return w;
    }

    public ProofWriter writeByte(int b) {
        out.write(b);
        return this;
    }

    public ProofWriter writeInt(int v) {
        for (int i = 3; i >= 0; i--) {
            out.write(v >>> (8 * i));
        }
        return this;
    }

    public ProofWriter writeLong(long v) {
        byte[] b = new byte[8];
        BIG_ENDIAN.set(b, 0, v);
        out.write(b, 0, 8);
        return this;
    }

    /**
     * A signed integer in as few bytes as its magnitude needs: zig-zag (0, −1, 1, −2, … ↦ 0, 1, 2, 3, …),
     * then 7 bits a byte, least significant first, the high bit set on every byte but the last. Small
     * quantised values (public tensors) take one or two bytes instead of eight.
     */
    public ProofWriter writeSignedVarint(long v) {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out.write((int) (z & 0x7F) | 0x80);
            z >>>= 7;
        }
        out.write((int) z);
        return this;
    }

    public ProofWriter writeField(long v) {
        return writeLong(v);
    }

    /** The length, then the values in one write (a fibre of a WHIR opening is hundreds of them). */
    public ProofWriter writeFields(long[] values) {
        writeInt(values.length);
        byte[] b = new byte[8 * values.length];
        for (int i = 0; i < values.length; i++) {
            BIG_ENDIAN.set(b, 8 * i, values[i]);
        }
        out.write(b, 0, b.length);
        return this;
    }

    public ProofWriter writeExt(Ext2 v) {
        return writeLong(v.c0()).writeLong(v.c1());
    }

    public ProofWriter writeExts(Ext2[] values) {
        writeInt(values.length);
        for (Ext2 v : values) {
            writeExt(v);
        }
        return this;
    }

    public ProofWriter writeExts(ExtVector values) {
        return writeExts(values.toArray());
    }

    public ProofWriter writeBytes(byte[] data) {
        writeInt(data.length);
        out.writeBytes(data);
        return this;
    }

    /** Fixed-length bytes (e.g. a 32-byte digest) without a length prefix. */
    public ProofWriter writeRaw(byte[] data) {
        out.writeBytes(data);
        return this;
    }

    public ProofWriter writeString(String s) {
        return writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
