package dev.verinfer.market;

/**
 * A model listing: its key ({@link #key}: the verifying key's model id and the owner's account),
 * owner, verifying key, royalty per paid inference. Anyone may list any model, public weights
 * included, but only under its own account: a listing cannot be squatted, and a client chooses
 * the owner it pays along with the model.
 */
public record Model(String id, String owner, byte[] verifyingKey, long royalty, boolean deprecated) {
    public Model {
        verifyingKey = verifyingKey.clone();
    }

    @Override
    public byte[] verifyingKey() {
        return verifyingKey.clone();
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
        return new Model(id, owner, verifyingKey, royalty, true);
    }
}
