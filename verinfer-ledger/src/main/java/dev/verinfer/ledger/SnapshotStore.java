package dev.verinfer.ledger;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * State snapshots, one file per height: {@code magic | height | block hash | length | state |
 * sha256(everything before)}. A snapshot is written to a temporary file, forced, and renamed
 * atomically, so a crash leaves either the whole file or none. The newest {@link #KEEP} are kept.
 */
final class SnapshotStore {
    private static final int MAGIC = 0x5649534E;
    private static final int KEEP = 2;
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".bin";

    record Snapshot(long height, Hash blockHash, byte[] state) {
    }

    private final Path dir;

    SnapshotStore(Path dir) {
        this.dir = dir;
    }

    void write(Snapshot s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeLong(s.height());
            out.write(s.blockHash().bytes());
            out.writeInt(s.state().length);
            out.write(s.state());
            out.write(Hash.of(bytes.toByteArray()).bytes());
        }
        Path tmp = dir.resolve(PREFIX + s.height() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes.toByteArray());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file(s.height()), StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(dir);
        List<Path> all = files();
        for (Path old : all.subList(Math.min(KEEP, all.size()), all.size())) {
            Files.delete(old);
        }
    }

    /** The newest intact snapshot that {@code fits} (e.g. agrees with the journal's hash chain). */
    Optional<Snapshot> newest(Predicate<Snapshot> fits) throws IOException {
        for (Path p : files()) {
            Optional<Snapshot> s = read(p).filter(fits);
            if (s.isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }

    private static Optional<Snapshot> read(Path p) throws IOException {
        byte[] all = Files.readAllBytes(p);
        if (all.length < 48 + Hash.LENGTH) {
            return Optional.empty();
        }
        byte[] body = Arrays.copyOf(all, all.length - Hash.LENGTH);
        if (!Hash.of(body).equals(new Hash(Arrays.copyOfRange(all, body.length, all.length)))) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(body);
        if (b.getInt() != MAGIC) {
            return Optional.empty();
        }
        long height = b.getLong();
        byte[] hash = new byte[Hash.LENGTH];
        b.get(hash);
        byte[] state = new byte[b.getInt()];
        b.get(state);
        return Optional.of(new Snapshot(height, new Hash(hash), state));
    }

    /** Snapshot files, newest first (left-over temporary files are ignored). */
    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(PREFIX) && p.getFileName().toString().endsWith(SUFFIX))
                    .sorted(Comparator.comparingLong(SnapshotStore::heightOf).reversed())
                    .toList();
        }
    }

    private Path file(long height) {
        return dir.resolve(PREFIX + height + SUFFIX);
    }

    private static long heightOf(Path p) {
        String name = p.getFileName().toString();
        return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
