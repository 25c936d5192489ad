package dev.verinfer.market;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.ledger.Hash;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.PublicStatement;
import dev.verinfer.zkml.TensorCommitments;
import dev.verinfer.zkml.TensorLink;
import dev.verinfer.zkml.VerificationResult;
import dev.verinfer.zkml.Verifier;
import dev.verinfer.zkml.VerifyingKey;
import dev.verinfer.zkml.WeightRotations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The market's verifier on verinfer-zkml proofs: verifies the proof and that it proves exactly the
 * request's statement — one inference, bound to the statement's {@link ProofContext}, each side
 * public and equal, or committed with the same roots — or, for a batch, exactly the requests'
 * statements as its inferences, in order, bound to the batch's context.
 */
public final class ZkmlProofVerifier implements ProofVerifier {
    private static final String OTHER_CONTEXT = "the proof is bound to another request or prover (its context differs): it was made for another occasion";

    private final Map<String, VerifyingKey> keys = new ConcurrentHashMap<>();
    private final Map<Hash, VerifyingKey> byBytes = new ConcurrentHashMap<>();
    private volatile Parsed last;
    private final BoundedCache<Hash, WeightRotations> chains = new BoundedCache<>(64);
    private static final byte[] NO_ROTATIONS = new byte[0];

    @Override
    public String modelId(byte[] verifyingKey) {
        return parse(verifyingKey).modelIdHex();
    }

    @Override
    public boolean zeroKnowledge(byte[] verifyingKey) {
        return cached(verifyingKey).zeroKnowledge();
    }

    @Override
    public Verdict verify(byte[] verifyingKey, Statement statement, byte[] proof) {
        return verify(verifyingKey, NO_ROTATIONS, statement, proof);
    }

    @Override
    public Verdict verifyBatch(byte[] verifyingKey, List<Statement> statements, byte[] proof) {
        return verifyBatch(verifyingKey, NO_ROTATIONS, statements, proof);
    }

    /**
     * Verifies {@code proof} under each root of the chain ({@code WeightRotations.verify}, the current root first): every root
     * holds the registered weights, so a proof under any of them is the registered model's.
     */
    @Override
    public Verdict verify(byte[] verifyingKey, byte[] weightRotations, Statement statement, byte[] proof) {
        Checked c = check(verifyingKey, weightRotations, statement.modelId(), proof);
        if (!c.verdict().valid()) {
            return c.verdict();
        }
        PublicStatement proven = c.proven();
        if (proven.batch() != 1) {
            return Verdict.invalid("the proof holds a batch of " + proven.batch() + " inferences, the request one");
        }
        if (!Arrays.equals(proven.context(), statement.context())) {
            return Verdict.invalid(OTHER_CONTEXT);
        }
        String input = mismatch(proven.inputs(), proven.inputRoots(), statement.input(), statement.inputRoots(), "input", "the request's");
        if (input != null) {
            return Verdict.invalid(input);
        }
        String output = mismatch(proven.outputs(), proven.outputRoots(), statement.output(), statement.outputRoots(), "output", "the posted result");
        return output == null ? Verdict.ok() : Verdict.invalid(output);
    }

    @Override
    public Verdict verifyBatch(byte[] verifyingKey, byte[] weightRotations, List<Statement> statements, byte[] proof) {
        Checked c = check(verifyingKey, weightRotations, statements.getFirst().modelId(), proof);
        if (!c.verdict().valid()) {
            return c.verdict();
        }
        PublicStatement proven = c.proven();
        if (proven.inputRoots().stream().anyMatch(root -> root.length > 0) || proven.outputRoots().stream().anyMatch(root -> root.length > 0)) {
            return Verdict.invalid("a batch proof shows its inputs and outputs; this one commits them");
        }
        byte[] context = statements.getFirst().context();
        if (!statements.stream().allMatch(s -> Arrays.equals(s.context(), context)) || !Arrays.equals(proven.context(), context)) {
            return Verdict.invalid(OTHER_CONTEXT);
        }
        QuantGraph graph = c.key().graph();
        int batch = statements.size();
        int inferences = proven.batch();
        if (inferences != batch) {
            return Verdict.invalid("the proof holds " + inferences + " inferences, the batch " + batch + " requests");
        }
        List<long[]> inputs = concatenation(statements.stream().map(Statement::input).toList(), sizes(graph, graph.inputs()));
        List<long[]> outputs = concatenation(statements.stream().map(Statement::output).toList(), sizes(graph, graph.outputs()));
        if (inputs == null || outputs == null) {
            return Verdict.invalid("the batch's " + (inputs == null ? "inputs" : "outputs") + " are not each of the model's tensor count and sizes");
        }
        for (int k = 0; k < batch; k++) {
            if (!sameInference(proven.inputs(), inputs, k, batch)) {
                return Verdict.invalid("the proof's inference " + k + " is of another input than the batch's request " + k);
            }
            if (!sameInference(proven.outputs(), outputs, k, batch)) {
                return Verdict.invalid("the proof's inference " + k + " is of another output than the batch's result " + k);
            }
        }
        return Verdict.ok();
    }

    /**
     * The input's tensor count and sizes are the graph's, and every value lies within its input
     * tensor's declared bound |v| < 2^bits (the calibrated range the key carries; the prover's range
     * check on the input enforces the same bound, so an input outside it can never be proven).
     */
    @Override
    public Verdict checkInput(byte[] verifyingKey, byte[] input) {
        try {
            return checkInput(cached(verifyingKey), input);
        } catch (IllegalArgumentException e) {
            return Verdict.invalid(e.getMessage());
        }
    }

    /** {@link #checkInput(byte[], byte[])} under a parsed key (a prover's own check before it claims an input unprovable). */
    static Verdict checkInput(VerifyingKey key, byte[] input) {
        QuantGraph graph = key.graph();
        List<long[]> tensors;
        try {
            tensors = StatementCodec.decode(input);
        } catch (IllegalArgumentException e) {
            return Verdict.invalid(e.getMessage());
        }
        if (tensors.size() != graph.inputs().size()) {
            return Verdict.invalid("the model takes " + graph.inputs().size() + " input tensors, not " + tensors.size());
        }
        for (int i = 0; i < tensors.size(); i++) {
            QTensor t = graph.tensor(graph.inputs().get(i));
            long[] values = tensors.get(i);
            if (values.length != t.size()) {
                return Verdict.invalid("input tensor " + i + " ('" + t.name() + "', shape " + Arrays.toString(t.shape()) + ") has " + t.size()
                        + " values, not " + values.length);
            }
            long bound = 1L << t.bits();
            for (int k = 0; k < values.length; k++) {
                if (values[k] <= -bound || values[k] >= bound) {
                    return Verdict.invalid("input tensor " + i + " ('" + t.name() + "') holds " + values[k] + " at index " + k
                            + ", outside its calibrated bound |v| < 2^" + t.bits());
                }
            }
        }
        return Verdict.ok();
    }

    @Override
    public List<byte[]> inputRoots(byte[] verifyingKey, byte[] values) {
        VerifyingKey key = cached(verifyingKey);
        QuantGraph graph = key.graph();
        Openings.Opening opening = Openings.decode(values, graph.inputs().size(), key.zeroKnowledge());
        List<long[]> tensors = opening.values();
        List<byte[]> roots = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            QTensor t = graph.tensor(graph.inputs().get(i));
            if (tensors.get(i).length != t.size()) {
                throw new IllegalArgumentException("input tensor " + i + " has " + t.size() + " values, not " + tensors.get(i).length);
            }
            roots.add(key.zeroKnowledge() ? TensorCommitments.hidingRoot(key, t.shape(), tensors.get(i), opening.seeds().get(i))
                    : TensorCommitments.root(t.shape(), tensors.get(i), key.security()));
        }
        return roots;
    }

    @Override
    public Optional<String> linkFailure(byte[] producerKey, int output, byte[] consumerKey, int input) {
        try {
            return TensorLink.incompatibility(cached(producerKey), output, cached(consumerKey), input);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public byte[] rotate(byte[] verifyingKey, byte[] weightRotations, byte[] fromRoot, byte[] nextRoot, byte[] proof) {
        VerifyingKey key = cached(verifyingKey);
        WeightRotations chain = weightRotations.length == 0 ? WeightRotations.none(key) : chain(key, weightRotations);
        WeightRotations next;
        try {
            next = chain.extend(key, fromRoot, nextRoot, proof);
        } catch (MalformedProofException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        byte[] bytes = next.toBytes();
        chains.put(Hash.of(bytes), next);
        return bytes;
    }

    /**
     * A listing's chain, read (every link verified) once per distinct bytes: the market's state holds only chains it built
     * link by link ({@link #rotate}), so a chain that no longer reads is a corrupt state, refused as such.
     */
    private WeightRotations chain(VerifyingKey key, byte[] bytes) {
        Hash h = Hash.of(bytes);
        WeightRotations known = chains.get(h);
        if (known != null) {
            return known;
        }
        try {
            WeightRotations read = WeightRotations.fromBytes(bytes, key);
            chains.put(h, read);
            return read;
        } catch (MalformedProofException | RuntimeException e) {
            throw new IllegalArgumentException("the listing's weight rotation chain does not read: " + e.getMessage());
        }
    }

    /**
     * A key parsed once per distinct key bytes (the market holds each registered key unchanged, and
     * entry checks and workflows name the same models again and again).
     */
    private VerifyingKey cached(byte[] verifyingKey) {
        // The last key's bytes compared first: the entry check of every request names a key again, and comparing is far cheaper than hashing it.
        Parsed p = last;
        if (p != null && Arrays.equals(p.bytes(), verifyingKey)) {
            return p.key();
        }
        VerifyingKey key = byBytes.computeIfAbsent(Hash.of(verifyingKey), h -> parse(verifyingKey));
        last = new Parsed(verifyingKey.clone(), key);
        return key;
    }

    /** A verifying key's bytes and the key parsed from them. */
    private record Parsed(byte[] bytes, VerifyingKey key) {
    }

    /** A proof checked under a model's key: the verdict, and the proven statement when valid. */
    private record Checked(Verdict verdict, VerifyingKey key, PublicStatement proven) {
    }

    private Checked check(byte[] verifyingKey, byte[] weightRotations, String modelId, byte[] proof) {
        VerifyingKey key = keys.computeIfAbsent(modelId, id -> parse(verifyingKey));
        if (!key.modelIdHex().equals(modelId)) {
            return new Checked(Verdict.invalid("the verifying key is of model " + key.modelIdHex() + ", not " + modelId), key, null);
        }
        VerificationResult r;
        if (weightRotations.length == 0) {
            r = Verifier.verify(key, proof);
        } else {
            try {
                r = chain(key, weightRotations).verify(key, proof).result();
            } catch (IllegalArgumentException e) {
                return new Checked(Verdict.invalid(e.getMessage()), key, null);
            }
        }
        return new Checked(r.valid() ? Verdict.ok() : Verdict.invalid("proof rejected: " + r.reason()), key, r.statement());
    }

    private static int[] sizes(QuantGraph graph, List<Integer> tensors) {
        return tensors.stream().mapToInt(t -> graph.tensor(t).size()).toArray();
    }

    /** Why the proof's side (values and roots) is not the statement's, or null if it is. */
    private static String mismatch(List<long[]> values, List<byte[]> roots, byte[] expected, List<byte[]> expectedRoots, String side, String whose) {
        boolean committed = roots.stream().anyMatch(root -> root.length > 0);
        if (expectedRoots.isEmpty()) {
            return !committed && Arrays.equals(StatementCodec.encode(values), expected) ? null : "the proof is of another " + side + " than " + whose;
        }
        if (roots.size() != expectedRoots.size() || !roots.stream().allMatch(root -> root.length > 0)) {
            return "the proof's " + side + " is not committed tensor for tensor as " + whose;
        }
        for (int i = 0; i < roots.size(); i++) {
            if (!Arrays.equals(roots.get(i), expectedRoots.get(i))) {
                return "the proof's committed " + side + " " + i + " is not " + whose + " (commitment roots differ)";
            }
        }
        return null;
    }

    /**
     * The requests' tensors laid out as a batch proof's (tensor i: every request's tensor i in turn),
     * or null unless every request has the model's tensor count and sizes.
     */
    private static List<long[]> concatenation(List<byte[]> encoded, int[] sizes) {
        int batch = encoded.size();
        List<long[]> out = new ArrayList<>();
        for (int size : sizes) {
            out.add(new long[batch * size]);
        }
        for (int k = 0; k < batch; k++) {
            List<long[]> tensors;
            try {
                tensors = StatementCodec.decode(encoded.get(k));
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (tensors.size() != sizes.length) {
                return null;
            }
            for (int i = 0; i < sizes.length; i++) {
                if (tensors.get(i).length != sizes[i]) {
                    return null;
                }
                System.arraycopy(tensors.get(i), 0, out.get(i), k * sizes[i], sizes[i]);
            }
        }
        return out;
    }

    /** Whether inference {@code k} of {@code batch} (each tensor's k-th part) is the same in both. */
    private static boolean sameInference(List<long[]> a, List<long[]> b, int k, int batch) {
        for (int i = 0; i < a.size(); i++) {
            int part = a.get(i).length / batch;
            if (!Arrays.equals(a.get(i), k * part, (k + 1) * part, b.get(i), k * part, (k + 1) * part)) {
                return false;
            }
        }
        return true;
    }

    private static VerifyingKey parse(byte[] verifyingKey) {
        try {
            return VerifyingKey.fromBytes(verifyingKey);
        } catch (MalformedProofException | RuntimeException e) {
            throw new IllegalArgumentException("malformed verifying key: " + e.getMessage());
        }
    }
}
