package dev.verinfer.node;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.VerifyingKey;
import dev.verinfer.zkml.WeightOpeningLedger;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A compiled model directory: proving.key, verifying.key and settings.json; for a zero-knowledge model also
 * proving.key.openings, the count of the weight commitment's openings across processes ({@link WeightOpeningLedger}).
 */
record ModelDir(Path dir) {
    static final String PROVING_KEY = "proving.key", VERIFYING_KEY = "verifying.key", SETTINGS = "settings.json";
    static final String OPENINGS = PROVING_KEY + WeightOpeningLedger.SUFFIX;

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
            try {
                if (resetOpenings) {
                    WeightOpeningLedger.reset(dir.resolve(OPENINGS), pk);
                } else {
                    WeightOpeningLedger.open(dir.resolve(OPENINGS), pk);
                }
            } catch (IllegalStateException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
            }
        }
        return pk;
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
