package dev.verinfer.market;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Committed tensors by their commitment roots: how a workflow step's input, which the market holds
 * only as roots, reaches the prover that serves it (the producing step's prover puts its committed
 * outputs; a client puts the values of the roots it gave). A private model's root is hiding: its
 * tensor is stored with the secret seed the root is derived from ({@code TensorCommitments.hiding}),
 * which the prover needs to open it. The store is not trusted: whoever takes a tensor from it
 * recomputes its root ({@link InferenceService#inputRoots}) before using it. It holds the values in
 * the clear, so it is shared only with the provers meant to see them (a directory on their machine).
 */
public interface TensorStore {
    /** One stored tensor: its values and the seed of its hiding root (empty for a value-derived root). */
    record Tensor(long[] values, byte[] seed) {
        public Tensor {
            values = values.clone();
            seed = seed.clone();
        }

        @Override
        public long[] values() {
            return values.clone();
        }

        @Override
        public byte[] seed() {
            return seed.clone();
        }
    }

    /** Stores {@code values} (one tensor) under {@code root}, with the seed of a hiding root (else empty). */
    void put(byte[] root, long[] values, byte[] seed);

    /** Stores {@code values} under their value-derived {@code root}. */
    default void put(byte[] root, long[] values) {
        put(root, values, new byte[0]);
    }

    /** The tensor stored under {@code root}, if any (unchecked). */
    Optional<Tensor> get(byte[] root);

    /** A store in this process's memory. */
    static TensorStore inMemory() {
        Map<String, Tensor> tensors = new ConcurrentHashMap<>();
        return new TensorStore() {
            @Override
            public void put(byte[] root, long[] values, byte[] seed) {
                tensors.put(java.util.HexFormat.of().formatHex(root), new Tensor(values, seed));
            }

            @Override
            public Optional<Tensor> get(byte[] root) {
                return Optional.ofNullable(tensors.get(java.util.HexFormat.of().formatHex(root)));
            }
        };
    }
}
