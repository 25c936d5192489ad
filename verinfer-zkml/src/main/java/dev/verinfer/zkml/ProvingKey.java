package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.PcsCommitment;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The prover's key: the quantised graph with its weights, the packed weight polynomial and its
 * commitment (with the prover's opening data), and the verifying key. Stored as the full graph;
 * the commitment is recomputed on loading (it is deterministic; a zero-knowledge key also stores the
 * secret seed of its hiding commitment's masks, {@link SeededMasks}).
 */
public final class ProvingKey {
    private static final String MAGIC = "VIPK";
    private static final int VERSION = 2;
    /** The first format: security code and graph; read as a key without zero knowledge. */
    private static final int VERSION_BEFORE_ZK = 1;

    /** The graph with its weights as set up: what {@link #toBytes} stores and {@link #batched} stacks. */
    private final QuantGraph stored;
    /** The graph proofs are made over: {@link #stored}, or a batch's stacking, with saturating look-ups cut where cheaper ({@link SaturatedLookups}). */
    private final QuantGraph graph;
    private final ProofPlan plan;
    private final long[] packedWeights;
    private final PcsCommitment weightCommitment;
    private final VerifyingKey verifyingKey;
    private final int batch;
    /** The seed of the hiding weight commitment's masks (zero knowledge only, else null): as secret as the weights. */
    private final byte[] maskSeed;
    /** {@link #batched} keys by batch size up to {@link VerifyingKey#MEMO_BATCH} (they share this key's weights; see there for their size). */
    private final ConcurrentHashMap<Integer, ProvingKey> batchedKeys = new ConcurrentHashMap<>();
    /** The rotation epoch of {@link #weightCommitment} (0: the registered commitment; {@link WeightRotations}). */
    private final int epoch;
    /** The padded field tables of {@link #graph}'s weights, made on first use ({@link ProverTensors#paddedConstants}) and read by every proof. */
    private volatile long[][] paddedConstants;
    /** Where the weight openings are counted across processes ({@link WeightOpeningLedger}), shared with the batched keys; empty if not. */
    private java.util.concurrent.atomic.AtomicReference<WeightOpeningLedger> ledger = new java.util.concurrent.atomic.AtomicReference<>();

    ProvingKey(QuantGraph graph, ProofPlan plan, long[] packedWeights, PcsCommitment weightCommitment, VerifyingKey verifyingKey) {
        this(graph, plan, packedWeights, weightCommitment, verifyingKey, 1);
    }

    ProvingKey(QuantGraph graph, ProofPlan plan, long[] packedWeights, PcsCommitment weightCommitment, VerifyingKey verifyingKey, int batch) {
        this(graph, plan, packedWeights, weightCommitment, verifyingKey, batch, null);
    }

    ProvingKey(QuantGraph graph, ProofPlan plan, long[] packedWeights, PcsCommitment weightCommitment, VerifyingKey verifyingKey, int batch,
               byte[] maskSeed) {
        this(graph, graph, plan, packedWeights, weightCommitment, verifyingKey, batch, maskSeed);
    }

    /** @param stored the graph as set up; {@code graph} and {@code plan} what proofs are made over */
    ProvingKey(QuantGraph stored, QuantGraph graph, ProofPlan plan, long[] packedWeights, PcsCommitment weightCommitment, VerifyingKey verifyingKey,
               int batch, byte[] maskSeed) {
        this(stored, graph, plan, packedWeights, weightCommitment, verifyingKey, batch, maskSeed, 0);
    }

    private ProvingKey(QuantGraph stored, QuantGraph graph, ProofPlan plan, long[] packedWeights, PcsCommitment weightCommitment, VerifyingKey verifyingKey,
                       int batch, byte[] maskSeed, int epoch) {
        this.epoch = epoch;
        this.stored = stored;
        this.batch = batch;
        this.maskSeed = maskSeed == null ? null : maskSeed.clone();
        this.graph = graph;
        this.plan = plan;
        this.packedWeights = packedWeights;
        this.weightCommitment = weightCommitment;
        this.verifyingKey = verifyingKey;
    }

    /**
     * This key for proving {@code batch} inferences in one proof: the graph stacked along the batch
     * axis ({@link BatchStacking}, with saturating look-ups clamped into a smaller table where that is
     * cheaper, {@link SaturatedLookups}), the same committed weights and the same model id. Run the
     * executor on {@link #graph()} of the result with the B inputs concatenated. Made once per batch size (up to
     * 256) and kept, so callers may ask for it per proof.
     */
    public ProvingKey batched(int batch) {
        if (this.batch != 1) {
            throw new IllegalStateException("this key is already for a batch of " + this.batch);
        }
        if (batch == 1) {
            return this;
        }
        if (batch > Verifier.MAX_BATCH) {
            throw new IllegalArgumentException("a batch holds at most " + Verifier.MAX_BATCH + " inferences, not " + batch);
        }
        return batch > VerifyingKey.MEMO_BATCH ? stackedFor(batch) : batchedKeys.computeIfAbsent(batch, this::stackedFor);
    }

    private ProvingKey stackedFor(int batch) {
        SaturatedLookups.Planned stacked = SaturatedLookups.plan(BatchStacking.stack(stored, batch), verifyingKey.zeroKnowledge());
        ProvingKey k = new ProvingKey(stored, stacked.graph(), stacked.plan(), packedWeights, weightCommitment, verifyingKey, batch, maskSeed, epoch);
        k.ledger = ledger; // the same weight commitment: the same count
        return k;
    }

    /**
     * This key at rotation epoch {@code epoch} ({@link WeightRotations}): the same weights committed hiding again, of the same
     * layout, with masks from the epoch's seed (derived from the key's, so the commitment is recomputed from the key file and
     * the epoch alone) and every opening's randomness fresh; its verifying key has the same model id and opens the weights under
     * the new root. Epoch 0 is the registered commitment.
     */
    ProvingKey atEpoch(int epoch) {
        if (maskSeed == null || batch != 1) {
            throw new IllegalStateException("only a zero-knowledge key for single proofs rotates its weight commitment");
        }
        if (epoch == this.epoch) {
            return this;
        }
        byte[] seed = epoch == 0 ? maskSeed : Digests.sha256("verinfer-weight-rotation-seed-v1", maskSeed, java.nio.ByteBuffer.allocate(4).putInt(epoch).array());
        PcsCommitment next = ZeroKnowledge.commitHiding(verifyingKey.security(), verifyingKey.pcs(), packedWeights, verifyingKey.weightOpeningBudget(),
                new SeededMasks(seed), new java.security.SecureRandom());
        return new ProvingKey(stored, graph, plan, packedWeights, next, verifyingKey.atWeightRoot(next.root()), 1, maskSeed, epoch);
    }

    /** The rotation epoch of this key's weight commitment (0: the registered one). */
    int epoch() {
        return epoch;
    }

    /** Counts this key's weight openings (and its batched keys') in {@code ledger} too, before each opening is made. */
    void countOpeningsIn(WeightOpeningLedger ledger) {
        this.ledger.set(ledger);
    }

    /** Why this key refuses its next proof for a spent weight opening count kept beside it ({@link WeightOpeningLedger#refusal}), or empty. */
    public java.util.Optional<String> weightOpeningsRefusal() {
        WeightOpeningLedger l = ledger.get();
        return l == null ? java.util.Optional.empty() : l.refusal();
    }

    /** Where this key's weight openings are counted across processes, or null. */
    WeightOpeningLedger openingLedger() {
        return ledger.get();
    }

    /** How many inferences one proof under this key holds (1 unless {@link #batched}). */
    public int batch() {
        return batch;
    }

    /**
     * The graph proofs under this key are made over (run the executor on it; a run of the graph as set up also serves,
     * {@link Prover} completes it): the model's graph, stacked for a batch, with saturating look-ups cut where that is
     * cheaper ({@link SaturatedLookups}: same inputs, outputs and weights, a few more tensors and nodes).
     */
    public QuantGraph graph() {
        return graph;
    }

    /**
     * Whether an execution of {@code tensors} tensors is one this key proves: a run of {@link #graph}, or for a
     * single proof a run of the graph as set up, whose cut clamps the prover fills in ({@link SaturatedLookups#complete};
     * the cut only appends tensors). A zero-knowledge key's graph as set up is already its pools split.
     */
    boolean provesRunOf(int tensors) {
        return tensors == graph.tensors().size() || batch == 1 && tensors == stored.tensors().size();
    }

    public VerifyingKey verifyingKey() {
        return verifyingKey;
    }

    ProofPlan plan() {
        return plan;
    }

    long[] packedWeights() {
        return packedWeights;
    }

    /** {@link ProverTensors#paddedConstants} of this key's plan and graph, made once (two threads may both make it: the same tables). */
    long[][] paddedConstants() {
        long[][] p = paddedConstants;
        if (p == null) {
            p = ProverTensors.paddedConstants(plan, graph);
            paddedConstants = p;
        }
        return p;
    }

    PcsCommitment weightCommitment() {
        return weightCommitment;
    }

    /**
     * The commitment security, the zero-knowledge choice (the verifying key's code and budget, with the mask seed), and the graph with its weights,
     * in the binary form {@link #fromBytes} reads.
     */
    public byte[] toBytes() {
        ProofWriter w = ProofWriter.begin(MAGIC, VERSION).writeByte(verifyingKey.security().code());
        VerifyingKey.writeZeroKnowledge(w, verifyingKey.weightOpeningBudget());
        if (maskSeed != null) {
            w.writeBytes(maskSeed);
        }
        return w.writeBytes(GraphCodec.encode(stored, true)).toByteArray();
    }

    /**
     * Reads a proving key; a bare graph (the first key format) is set up with {@link PcsSecurity#TENSOR_PROVEN}, as it
     * was, and a version-1 key without zero knowledge.
     */
    public static ProvingKey fromBytes(byte[] bytes) throws MalformedProofException {
        PcsSecurity security = PcsSecurity.TENSOR_PROVEN;
        byte[] graphBytes = bytes;
        byte[] seed = null;
        int budget = 0;
        if (bytes.length >= MAGIC.length() && new String(bytes, 0, MAGIC.length(), StandardCharsets.US_ASCII).equals(MAGIC)) {
            boolean before = bytes.length > MAGIC.length() && bytes[MAGIC.length()] == VERSION_BEFORE_ZK;
            ProofReader r = ProofReader.open(bytes, MAGIC, before ? VERSION_BEFORE_ZK : VERSION);
            int code = r.readByte();
            budget = before ? 0 : VerifyingKey.readZeroKnowledge(r, "proving key");
            if (budget > 0) {
                seed = r.readBytes(SeededMasks.SEED_BYTES, "mask seed");
                if (seed.length != SeededMasks.SEED_BYTES) {
                    throw new MalformedProofException("proving key: a mask seed of " + seed.length + " bytes");
                }
            }
            graphBytes = r.readBytes(Integer.MAX_VALUE, "graph");
            r.finish();
            try {
                security = PcsSecurity.ofCode(code);
            } catch (IllegalArgumentException e) {
                throw new MalformedProofException("proving key: " + e.getMessage());
            }
        }
        QuantGraph g = GraphCodec.decode(graphBytes);
        for (QTensor t : g.tensors()) {
            if (t.kind() == QTensor.Kind.WEIGHT && t.data().length != t.size()) {
                throw new MalformedProofException("proving key: weight '" + t.name() + "' has no values (is this a verifying key?)");
            }
        }
        return Setup.setup(g, security, budget > 0, budget, security.pcs(), seed, packed -> packed);
    }
}
