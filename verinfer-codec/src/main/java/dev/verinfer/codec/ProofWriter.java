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
     * Signed integers packed at one width: w (a byte, 1..64), the fewest bits that hold every value in two's
     * complement (at least 1, so a value costs at least a bit), then the values as w-bit two's-complement fields, most significant
     * bit first, back to back, the last byte's unused low bits zero. A quantised tensor of |v| &lt; 2^15 takes
     * 2 bytes a value. The count is the caller's to write; {@link ProofReader#readPackedSigned} reads this
     * and only this encoding (the width minimal, the padding zero), so the values have one byte string.
     */
    public ProofWriter writePackedSigned(long[] values) {
        int w = PackedSigned.width(values);
        out.write(w);
        byte[] b = new byte[PackedSigned.bytes(values.length, w)];
        long bit = 0;
        for (long v : values) {
            long field = v & (-1L >>> (64 - w));
            for (int k = w - 1; k >= 0; k--, bit++) {
                if ((field >>> k & 1) != 0) {
                    b[(int) (bit >>> 3)] |= (byte) (0x80 >>> (bit & 7));
                }
            }
        }
        out.write(b, 0, b.length);
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
