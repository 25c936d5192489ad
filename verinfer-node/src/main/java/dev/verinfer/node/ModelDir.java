package dev.verinfer.node;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.VerifyingKey;
import dev.verinfer.zkml.WeightOpeningLedger;
import dev.verinfer.zkml.WeightRotations;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A compiled model directory: proving.key, verifying.key and settings.json; for a zero-knowledge model also
 * proving.key.openings, the count of the weight commitment's openings across processes ({@link WeightOpeningLedger}), and once
 * rotated verifying.key.rotations, the chain from the registered weight commitment to the current one ({@link WeightRotations}).
 */
record ModelDir(Path dir) {
    static final String PROVING_KEY = "proving.key", VERIFYING_KEY = "verifying.key", SETTINGS = "settings.json";
    static final String OPENINGS = PROVING_KEY + WeightOpeningLedger.SUFFIX;
    static final String ROTATIONS = VERIFYING_KEY + WeightRotations.SUFFIX;

    /** An existing model directory (checked). */
    static ModelDir open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CliException(ExitCodes.USAGE, "model directory not found: " + dir + " (create one with 'verinfer compile')");
        }
        return new ModelDir(dir);
    }

    void write(ProvingKey pk, Settings settings) {
        FileIO.write(dir.resolve(PROVING_KEY), pk.toBytes(), "proving key");
        FileIO.write(dir.resolve(VERIFYING_KEY), pk.verifyingKey().toBytes(), "verifying key");
        FileIO.write(dir.resolve(SETTINGS), Json.bytes(settings), "settings");
        if (pk.verifyingKey().zeroKnowledge()) {
            WeightOpeningLedger.create(dir.resolve(OPENINGS), pk); // after the verifying key: its bounds proof's openings counted
        }
    }

    /** The proving key, a zero-knowledge one with its opening count attached (refused when the count is missing or corrupt). */
    ProvingKey provingKey() {
        return provingKey(false);
    }

    /**
     * @param resetOpenings a zero-knowledge key's opening count started again (as at compile) rather than read: the owner's
     *                      word that no proof was made with the key beyond that count
     */
    ProvingKey provingKey(boolean resetOpenings) {
        Path file = dir.resolve(PROVING_KEY);
        byte[] bytes = FileIO.read(file, "proving key");
        ProvingKey pk;
        try {
            pk = ProvingKey.fromBytes(bytes);
        } catch (MalformedProofException | RuntimeException e) {
            throw new CliException(ExitCodes.USAGE, file + " is not a valid proving key: " + e.getMessage(), e);
        }
        if (pk.verifyingKey().zeroKnowledge()) {
            WeightRotations chain = rotations(dir.resolve(VERIFYING_KEY), pk.verifyingKey());
            pk = atEpoch(pk, chain);
            Path openings = dir.resolve(OPENINGS);
            try {
                if (resetOpenings) {
                    WeightOpeningLedger.reset(openings, pk);
                } else if (WeightOpeningLedger.read(openings, pk.verifyingKey()).epoch() + 1 == chain.epoch()) {
                    WeightOpeningLedger.advance(openings, pk); // the last rotation was written, its count not yet moved
                } else {
                    WeightOpeningLedger.open(openings, pk);
                }
            } catch (IllegalStateException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
            }
        }
        return pk;
    }

    /** {@code pk} at the chain's current epoch, its recomputed commitment checked against the chain's root. */
    private ProvingKey atEpoch(ProvingKey pk, WeightRotations chain) {
        try {
            return chain.current(pk);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, dir.resolve(ROTATIONS) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Rotates the weight commitment of {@code pk} (loaded by {@link #provingKey}, so at the chain's current epoch): the chain with
     * the new link is written (atomically), then the opening count moves to the new epoch.
     */
    WeightRotations.Rotated rotate(ProvingKey pk) {
        WeightRotations chain = rotations(dir.resolve(VERIFYING_KEY), pk.verifyingKey());
        WeightRotations.Rotated r;
        try {
            r = chain.rotate(pk);
        } catch (IllegalStateException | IllegalArgumentException e) { // spent, or a table of a few variables (HidingLayout.rotationHides)
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
        Path file = dir.resolve(ROTATIONS);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        FileIO.write(tmp, r.chain().toBytes(), "weight rotations");
        try {
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot write weight rotations " + file + ": " + e, e);
        }
        WeightOpeningLedger.advance(dir.resolve(OPENINGS), r.key());
        return r;
    }

    /**
     * The verified rotation chain beside a zero-knowledge verifying key file ({@code FILE.rotations}), or the registered root alone
     * when there is none; a corrupt file, one of another model, or one whose links do not verify is refused in one line.
     */
    static WeightRotations rotations(Path verifyingKeyFile, VerifyingKey vk) {
        Path file = verifyingKeyFile.resolveSibling(verifyingKeyFile.getFileName() + WeightRotations.SUFFIX);
        if (!Files.exists(file)) {
            return WeightRotations.none(vk);
        }
        try {
            return WeightRotations.fromBytes(FileIO.read(file, "weight rotations"), vk);
        } catch (MalformedProofException | RuntimeException e) {
            throw new CliException(ExitCodes.USAGE, file + " is not a valid weight rotation chain for model " + vk.modelIdHex() + ": " + e.getMessage(), e);
        }
    }

    /** A zero-knowledge model's opening count as on disk ({@code vk} its verifying key), or null for a model without zero knowledge. */
    WeightOpeningLedger.Count openings(VerifyingKey vk) {
        if (!vk.zeroKnowledge()) {
            return null;
        }
        try {
            return WeightOpeningLedger.read(dir.resolve(OPENINGS), vk);
        } catch (IllegalStateException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    VerifyingKey verifyingKey() {
        return readVerifyingKey(dir.resolve(VERIFYING_KEY));
    }

    static VerifyingKey readVerifyingKey(Path file) {
        byte[] bytes = FileIO.read(file, "verifying key");
        try {
            return VerifyingKey.fromBytes(bytes);
        } catch (MalformedProofException | RuntimeException e) {
            throw new CliException(ExitCodes.USAGE, file + " is not a valid verifying key: " + e.getMessage(), e);
        }
    }
}
