package dev.verinfer.ledger;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * An append-only file of records {@code magic | length | crc32c(length, payload) | payload}, each
 * forced to disk before {@link #append} returns. Opening scans every record: a torn last record
 * (the process died mid-write: the file ends inside it, or ends in zeros the file system had not
 * yet filled) is cut off; a damaged record with intact records after it is corruption, and
 * opening fails.
 */
final class Journal implements Closeable {
    private static final int MAGIC = 0x56494A31;
    private static final int HEADER = 12;
    static final int MAX_RECORD = 1 << 30;

    /** Receives each intact record at open. */
    interface Visitor {
        void record(long offset, byte[] payload) throws IOException;
    }

    private final Path file;
    private final FileChannel channel;
    private volatile long end;

    private Journal(Path file, FileChannel channel, long end) {
        this.file = file;
        this.channel = channel;
        this.end = end;
    }

    static Journal open(Path file, Visitor visitor) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long size = ch.size();
            long offset = 0;
            while (offset < size) {
                byte[] payload = readRecord(ch, offset, size);
                if (payload == null) {
                    if (!isTornTail(ch, offset, size)) {
                        throw new CorruptLedgerException(file + ": damaged record at byte " + offset + " with intact data after it");
                    }
                    ch.truncate(offset);
                    ch.force(true);
                    break;
                }
                visitor.record(offset, payload);
                offset += HEADER + payload.length;
            }
            return new Journal(file, ch, offset);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Appends one record and forces it to disk; returns its offset. */
    long append(byte[] payload) throws IOException {
        if (payload.length > MAX_RECORD) {
            throw new IOException("record of " + payload.length + " bytes exceeds the journal's limit of " + MAX_RECORD);
        }
        ByteBuffer buf = ByteBuffer.allocate(HEADER + payload.length);
        buf.putInt(MAGIC).putInt(payload.length).putInt(crc(payload)).put(payload).flip();
        long offset = end;
        long pos = offset;
        while (buf.hasRemaining()) {
            pos += channel.write(buf, pos);
        }
        channel.force(true);
        end = pos;
        return offset;
    }

    /** The payload of the intact record at {@code offset}. */
    byte[] read(long offset) throws IOException {
        byte[] payload = readRecord(channel, offset, end);
        if (payload == null) {
            throw new CorruptLedgerException(file + ": no intact record at byte " + offset);
        }
        return payload;
    }

    /** The record's payload, or null if the record is incomplete or fails its checks. */
    private static byte[] readRecord(FileChannel ch, long offset, long size) throws IOException {
        if (size - offset < HEADER) {
            return null;
        }
        ByteBuffer header = readFully(ch, offset, HEADER);
        int magic = header.getInt();
        int length = header.getInt();
        int crc = header.getInt();
        if (magic != MAGIC || length < 0 || length > MAX_RECORD || size - offset - HEADER < length) {
            return null;
        }
        byte[] payload = readFully(ch, offset + HEADER, length).array();
        return crc(payload) == crc ? payload : null;
    }

    /** A damaged record is a torn write if it runs to the end of the file, or everything from it on is zero. */
    private static boolean isTornTail(FileChannel ch, long offset, long size) throws IOException {
        if (size - offset < HEADER) {
            return true;
        }
        ByteBuffer header = readFully(ch, offset, HEADER);
        int magic = header.getInt();
        int length = header.getInt();
        if (magic == MAGIC && length >= 0 && offset + HEADER + (long) length >= size) {
            return true;
        }
        for (long p = offset; p < size; p += 1 << 16) {
            ByteBuffer chunk = readFully(ch, p, (int) Math.min(1 << 16, size - p));
            while (chunk.hasRemaining()) {
                if (chunk.get() != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static ByteBuffer readFully(FileChannel ch, long offset, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (ch.read(buf, offset + buf.position()) < 0) {
                throw new IOException("unexpected end of journal at byte " + (offset + buf.position()));
            }
        }
        return buf.flip();
    }

    private static int crc(byte[] payload) {
        CRC32C c = new CRC32C();
        c.update(payload.length >>> 24);
        c.update(payload.length >>> 16);
        c.update(payload.length >>> 8);
        c.update(payload.length);
        c.update(payload);
        return (int) c.getValue();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
