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
 * tensor, named by its root in hex, holding its values in {@link StatementCodec} encoding — followed,
 * for a tensor that names its client, by the seed (four longs, none for a value-derived root) and the
 * client's account id (one character a value) — written to a temporary file and moved into place so
 * that a reader never sees part of one.
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
    public void put(byte[] root, Tensor tensor) {
        Path file = file(root);
        try {
            Path tmp = Files.createTempFile(dir, ".put-", ".tmp");
            Files.write(tmp, StatementCodec.encode(tensor.client().isEmpty() && tensor.seed().length == 0 ? List.of(tensor.values())
                    : List.of(tensor.values(), tensor.seed().length == 0 ? new long[0] : Openings.seedTensor(tensor.seed()), tensor.client().chars().asLongStream().toArray())));
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
                case 1 -> Optional.of(new Tensor(tensors.getFirst(), new byte[0], ""));
                case 3 -> Optional.of(new Tensor(tensors.getFirst(), tensors.get(1).length == 0 ? new byte[0] : Openings.seed(tensors.get(1)), client(tensors.get(2))));
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

    private static String client(long[] chars) {
        StringBuilder b = new StringBuilder();
        for (long c : chars) {
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("an account id is printable ASCII");
            }
            b.append((char) c);
        }
        return b.toString();
    }

    private Path file(byte[] root) {
        return dir.resolve(HexFormat.of().formatHex(root));
    }
}
