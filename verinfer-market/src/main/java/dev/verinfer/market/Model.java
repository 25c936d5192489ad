package dev.verinfer.market;

/**
 * A model listing: its key ({@link #key}: the verifying key's model id and the owner's account),
 * owner, verifying key, royalty per paid inference. Anyone may list any model, public weights
 * included, but only under its own account: a listing cannot be squatted, and a client chooses
 * the owner it pays along with the model. A private model's listing also keeps the rotation chain of
 * its weight commitment ({@link #weightRotations}: verinfer-zkml's {@code WeightRotations} file bytes,
 * empty until the owner's first {@link Tx.RotateWeights}); its proofs verify under every root of it.
 */
public record Model(String id, String owner, byte[] verifyingKey, long royalty, boolean deprecated, byte[] weightRotations) {
    public Model {
        verifyingKey = verifyingKey.clone();
        weightRotations = weightRotations.clone();
    }

    /** A listing whose weight commitment was never rotated. */
    public Model(String id, String owner, byte[] verifyingKey, long royalty, boolean deprecated) {
        this(id, owner, verifyingKey, royalty, deprecated, new byte[0]);
    }

    @Override
    public byte[] verifyingKey() {
        return verifyingKey.clone();
    }

    @Override
    public byte[] weightRotations() {
        return weightRotations.clone();
    }

    /** The verifying key's model id (what proofs name). */
    public String modelId() {
        return modelIdOf(id);
    }

    /** The key of {@code owner}'s listing of the model {@code modelId}: {@code modelId@owner}. */
    public static String key(String modelId, String owner) {
        return modelId + "@" + owner;
    }

    /** The verifying key's model id named by a listing key (a bare model id names itself). */
    public static String modelIdOf(String key) {
        int at = key.indexOf('@');
        return at < 0 ? key : key.substring(0, at);
    }

    Model deprecate() {
        return new Model(id, owner, verifyingKey, royalty, true, weightRotations);
    }

    Model rotated(byte[] chain) {
        return new Model(id, owner, verifyingKey, royalty, deprecated, chain);
    }
}
