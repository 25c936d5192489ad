package dev.verinfer.market;

/** A registered model: id (from the verifying key), owner, verifying key, royalty per paid inference. */
public record Model(String id, String owner, byte[] verifyingKey, long royalty, boolean deprecated) {
    public Model {
        verifyingKey = verifyingKey.clone();
    }

    @Override
    public byte[] verifyingKey() {
        return verifyingKey.clone();
    }

    Model deprecate() {
        return new Model(id, owner, verifyingKey, royalty, true);
    }
}
