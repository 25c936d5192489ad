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
 * the clear, so it is shared only with the provers meant to see them (a directory on their machine),
 * and each tensor names the client whose requests may use it: a root is public, so anyone may post
 * a request naming someone else's root, and a prover that served it would publish that model's
 * output on the hidden input (and open its commitment once more).
 */
public interface TensorStore {
    /**
     * One stored tensor: its values, the seed of its hiding root (empty for a value-derived root), and the account
     * whose requests may use it (empty: any; a hiding root's always names one).
     */
    record Tensor(long[] values, byte[] seed, String client) {
        public Tensor {
            values = values.clone();
            seed = seed.clone();
            java.util.Objects.requireNonNull(client);
        }

        @Override
        public long[] values() {
            return values.clone();
        }

        @Override
        public byte[] seed() {
            return seed.clone();
        }

        /** Whether a request of {@code requester} may use it: its own client's, or anyone's for an unnamed value-derived root. */
        public boolean usableBy(String requester) {
            return client.isEmpty() ? seed.length == 0 : client.equals(requester);
        }
    }

    /** Stores {@code tensor} under {@code root}. */
    void put(byte[] root, Tensor tensor);

    /** Stores {@code values} under their value-derived {@code root}, for any client's requests. */
    default void put(byte[] root, long[] values) {
        put(root, new Tensor(values, new byte[0], ""));
    }

    /** The tensor stored under {@code root}, if any (unchecked). */
    Optional<Tensor> get(byte[] root);

    /** A store in this process's memory. */
    static TensorStore inMemory() {
        Map<String, Tensor> tensors = new ConcurrentHashMap<>();
        return new TensorStore() {
            @Override
            public void put(byte[] root, Tensor tensor) {
                tensors.put(java.util.HexFormat.of().formatHex(root), tensor);
            }

            @Override
            public Optional<Tensor> get(byte[] root) {
                return Optional.ofNullable(tensors.get(java.util.HexFormat.of().formatHex(root)));
            }
        };
    }
}
