package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.codec.ProofReader;
import dev.verinfer.codec.ProofWriter;
import dev.verinfer.model.quant.LookupTable;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.MultilinearPcs;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.ArrayList;
import java.util.List;

/**
 * What a verifier needs, and nothing secret: the architecture (the quantised graph without weight
 * values), the root of the weight commitment, its size and the commitment's {@link PcsSecurity}.
 * The model id — SHA-256 of the architecture digest, the weight root and, for a model not set up
 * with the first default {@link PcsSecurity#TENSOR_PROVEN}, its security code — names the model everywhere
 * (registry, requests, proofs).
 *
 * <p>Since version 3 the key carries a {@link WeightBounds} proof that the committed weights are integers
 * within their declared bounds with zero padding; reading a key checks it, so a key whose owner committed
 * out-of-range or non-integer weights or nonzero padding cannot be loaded (or registered on a market).
 * Setup makes the proof when the key is first serialised. Keys of versions 1 and 2 carry no such proof
 * and are refused with a clear error: re-create them from the proving key (which holds the weights).
 *
 * <p>Since version 4 the key says whether the model is proven in zero knowledge ({@link ZeroKnowledge});
 * since version 5 its bounds proof uses the chained transcript, since version 6 the WHIR format with
 * batched openings and query grinding (keys of versions 3 to 5 are refused: re-create them from the proving key). A zero-knowledge model's id also hashes that choice ("verinfer-model-id-v3"),
 * so a proof made under one mode is for another model under the other; other models' ids are unchanged.
 *
 * <p>A zero-knowledge key states its weight opening budget ({@link #weightOpeningBudget}): how many openings its hiding
 * weight commitment is sized for (chosen at setup). The budget is bound twice: it fixes the hiding layout (the arity
 * of f′ and its first fold, which the weight root's digest names, so the proving key recomputes that root only with
 * the same budget), and the model id hashes it (zero-knowledge code 3 and the budget; a code-2 key, budget 1024,
 * keeps its id). A key whose budget bytes are changed is therefore another model; the verifier does not re-derive
 * the layout from the budget (hiding is the owner's concern, soundness does not depend on it). When the budget is
 * spent the owner rotates the commitment ({@link WeightRotations}): a fresh hiding commitment of the same weights with a
 * proof that it holds them; the model keeps its id, and proofs under the new root verify against this key plus the chain.
 */
public final class VerifyingKey {
    private static final String MAGIC = "VIVK";
    /**
     * 4: the zero-knowledge byte; 5: the bounds proof (and a conjectured commitment's out-of-domain points)
     * use the chained transcript; 6: WHIR parameters with query grinding (the weight root's out-of-domain
     * points hash them) and the batched opening format in the bounds proof; 7: weight tensors cut into the
     * pieces of their outer dimension's binary expansion ({@link dev.verinfer.zkml.layout.WeightLayout}), a
     * different weight polynomial and root. Keys of versions 3 to 6 are refused as made by an older verinfer.
     */
    private static final int VERSION = 7;
    /** The largest weight bounds proof a key may carry (bounds reading before anything is built). */
    private static final int MAX_BOUNDS_PROOF = 1 << 26;
    /**
     * The zero-knowledge byte of a key: 0 none; 2 zero knowledge, weights committed hiding for
     * {@link ZeroKnowledge#CODE_2_BUDGET} openings (verinfer-whir's hiding layout with the first
     * fold in the commitment, hiding-commitment digest v2); 3 the same with any other budget, a u32 in
     * [{@link ZeroKnowledge#MIN_WEIGHT_OPENING_BUDGET}, {@link ZeroKnowledge#MAX_WEIGHT_OPENING_BUDGET}] after the code (budget 1024 is always written as code 2, so
     * each key has one encoding and one id). Code 1 (the layout before it, whose weight commitment a proving key can
     * no longer recompute) is refused as made by an older verinfer.
     */
    static final byte ZK_CODE = 2;
    /** The zero-knowledge code of a key stating a budget other than {@link ZeroKnowledge#CODE_2_BUDGET}. */
    static final byte ZK_CODE_BUDGET = 3;
    /** The zero-knowledge code of keys made before the hiding layout carried its first fold. */
    static final byte ZK_CODE_BEFORE_FIRST_FOLD = 1;

    /** Writes the zero-knowledge code of a key with this weight opening budget (0: none), and the budget after code 3. */
    static void writeZeroKnowledge(ProofWriter w, int budget) {
        w.writeByte(budget == 0 ? 0 : budget == ZeroKnowledge.CODE_2_BUDGET ? ZK_CODE : ZK_CODE_BUDGET);
        if (budget != 0 && budget != ZeroKnowledge.CODE_2_BUDGET) {
            w.writeInt(budget);
        }
    }

    /**
     * Reads what {@link #writeZeroKnowledge} wrote: the weight opening budget, 0 without zero knowledge.
     *
     * @param what "verifying key" or "proving key", for the messages
     */
    static int readZeroKnowledge(ProofReader r, String what) throws MalformedProofException {
        int zk = r.readByte();
        return switch (zk) {
            case 0 -> 0;
            case ZK_CODE -> ZeroKnowledge.CODE_2_BUDGET;
            case ZK_CODE_BUDGET -> {
                long budget = r.readInt() & 0xFFFFFFFFL;
                if (!ZeroKnowledge.budgetInRange(budget)) {
                    throw new MalformedProofException(what + ": " + ZeroKnowledge.budgetOutsideRange(budget));
                }
                if (budget == ZeroKnowledge.CODE_2_BUDGET) {
                    throw new MalformedProofException(what + ": zero-knowledge code 3 with budget 1024, which is written as code 2");
                }
                yield (int) budget;
            }
            case ZK_CODE_BEFORE_FIRST_FOLD -> throw new MalformedProofException(what + ": zero-knowledge code 1 was made by an older verinfer"
                    + " (hiding weight commitment v1); re-create the key from the model (verinfer compile --zk)");
            default -> throw new MalformedProofException(what + ": unknown zero-knowledge code " + zk);
        };
    }

    private final byte[] architecture;
    /** {@link #architectureDigest()}, hashed once: the architecture holds its function tables (megabytes for the OCR classifier). */
    private final byte[] architectureDigest;
    /** The weight commitment proofs for this key open: the registered one, or one a rotation chain links to it ({@link #atWeightRoot}). */
    private final byte[] weightRoot;
    /** The weight commitment the model id names (and the key's bytes and bounds proof carry). */
    private final byte[] registeredRoot;
    private final int weightVars;
    private final PcsSecurity security;
    private final boolean zeroKnowledge;
    /** The hiding weight commitment's opening budget; 0 without zero knowledge. */
    private final int weightBudget;
    /** The commitment scheme: {@code security}'s, or a test's wrapper of it. */
    private final MultilinearPcs pcs;
    private final byte[] modelId;
    /** The architecture as decoded: what a batch key stacks. */
    private final QuantGraph architectureGraph;
    /** The graph proofs are made over: the architecture with saturating look-ups cut where cheaper ({@link SaturatedLookups}). */
    private final QuantGraph graph;
    private final ProofPlan plan;
    /** The tables whose look-ups {@link #graph} cuts. */
    private final Set<LookupTable> saturatedCut;
    /** The function tables committed with the weights ({@link TableCommitment}: proven-evm and conjectured-evm keys without zero knowledge). */
    private final TableCommitment tableCommitment;
    /** Makes the weight bounds proof on first use (only the setup that holds the weights has one); dropped once it has. */
    private java.util.function.Supplier<byte[]> boundsProver;
    private byte[] boundsProof;
    /**
     * The largest batch size whose key {@link #batched} keeps. A stacked key shares this key's architecture, weights
     * root and commitment scheme and adds the stacked graph's tensor and node records and its plan: about 220 KB for
     * alexa_v0.1, the same at B = 16 and B = 256 (measured 2026-12-03 on retained heap after a collection), so all
     * 255 kept sizes of one such model stay below 60 MB; larger batches (up to {@link Verifier#MAX_BATCH}) are rebuilt.
     */
    static final int MEMO_BATCH = 256;
    private final ConcurrentHashMap<Integer, VerifyingKey> batchedKeys = new ConcurrentHashMap<>();

    /** @param weightBudget the hiding weight commitment's opening budget in zero knowledge, else 0 */
    VerifyingKey(byte[] architecture, byte[] weightRoot, int weightVars, PcsSecurity security, int weightBudget, MultilinearPcs pcs,
                 java.util.function.Supplier<byte[]> boundsProver) throws MalformedProofException {
        this.boundsProver = boundsProver;
        this.weightBudget = weightBudget;
        this.zeroKnowledge = weightBudget > 0;
        this.pcs = pcs;
        this.architecture = architecture.clone();
        this.architectureDigest = Digests.sha256("verinfer-architecture-v1", this.architecture);
        this.weightRoot = weightRoot.clone();
        this.registeredRoot = this.weightRoot;
        this.weightVars = weightVars;
        this.security = security;
        this.architectureGraph = GraphCodec.decode(architecture);
        if (zeroKnowledge) {
            ZeroKnowledge.requireCoveredNodes(architectureGraph); // the weights' bounds: checked by setup and by fromBytes
        }
        SaturatedLookups.Planned single = SaturatedLookups.plan(architectureGraph, zeroKnowledge, architectureDigest(), 1);
        this.graph = single.graph();
        this.plan = single.plan();
        this.saturatedCut = single.cut();
        this.tableCommitment = TableCommitment.of(plan, security, zeroKnowledge);
        if (plan.weightPacking.numVars() != weightVars) {
            throw new MalformedProofException("verifying key: weight commitment has 2^" + weightVars
                    + " entries but the architecture packs 2^" + plan.weightPacking.numVars());
        }
        this.modelId = zeroKnowledge
                ? Digests.sha256("verinfer-model-id-v3", architectureDigest(), weightRoot, zeroKnowledgeStatement(security, weightBudget))
                : security == PcsSecurity.TENSOR_PROVEN
                ? Digests.sha256("verinfer-model-id-v1", architectureDigest(), weightRoot)
                : Digests.sha256("verinfer-model-id-v2", architectureDigest(), weightRoot, new byte[] {(byte) security.code()});
    }

    /**
     * The same model (same id, registered commitment and bounds proof) whose proofs open the weights under {@code root}
     * and prove the inferences {@code planned} stacks (the base key's own plan for one inference).
     */
    private VerifyingKey(VerifyingKey base, byte[] root, SaturatedLookups.Planned planned) {
        this.boundsProver = base::boundsProof;
        this.architecture = base.architecture;
        this.architectureDigest = base.architectureDigest;
        this.weightRoot = root.clone();
        this.registeredRoot = base.registeredRoot;
        this.weightVars = base.weightVars;
        this.security = base.security;
        this.zeroKnowledge = base.zeroKnowledge;
        this.weightBudget = base.weightBudget;
        this.pcs = base.pcs;
        this.modelId = base.modelId;
        this.architectureGraph = base.architectureGraph;
        this.graph = planned.graph();
        this.plan = planned.plan();
        this.saturatedCut = planned.cut();
        this.tableCommitment = base.tableCommitment;
    }

    /** The same model proving {@code batch} inferences at once. */
    private static VerifyingKey stacked(VerifyingKey base, int batch) {
        return new VerifyingKey(base, base.weightRoot,
                SaturatedLookups.plan(BatchStacking.stack(base.architectureGraph, batch), base.zeroKnowledge, base.architectureDigest(), batch));
    }

    /**
     * This model with its proofs opening the weights under {@code root}: a commitment of a rotation chain
     * ({@link WeightRotations}, which verifies the link to the registered root before it hands such a key out).
     */
    VerifyingKey atWeightRoot(byte[] root) {
        return Arrays.equals(root, weightRoot) ? this : new VerifyingKey(this, root, new SaturatedLookups.Planned(graph, plan, saturatedCut));
    }

    /** What a zero-knowledge model id hashes after the weight root: the security code and the key's zero-knowledge code and budget bytes. */
    private static byte[] zeroKnowledgeStatement(PcsSecurity security, int budget) {
        if (budget == ZeroKnowledge.CODE_2_BUDGET) {
            return new byte[] {(byte) security.code(), ZK_CODE};
        }
        return java.nio.ByteBuffer.allocate(6).put((byte) security.code()).put(ZK_CODE_BUDGET).putInt(budget).array();
    }

    /**
     * The largest batch this key accepts: at most {@link Verifier#MAX_BATCH}, and small enough that
     * the batched plan the verifier builds (every tensor's padded layout, the gather and selection
     * tables it evaluates) stays within 2^28 padded entries.
     */
    public int maxBatch() {
        long perInference = 0;
        for (int t = 0; t < plan.shapes.length; t++) {
            perInference += plan.shapes[t].paddedSize();
        }
        return (int) Math.max(1, Math.min(Verifier.MAX_BATCH, (1L << 28) / Math.max(1, perInference)));
    }

    /**
     * The most bytes a proof for this key may have, checked before a proof is parsed: the statement
     * at {@link #maxBatch()} (public values at 8 bytes, roots at 64), a tensor-code opening for the
     * weights, the witness and every input and output at that batch, and 1 MiB for the sumcheck and
     * look-up messages (O(log) per op). An opening of 2^n entries laid out as 2^(n−b) × 2^b sends two
     * extension rows of 2^b, t columns of 2^(n−b) and about t·(b + 2) Merkle siblings; the layout
     * minimises that, so it is at most its value at b = ⌈n/2⌉, bounded here generously.
     */
    long maxProofBytes() {
        long batch = maxBatch();
        int batchVars = 1 + dev.verinfer.zkml.layout.PaddedShape.ceilLog2(batch);
        long bytes = 64 + 16 + (1L << 20) + security.maxOpeningBytes(weightVars) + security.maxOpeningBytes(plan.witnessPacking.numVars() + batchVars);
        for (int t : concatIds(graph.inputs(), graph.outputs())) {
            bytes += 1 + 4 + 64 + 8 * batch * graph.tensor(t).size() + security.maxOpeningBytes(plan.shapes[t].numVars() + batchVars);
        }
        return bytes;
    }

    private static List<Integer> concatIds(List<Integer> a, List<Integer> b) {
        List<Integer> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * This key for a batch of {@code batch} inferences (see {@link BatchStacking}), made once per batch size up to
     * {@link #MEMO_BATCH} and kept: stacking the graph and the batch plan's table search ({@link ProofPlan#batched}) take
     * 10–25 ms, which every batch verification paid again. Concurrent callers of one B wait for the one that builds it.
     */
    VerifyingKey batched(int batch) {
        if (batch == 1) {
            return this;
        }
        return batch > MEMO_BATCH ? stacked(this, batch) : batchedKeys.computeIfAbsent(batch, b -> stacked(this, b));
    }

    public byte[] modelId() {
        return modelId.clone();
    }

    public String modelIdHex() {
        return Digests.hex(modelId);
    }

    public byte[] architectureDigest() {
        return architectureDigest.clone();
    }

    /** The weight commitment this key's proofs open: the registered one unless a rotation chain moved it ({@link WeightRotations}). */
    public byte[] weightRoot() {
        return weightRoot.clone();
    }

    /** The weight commitment registered at setup, which the model id names. */
    public byte[] registeredWeightRoot() {
        return registeredRoot.clone();
    }

    /** How the commitment scheme is sized for this model. */
    public PcsSecurity security() {
        return security;
    }

    /** Whether this model is proven in zero knowledge ({@link ZeroKnowledge}). */
    public boolean zeroKnowledge() {
        return zeroKnowledge;
    }

    /**
     * How many openings the hiding weight commitment is sized for (its proofs spend one or two units each, the bounds
     * proof two); 0 without zero knowledge. Chosen at setup and bound into the model id. The commitment covers at least
     * this many (its mask has the least arity that does, and the prover stops at all that arity covers).
     */
    public int weightOpeningBudget() {
        return weightBudget;
    }

    /** What a proof for this model reveals, in words ({@link ZeroKnowledge#reveals}). */
    public String reveals() {
        return ZeroKnowledge.reveals(weightBudget);
    }

    /**
     * The commitment scheme of this key: its weights' commitment, its bounds proof, committed tensors and rotations. Its trees
     * hash inner nodes over padded digests.
     */
    MultilinearPcs pcs() {
        return pcs;
    }

    /**
     * The scheme a proof for this key commits and opens with: {@link #pcs()}, and for a zero-knowledge key its view whose per-proof
     * trees (the witness's and M's, the carrier, openings' masks g, every later oracle) hash compact inner nodes
     * ({@link MultilinearPcs#withCompactProofTrees}; format 16). Commitments opened by several proofs keep {@link #pcs()}'s nodes.
     */
    MultilinearPcs proofPcs() {
        return zeroKnowledge ? pcs.withCompactProofTrees() : pcs;
    }

    int weightVars() {
        return weightVars;
    }

    /**
     * The graph proofs for this key are made over: the architecture (the quantised graph whose WEIGHT tensors carry no
     * values), its saturating look-ups cut into a clamp and a window look-up where that is cheaper ({@link SaturatedLookups};
     * same inputs, outputs and weights, a few more tensors and nodes).
     */
    public QuantGraph graph() {
        return graph;
    }

    ProofPlan plan() {
        return plan;
    }

    /** The tables whose look-ups {@link #graph()} cuts ({@link SaturatedLookups}): what a proving key cuts alike. */
    Set<LookupTable> saturatedCut() {
        return saturatedCut;
    }

    /** The function tables committed with the weights (none unless a proven-evm or conjectured-evm key without zero knowledge). */
    TableCommitment tableCommitment() {
        return tableCommitment;
    }

    /** The proof that the committed weights are bounded integers with zero padding ({@link WeightBounds}). */
    synchronized byte[] boundsProof() {
        if (boundsProof == null) {
            boundsProof = boundsProver.get();
            boundsProver = null; // what it captured (the setup's plan) is not needed again
        }
        return boundsProof;
    }

    /**
     * Makes the weight bounds proof now, if not yet made (otherwise it is made when the key is first written). A zero-knowledge
     * key's takes seconds and, for embedding_model, most of a 6 GB heap: a caller setting up several keys makes each one's
     * before the next setup, so no two are made at once, nor one beside a prover's state.
     */
    public void proveWeightBounds() {
        boundsProof();
    }

    public byte[] toBytes() {
        ProofWriter w = ProofWriter.begin(MAGIC, VERSION).writeBytes(architecture).writeBytes(registeredRoot).writeInt(weightVars).writeByte(security.code());
        writeZeroKnowledge(w, weightBudget);
        return w.writeBytes(boundsProof()).toByteArray();
    }

    /**
     * Reads a verifying key and checks its weight bounds proof; a corrupt or foreign file, a key of an
     * older version (no bounds proof) or a rejected bounds proof is a {@link MalformedProofException} saying what is wrong.
     */
    public static VerifyingKey fromBytes(byte[] bytes) throws MalformedProofException {
        int version = bytes.length > MAGIC.length() ? bytes[MAGIC.length()] : -1;
        if (version == 1 || version == 2) {
            throw new MalformedProofException("verifying key of version " + version + " carries no proof that its weights are bounded"
                    + " and padded with zeros: re-create it from the proving key or the model (verinfer compile)");
        }
        ProofReader r = ProofReader.open(bytes, MAGIC, VERSION);
        byte[] arch = r.readBytes(1 << 28, "architecture");
        byte[] root = r.readBytes(64, "weight root");
        int vars = r.readLength(30, "weight variables");
        int security = r.readByte();
        int budget = readZeroKnowledge(r, "verifying key");
        byte[] bounds = r.readBytes(MAX_BOUNDS_PROOF, "weight bounds proof");
        r.finish();
        VerifyingKey key;
        try {
            PcsSecurity s = PcsSecurity.ofCode(security);
            key = new VerifyingKey(arch, root, vars, s, budget, s.pcs(), () -> bounds);
            if (key.zeroKnowledge) {
                ZeroKnowledge.requireCovered(key.architectureGraph);
            }
            WeightBounds.verify(key.plan, key.tableCommitment, key.architectureDigest(), root, vars, key.pcs, bounds, key.zeroKnowledge);
        } catch (ProofRejectedException e) {
            throw new MalformedProofException("verifying key: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new MalformedProofException("verifying key: " + e.getMessage());
        }
        return key;
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
