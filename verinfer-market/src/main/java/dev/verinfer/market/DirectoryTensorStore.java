package dev.verinfer.market;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A {@link TensorStore} in a directory shared by the processes of one machine: one file per
 * tensor, named by its root in hex, holding its values in {@link StatementCodec} encoding (and a
 * hiding root's seed after them, {@code Openings}), written to a temporary file and moved into place
 * so that a reader never sees part of one.
 */
public final class DirectoryTensorStore implements TensorStore {
    private final Path dir;

    public DirectoryTensorStore(Path dir) {
        try {
            this.dir = Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the tensor store " + dir, e);
        }
    }

    @Override
    public void put(byte[] root, long[] values, byte[] seed) {
        Path file = file(root);
        try {
            Path tmp = Files.createTempFile(dir, ".put-", ".tmp");
            Files.write(tmp, Openings.encode(List.of(values), seed.length == 0 ? List.of() : List.of(seed)));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store tensor " + file.getFileName(), e);
        }
    }

    @Override
    public Optional<Tensor> get(byte[] root) {
        try {
            List<long[]> tensors = StatementCodec.decode(Files.readAllBytes(file(root)));
            return switch (tensors.size()) {
                case 1 -> Optional.of(new Tensor(tensors.getFirst(), new byte[0]));
                case 2 -> Optional.of(new Tensor(tensors.getFirst(), Openings.seed(tensors.get(1))));
                default -> Optional.empty();
            };
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tensor " + file(root).getFileName(), e);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Path file(byte[] root) {
        return dir.resolve(HexFormat.of().formatHex(root));
    }
}
