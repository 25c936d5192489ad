package dev.verinfer.market;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The market's binary encoding primitives (big-endian, length-prefixed bytes and strings), shared by transactions and snapshots. */
final class Wire {
    private Wire() {
    }

    /**
     * Appends to a growing array. (A ByteArrayOutputStream took a lock per byte: building a signed
     * transaction's message for its signature check, and a node's change feed, spent 5% of the node's
     * CPU samples in it under load.)
     */
    static final class Writer {
        private byte[] buf = new byte[256];
        private int size;

        private void room(int n) {
            int need = Math.addExact(size, n);
            if (need > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(need, buf.length <= Integer.MAX_VALUE / 2 ? 2 * buf.length : Integer.MAX_VALUE - 8));
            }
        }

        Writer i32(int v) {
            room(Integer.BYTES);
            buf[size] = (byte) (v >>> 24);
            buf[size + 1] = (byte) (v >>> 16);
            buf[size + 2] = (byte) (v >>> 8);
            buf[size + 3] = (byte) v;
            size += Integer.BYTES;
            return this;
        }

        Writer i64(long v) {
            return i32((int) (v >>> 32)).i32((int) v);
        }

        Writer bytes(byte[] v) {
            i32(v.length);
            room(v.length);
            System.arraycopy(v, 0, buf, size, v.length);
            size += v.length;
            return this;
        }

        Writer str(String v) {
            return bytes(v.getBytes(StandardCharsets.UTF_8));
        }

        Writer bool(boolean v) {
            return i32(v ? 1 : 0);
        }

        byte[] toBytes() {
            return Arrays.copyOf(buf, size);
        }
    }

    /** Thrown for bytes that do not decode; the message says what was expected. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    static final class Reader {
        private final ByteBuffer in;

        Reader(byte[] bytes) {
            in = ByteBuffer.wrap(bytes);
        }

        int i32() throws MalformedException {
            try {
                return in.getInt();
            } catch (BufferUnderflowException e) {
                throw new MalformedException("truncated at byte " + in.position());
            }
        }

        long i64() throws MalformedException {
            try {
                return in.getLong();
            } catch (BufferUnderflowException e) {
                throw new MalformedException("truncated at byte " + in.position());
            }
        }

        byte[] bytes() throws MalformedException {
            int n = i32();
            if (n < 0 || n > in.remaining()) {
                throw new MalformedException("length " + n + " at byte " + in.position() + " exceeds the remaining " + in.remaining());
            }
            byte[] v = new byte[n];
            in.get(v);
            return v;
        }

        String str() throws MalformedException {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        boolean bool() throws MalformedException {
            int v = i32();
            if (v != 0 && v != 1) {
                throw new MalformedException("boolean " + v);
            }
            return v == 1;
        }

        void end() throws MalformedException {
            if (in.hasRemaining()) {
                throw new MalformedException(in.remaining() + " trailing bytes");
            }
        }
    }
}
