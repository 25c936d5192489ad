package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.model.quant.QuantGraph;

import java.util.Arrays;

/**
 * What a verifier needs, and nothing secret: the architecture (the quantised graph without weight
 * values), the root of the weight commitment, its size and the commitment's {@link PcsSecurity}.
 * The model id — SHA-256 of the architecture digest, the weight root and, for a model not set up
 * with the first default {@link PcsSecurity#TENSOR_PROVEN}, its security code — names the model everywhere
 * (registry, requests, proofs).
 */
public final class VerifyingKey {
    private static final String MAGIC = "VIVK";
    private static final int VERSION = 2;
    /** Version 1 keys carry no security byte: they are {@link PcsSecurity#TENSOR_PROVEN}. */
    private static final int VERSION_WITHOUT_SECURITY = 1;

    private final byte[] architecture;
    private final byte[] weightRoot;
    private final int weightVars;
    private final PcsSecurity security;
    private final byte[] modelId;
    private final QuantGraph graph;
    private final ProofPlan plan;

    VerifyingKey(byte[] architecture, byte[] weightRoot, int weightVars, PcsSecurity security) throws MalformedProofException {
        this.architecture = architecture.clone();
        this.weightRoot = weightRoot.clone();
        this.weightVars = weightVars;
        this.security = security;
        this.graph = GraphCodec.decode(architecture);
        this.plan = new ProofPlan(graph);
        if (plan.weightPacking.numVars() != weightVars) {
            throw new MalformedProofException("verifying key: weight commitment has 2^" + weightVars
                    + " entries but the architecture packs 2^" + plan.weightPacking.numVars());
        }
        this.modelId = security == PcsSecurity.TENSOR_PROVEN
                ? Digests.sha256("verinfer-model-id-v1", architectureDigest(), weightRoot)
                : Digests.sha256("verinfer-model-id-v2", architectureDigest(), weightRoot, new byte[] {(byte) security.code()});
    }

    /** The same model (same id, same weight commitment) proving {@code batch} inferences at once. */
    private VerifyingKey(VerifyingKey base, int batch) {
        this.architecture = base.architecture;
        this.weightRoot = base.weightRoot;
        this.weightVars = base.weightVars;
        this.security = base.security;
        this.modelId = base.modelId;
        this.graph = BatchStacking.stack(base.graph, batch);
        this.plan = new ProofPlan(graph);
    }

    /** This key for a batch of {@code batch} inferences (see {@link BatchStacking}). */
    VerifyingKey batched(int batch) {
        return batch == 1 ? this : new VerifyingKey(this, batch);
    }

    public byte[] modelId() {
        return modelId.clone();
    }

    public String modelIdHex() {
        return Digests.hex(modelId);
    }

    public byte[] architectureDigest() {
        return Digests.sha256("verinfer-architecture-v1", architecture);
    }

    public byte[] weightRoot() {
        return weightRoot.clone();
    }

    /** How the commitment scheme is sized for this model. */
    public PcsSecurity security() {
        return security;
    }

    int weightVars() {
        return weightVars;
    }

    /** The architecture: the quantised graph whose WEIGHT tensors carry no values. */
    public QuantGraph graph() {
        return graph;
    }

    ProofPlan plan() {
        return plan;
    }

    public byte[] toBytes() {
        return ProofWriter.begin(MAGIC, VERSION).writeBytes(architecture).writeBytes(weightRoot).writeInt(weightVars)
                .writeByte(security.code()).toByteArray();
    }

    /** Reads a verifying key; a corrupt or foreign file is a {@link MalformedProofException} saying what is wrong. */
    public static VerifyingKey fromBytes(byte[] bytes) throws MalformedProofException {
        boolean legacy = bytes.length > MAGIC.length() && bytes[MAGIC.length()] == VERSION_WITHOUT_SECURITY;
        ProofReader r = ProofReader.open(bytes, MAGIC, legacy ? VERSION_WITHOUT_SECURITY : VERSION);
        byte[] arch = r.readBytes(1 << 28, "architecture");
        byte[] root = r.readBytes(64, "weight root");
        int vars = r.readLength(30, "weight variables");
        int security = legacy ? PcsSecurity.TENSOR_PROVEN.code() : r.readByte();
        r.finish();
        try {
            return new VerifyingKey(arch, root, vars, PcsSecurity.ofCode(security));
        } catch (RuntimeException e) {
            throw new MalformedProofException("verifying key: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifyingKey k && Arrays.equals(modelId, k.modelId);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(modelId);
    }
}
