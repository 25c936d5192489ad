package dev.verinfer.zkml;

import dev.verinfer.pcs.HidingCommitment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The count of a zero-knowledge proving key's weight openings, kept in a file beside the key ({@code proving.key.openings})
 * so that it holds across processes: the hiding weight commitment hides the weights for {@link HidingCommitment#openingBudget}
 * units and {@link HidingCommitment#offFaceClaimBudget} off-face claims over its life, whichever process opens it, while the
 * commitment object counts only its own process's openings. A proof {@link #spend spends} its units here, under a file lock
 * (processes) and this class's lock (threads), and the new count is on disk (written to a temporary file, forced, moved over
 * the old one, the directory forced) before the opening is made, so no proof's bytes exist that the file does not count. A
 * spent budget refuses the proof ({@link WeightBudgetSpentException}); a proof never takes the last {@link WeightRotations#UNITS}
 * units, which a rotation of the commitment spends ({@link WeightRotations}: the model keeps its id). The file names the model id and carries a SHA-256 of
 * its lines, so a file of another key, a truncated or an edited one is refused, never read as zero; a missing one is refused
 * too, since the count is then unknown ({@link #reset} starts it again, on the owner's word).
 */
public final class WeightOpeningLedger {
    /** The sidecar's name beside a key file. */
    public static final String SUFFIX = ".openings";
    private static final String HEADER = "verinfer weight openings v1";
    /** The count of a rotated commitment ({@link WeightRotations}): v1's lines and "epoch E" after them. */
    private static final String HEADER_ROTATED = "verinfer weight openings v2";

    /** Units and off-face claims spent, of the budgets of the commitment of rotation {@code epoch} (0: the registered one). */
    public record Count(int units, int unitBudget, int offFace, int offFaceBudget, int epoch) {
        public Count(int units, int unitBudget, int offFace, int offFaceBudget) {
            this(units, unitBudget, offFace, offFaceBudget, 0);
        }
    }

    private final Path file;
    private final String modelId;
    private final HidingCommitment weights;
    /** The rotation epoch the key's commitment is at (−1: reading only, any epoch). */
    private final int epoch;

    private WeightOpeningLedger(Path file, ProvingKey key) {
        if (!(key.weightCommitment() instanceof HidingCommitment h)) {
            throw new IllegalArgumentException("only a zero-knowledge key's weight openings are counted");
        }
        this.file = file;
        this.modelId = key.verifyingKey().modelIdHex();
        this.weights = h;
        this.epoch = key.epoch();
    }

    /** Reading only (no proving key at hand). */
    private WeightOpeningLedger(Path file, VerifyingKey key) {
        this.file = file;
        this.modelId = key.modelIdHex();
        this.weights = null;
        this.epoch = -1;
    }

    /**
     * The count kept in {@code file} for the model of {@code key} (e.g. for {@code verinfer inspect}), without loading the proving key.
     *
     * @throws IllegalStateException in one line when the file is missing, corrupt or of another key
     */
    public static Count read(Path file, VerifyingKey key) {
        return new WeightOpeningLedger(file, key).count();
    }

    /**
     * Starts the count of a key just set up, with what its weight bounds proof spent (made now if not yet: it opens the
     * weights), and attaches it to {@code key}. {@code file} is replaced.
     */
    public static WeightOpeningLedger create(Path file, ProvingKey key) {
        WeightOpeningLedger ledger = new WeightOpeningLedger(file, key);
        HidingCommitment h = ledger.weights;
        Count count;
        if (key.epoch() > 0) { // a rotated commitment starts with what its rotation spent
            count = new Count(WeightRotations.UNITS, h.openingBudget(), 0, h.offFaceClaimBudget(), key.epoch());
        } else {
            key.verifyingKey().proveWeightBounds();
            count = new Count(h.openingBudget() - h.openingsLeft(), h.openingBudget(), h.offFaceClaimBudget() - h.offFaceClaimsLeft(), h.offFaceClaimBudget(), 0);
        }
        synchronized (WeightOpeningLedger.class) {
            ledger.locked(() -> {
                ledger.write(count);
                return null;
            });
        }
        key.countOpeningsIn(ledger);
        return ledger;
    }

    /**
     * Moves the count to the commitment of a rotation just made and written ({@link WeightRotations#rotate}): {@code next}'s
     * epoch, with the {@link WeightRotations#UNITS} units its rotation spent; attaches it to {@code next}. Also what a count one
     * epoch behind its chain is moved by (the process stopped between writing the chain and the count): no proof can have been
     * made under the new commitment without this count.
     */
    public static WeightOpeningLedger advance(Path file, ProvingKey next) {
        return create(file, next);
    }

    /**
     * The count kept in {@code file} for {@code key} (loaded from the file beside it), attached to the key.
     *
     * @throws IllegalStateException in one line when the file is missing, corrupt or of another key
     */
    public static WeightOpeningLedger open(Path file, ProvingKey key) {
        WeightOpeningLedger ledger = new WeightOpeningLedger(file, key);
        ledger.count();
        key.countOpeningsIn(ledger);
        return ledger;
    }

    /**
     * Starts the count again as {@link #create} does, on the owner's word that no proof was made with this key beyond what
     * the new count says (e.g. the file was lost and the key never proved elsewhere): openings made before and not counted
     * would exceed the budget unseen.
     */
    public static WeightOpeningLedger reset(Path file, ProvingKey key) {
        return create(file, key);
    }

    /** The count as on disk. */
    public Count count() {
        synchronized (WeightOpeningLedger.class) {
            return locked(this::read);
        }
    }

    /**
     * Why the next proof would be refused — its fewest units (no off-face claim) would take a rotation's, or the off-face claims
     * are spent — naming how to go on ({@link WeightBudgetSpentException}'s message), or empty: a server checks it before it
     * takes work it could not prove.
     */
    public java.util.Optional<String> refusal() {
        int units = weights.openingUnits(0);
        Count c = count();
        return c.units() + units + WeightRotations.UNITS > c.unitBudget() || c.offFace() >= c.offFaceBudget()
                ? java.util.Optional.of(new WeightBudgetSpentException(c.unitBudget(), units, c, file).getMessage()) : java.util.Optional.empty();
    }

    /**
     * Spends one opening of the weights carrying {@code offFaceClaims} off-face claims ({@link HidingCommitment#openingUnits}
     * units), on disk, before it is made. The last {@link WeightRotations#UNITS} units are never spent by a proof: they are kept
     * for the rotation that renews the budget ({@link #spendRotation}).
     *
     * @throws WeightBudgetSpentException when the budget left across processes, less a rotation's units, does not cover it
     */
    void spend(int offFaceClaims) {
        int units = weights.openingUnits(offFaceClaims);
        synchronized (WeightOpeningLedger.class) {
            locked(() -> {
                Count c = read();
                if (c.units() + units + WeightRotations.UNITS > c.unitBudget() || c.offFace() + offFaceClaims > c.offFaceBudget()) {
                    throw new WeightBudgetSpentException(c.unitBudget(), units, c, file);
                }
                write(new Count(c.units() + units, c.unitBudget(), c.offFace() + offFaceClaims, c.offFaceBudget(), c.epoch()));
                return null;
            });
        }
    }

    /**
     * Spends the {@link WeightRotations#UNITS} units a rotation of the commitment takes, on disk, before the rotation is made.
     *
     * @throws WeightBudgetSpentException when the budget left does not cover it (compile again: the chain cannot be extended)
     */
    void spendRotation() {
        synchronized (WeightOpeningLedger.class) {
            locked(() -> {
                Count c = read();
                if (c.units() + WeightRotations.UNITS > c.unitBudget()) {
                    throw new WeightBudgetSpentException(c.unitBudget(), WeightRotations.UNITS, c, file);
                }
                write(new Count(c.units() + WeightRotations.UNITS, c.unitBudget(), c.offFace(), c.offFaceBudget(), c.epoch()));
                return null;
            });
        }
    }

    private interface Locked<T> {
        T run() throws IOException;
    }

    /** Runs {@code body} holding the lock file's exclusive lock (one process at a time; the caller holds this class's lock). */
    private <T> T locked(Locked<T> body) {
        Path lock = file.resolveSibling(file.getFileName() + ".lock");
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
            return body.run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the weight opening count " + file + ": " + e.getMessage(), e);
        }
    }

    private Count read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(refusal("is missing"));
        }
        boolean rotated = lines.size() == 6 && lines.getFirst().equals(HEADER_ROTATED);
        int size = rotated ? 6 : 5;
        if (lines.size() != size || !lines.get(0).equals(rotated ? HEADER_ROTATED : HEADER)
                || !lines.get(size - 1).equals("check " + check(lines.subList(0, size - 1)))) {
            throw new IllegalStateException(refusal("is corrupt"));
        }
        if (!lines.get(1).equals("model " + modelId)) {
            throw new IllegalStateException(refusal("counts another model (" + lines.get(1) + ")"));
        }
        Count count;
        try {
            String[] u = lines.get(2).split(" ");
            String[] o = lines.get(3).split(" ");
            String[] e = rotated ? lines.get(4).split(" ") : new String[] {"epoch", "0"};
            if (u.length != 4 || !u[0].equals("units") || !u[2].equals("of") || o.length != 4 || !o[0].equals("off-face") || !o[2].equals("of")
                    || e.length != 2 || !e[0].equals("epoch")) {
                throw new NumberFormatException();
            }
            count = new Count(Integer.parseInt(u[1]), Integer.parseInt(u[3]), Integer.parseInt(o[1]), Integer.parseInt(o[3]), Integer.parseInt(e[1]));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(refusal("is corrupt"));
        }
        if (epoch >= 0 && count.epoch() != epoch) {
            throw new IllegalStateException("the weight opening count " + file + " counts the commitment of rotation epoch " + count.epoch()
                    + ", the key's weight rotations (" + WeightRotations.SUFFIX + ") are at epoch " + epoch + ": is the rotation file missing or stale?");
        }
        return count;
    }

    private String refusal(String what) {
        return "the weight opening count " + file + " " + what + ": how many of the zero-knowledge budget's openings were made is unknown,"
                + " so no proof is made; pass --reset-openings only if no proof was made with this key but those counted, else compile again (--zk)";
    }

    /** Writes the count durably: a temporary file forced to disk, moved over the old one, and the directory forced. */
    private void write(Count c) throws IOException {
        List<String> lines = new java.util.ArrayList<>(List.of(c.epoch() == 0 ? HEADER : HEADER_ROTATED, "model " + modelId,
                "units " + c.units() + " of " + c.unitBudget(), "off-face " + c.offFace() + " of " + c.offFaceBudget()));
        if (c.epoch() > 0) {
            lines.add("epoch " + c.epoch());
        }
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(l).append('\n'));
        text.append("check ").append(check(lines)).append('\n');
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        Path dir = file.toAbsolutePath().getParent();
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // a directory cannot be opened for forcing on every platform; the rename is then as durable as the platform makes it
        }
    }

    private static String check(List<String> lines) {
        return Digests.hex(Digests.sha256("verinfer-weight-openings-v1", String.join("\n", lines).getBytes(StandardCharsets.UTF_8)));
    }
}
