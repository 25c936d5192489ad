package dev.verinfer.market;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Committed tensors by their commitment roots: how a workflow step's input, which the market holds
 * only as roots, reaches the prover that serves it (the producing step's prover puts its committed
 * outputs; a client puts the values of the roots it gave). The store is not trusted: whoever takes
 * values from it recomputes their root ({@link InferenceService#inputRoots}) before using them.
 */
public interface TensorStore {
    /** Stores {@code values} (one tensor) under {@code root}. */
    void put(byte[] root, long[] values);

    /** The values stored under {@code root}, if any (unchecked). */
    Optional<long[]> get(byte[] root);

    /** A store in this process's memory. */
    static TensorStore inMemory() {
        Map<String, long[]> tensors = new ConcurrentHashMap<>();
        return new TensorStore() {
            @Override
            public void put(byte[] root, long[] values) {
                tensors.put(java.util.HexFormat.of().formatHex(root), values.clone());
            }

            @Override
            public Optional<long[]> get(byte[] root) {
                return Optional.ofNullable(tensors.get(java.util.HexFormat.of().formatHex(root))).map(long[]::clone);
            }
        };
    }
}
