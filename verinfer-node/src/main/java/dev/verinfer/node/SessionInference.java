package dev.verinfer.node;

import dev.verinfer.market.InferenceService;
import dev.verinfer.market.ZkmlInference;
import dev.verinfer.zkml.ProvingKey;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A prover's or watcher's inference on a chain, serving the listings under a verifier session's vkHash
 * too: such a listing's model id is the session vkHash of one of the agent's own keys
 * ({@link SessionKeys#modelIds}), run and proven with that key, one inference per proof (the session
 * verifies no batch proofs, so the batching prover proves those requests alone).
 */
final class SessionInference implements InferenceService {
    /** The inference of the current keys (replaced when a spent key is renewed). */
    private volatile InferenceService keys;
    /** The current key per model id. */
    private final Map<String, ProvingKey> byId = new java.util.concurrent.ConcurrentHashMap<>();
    /** Renews a spent private key (null: refuse instead). */
    private final Renewal renewal;
    /** Per session vkHash (hex), the model id (hex) of the key it was compiled from. */
    private final Map<String, String> sessions;
    private final Set<String> served;
    /** Where a refusal to prove a model is told, once per distinct reason (the prover's log). */
    private final java.util.function.Consumer<String> refusals;
    private final Set<String> told = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A private model's spent key renewed: its weight commitment rotated (the model directory's chain and count moved on) and
     * the link sent to the market before any proof under the new commitment; the key at the new epoch.
     */
    interface Renewal {
        ProvingKey renew(ProvingKey spent);
    }

    /** The inference of {@code keys}; on a chain ({@code onChain}) their session listings' too. */
    SessionInference(List<ProvingKey> keys, boolean onChain) {
        this(keys, onChain, reason -> {
        }, null);
    }

    /**
     * The same, telling {@code refusals} each new reason it refuses to prove a model ({@link #refusal}); a spent key is renewed
     * by {@code renewal} instead of refused, unless null.
     */
    SessionInference(List<ProvingKey> keys, boolean onChain, java.util.function.Consumer<String> refusals, Renewal renewal) {
        this.refusals = refusals;
        this.renewal = renewal;
        keys.forEach(k -> byId.put(k.verifyingKey().modelIdHex(), k));
        this.keys = new ZkmlInference(keys);
        this.sessions = onChain ? SessionKeys.modelIds(keys) : Map.of();
        Set<String> all = new TreeSet<>(sessions.keySet());
        keys.forEach(k -> all.add(k.verifyingKey().modelIdHex()));
        this.served = Set.copyOf(all);
    }

    /** The model ids this serves: the keys' own and, on a chain, their session vkHashes. */
    Set<String> served() {
        return served;
    }

    private String key(String modelId) {
        return sessions.getOrDefault(modelId, modelId);
    }

    @Override public byte[] output(String modelId, byte[] input) {
        return keys.output(key(modelId), input);
    }

    @Override public byte[] prove(String modelId, byte[] input, byte[] context) {
        return keys.prove(key(modelId), input, context);
    }

    @Override public byte[] proveBatch(String modelId, List<byte[]> inputs, byte[] context) {
        if (sessions.containsKey(modelId)) {
            throw new IllegalArgumentException("a verifier session verifies no batch proofs (model " + modelId + ")");
        }
        return keys.proveBatch(modelId, inputs, context);
    }

    /** A spent key is renewed here when a {@link Renewal} is set (then it refuses only if the renewal fails). */
    @Override public java.util.Optional<String> refusal(String modelId) {
        String id = key(modelId);
        java.util.Optional<String> reason = keys.refusal(id);
        if (reason.isPresent() && renewal != null) {
            synchronized (this) {
                reason = keys.refusal(id);
                if (reason.isPresent()) {
                    try {
                        byId.put(id, renewal.renew(byId.get(id)));
                        keys = new ZkmlInference(List.copyOf(byId.values()));
                        reason = keys.refusal(id);
                    } catch (RuntimeException e) {
                        reason = java.util.Optional.of("model " + id + ": rotating its spent weight commitment failed: " + e.getMessage());
                    }
                }
            }
        }
        reason.filter(told::add).ifPresent(refusals);
        return reason;
    }

    @Override public int maxBatch(String modelId) {
        return sessions.containsKey(modelId) ? 1 : keys.maxBatch(modelId);
    }

    @Override public Committed proveCommitted(String modelId, byte[] input, List<byte[]> inputSeeds, boolean inputCommitted, boolean outputCommitted,
                                              byte[] context) {
        return keys.proveCommitted(key(modelId), input, inputSeeds, inputCommitted, outputCommitted, context);
    }

    @Override public dev.verinfer.market.Verdict checkInput(String modelId, byte[] input) {
        return keys.checkInput(key(modelId), input);
    }

    @Override public List<byte[]> inputRoots(String modelId, byte[] input, List<byte[]> seeds) {
        return keys.inputRoots(key(modelId), input, seeds);
    }
}
