package dev.verinfer.node;

import dev.verinfer.market.TensorStore;
import dev.verinfer.zkml.TensorCommitments;
import dev.verinfer.zkml.VerifyingKey;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's committed input: each tensor put in the tensor store the provers read ('market prover --tensors DIR') under
 * its commitment root, which the request names instead of the values. A private model's (a zero-knowledge key) root is
 * hiding, derived from the values and a fresh secret seed stored beside them ({@code TensorCommitments.hidingRoot}): only
 * who reads the store learns the values; a public model's root is the values' own. Each is stored for the client's own
 * requests: a prover does not serve another account's request that names the same root.
 */
final class CommittedInputs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private CommittedInputs() {}

    /**
     * The roots of {@code values} (the model's input tensors in order), each stored with its values (and seed) in {@code store}
     * for the requests of {@code client} only.
     */
    static List<byte[]> commit(VerifyingKey vk, List<TensorInfo> inputs, List<long[]> values, TensorStore store, String client) {
        List<byte[]> roots = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            int[] shape = inputs.get(i).shape();
            if (vk.zeroKnowledge()) {
                byte[] seed = new byte[TensorCommitments.SEED_BYTES];
                RANDOM.nextBytes(seed);
                byte[] root = TensorCommitments.hidingRoot(vk, shape, values.get(i), seed);
                store.put(root, new TensorStore.Tensor(values.get(i), seed, client));
                roots.add(root);
            } else {
                byte[] root = TensorCommitments.root(shape, values.get(i), vk.security());
                store.put(root, new TensorStore.Tensor(values.get(i), new byte[0], client));
                roots.add(root);
            }
        }
        return roots;
    }
}
