package dev.verinfer.zkml;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.PcsCommitment;

/** Setup: commits to a quantised graph's weights once and derives the proving and verifying keys. */
public final class Setup {
    private Setup() {}

    /**
     * @throws UnsupportedGraphException naming the node when the graph uses an op the prover cannot prove
     */
    public static ProvingKey setup(QuantGraph graph) {
        return setup(graph, PcsSecurity.PROVEN);
    }

    /**
     * @param security how the commitment scheme is sized (fixed in the verifying key and the model id)
     * @throws UnsupportedGraphException naming the node when the graph uses an op the prover cannot prove
     */
    public static ProvingKey setup(QuantGraph graph, PcsSecurity security) {
        return setup(graph, security, false);
    }

    /**
     * @param zeroKnowledge whether the model is proven in zero knowledge ({@link ZeroKnowledge}; fixed in both keys
     *                      and the model id): the weights are then committed hiding, with masks from a fresh secret
     *                      seed that the proving key keeps
     * @throws UnsupportedGraphException naming the node when the graph uses an op the prover cannot prove (in zero
     *                                   knowledge, if asked), or when the commitment scheme has no hiding variant
     */
    public static ProvingKey setup(QuantGraph graph, PcsSecurity security, boolean zeroKnowledge) {
        return setup(graph, security, zeroKnowledge, ZeroKnowledge.WEIGHT_OPENING_BUDGET);
    }

    /**
     * @param zeroKnowledge       as in {@link #setup(QuantGraph, PcsSecurity, boolean)}
     * @param weightOpeningBudget zero knowledge only: the openings the hiding weight commitment is sized for, in
     *                            [{@link ZeroKnowledge#MIN_WEIGHT_OPENING_BUDGET}, {@link ZeroKnowledge#MAX_WEIGHT_OPENING_BUDGET}] (a statement of both keys and the model id,
     *                            {@link VerifyingKey#weightOpeningBudget}); each proof spends one or two, the bounds proof two;
     *                            or {@link ZeroKnowledge#WEIGHT_OPENING_BUDGET}: the key states {@link ZeroKnowledge#chosenBudget}'s.
     *                            Ignored without zero knowledge.
     * @throws IllegalArgumentException when the budget is outside its range
     */
    public static ProvingKey setup(QuantGraph graph, PcsSecurity security, boolean zeroKnowledge, int weightOpeningBudget) {
        return setup(graph, security, zeroKnowledge, weightOpeningBudget, security.pcs(), zeroKnowledge ? freshSeed() : null, packed -> packed);
    }

    /**
     * The test suite's cheating model owner: {@code owner} may rewrite the packed weight polynomial (any
     * slot, padding included, any field element) before it is committed; the rest of the setup, the
     * weight bounds proof included, is derived honestly from what it returns.
     */
    static ProvingKey setup(QuantGraph graph, PcsSecurity security, java.util.function.UnaryOperator<long[]> owner) {
        return setup(graph, security, false, 0, security.pcs(), null, owner);
    }

    /**
     * The full seam: {@code pcs} is {@code security}'s scheme or a test's wrapper of it; {@code maskSeed} (zero
     * knowledge only) seeds the hiding weight commitment's masks ({@link SeededMasks}), so a proving key read back
     * recomputes the same commitment (with the same {@code budget}, which fixes its layout).
     */
    static ProvingKey setup(QuantGraph graph, PcsSecurity security, boolean zeroKnowledge, int budget, dev.verinfer.pcs.MultilinearPcs pcs,
                            byte[] maskSeed, java.util.function.UnaryOperator<long[]> owner) {
        if (zeroKnowledge && budget != ZeroKnowledge.WEIGHT_OPENING_BUDGET) {
            ZeroKnowledge.requireBudget(budget);
        }
        if (zeroKnowledge) {
            ZeroKnowledge.requireCovered(graph);
        }
        return setupProven(zeroKnowledge ? ZkPooling.separable(graph) : graph, security, zeroKnowledge, budget, pcs, maskSeed, owner);
    }

    private static ProvingKey setupProven(QuantGraph graph, PcsSecurity security, boolean zeroKnowledge, int budget, dev.verinfer.pcs.MultilinearPcs pcs,
                                          byte[] maskSeed, java.util.function.UnaryOperator<long[]> owner) {
        ProofPlan plan = new ProofPlan(graph, zeroKnowledge);
        requireCommittable(plan, security);
        long[][] weights = new long[plan.weightTensors.size()][];
        for (int i = 0; i < weights.length; i++) {
            int t = plan.weightTensors.get(i);
            weights[i] = ProverTensors.toField(plan.shapes[t].pad(graph.tensor(t).data()));
        }
        byte[] architecture = GraphCodec.encode(graph, false);
        byte[] architectureDigest = Digests.sha256("verinfer-architecture-v1", architecture);
        // The graph proofs are made over, with its weights: planned as the verifying key plans its architecture (one search).
        SaturatedLookups.Planned proving = SaturatedLookups.plan(graph, zeroKnowledge, architectureDigest, 1);
        int stated = zeroKnowledge && budget == ZeroKnowledge.WEIGHT_OPENING_BUDGET ? ZeroKnowledge.chosenBudget(proving.plan(), pcs) : budget;
        TableCommitment tables = committedTables(architecture, architectureDigest, security, zeroKnowledge);
        long[] packed = owner.apply(tables.fill(plan.weightLayout.pack(weights)));
        // The root is the seed's (a reloaded key recomputes it); each proof's opening draws fresh randomness, the bounds proof's its own seeded stream.
        PcsCommitment commitment = zeroKnowledge
                ? ZeroKnowledge.commitHiding(security, pcs, packed, stated, new SeededMasks(maskSeed), new java.security.SecureRandom())
                : pcs.commit(packed);
        try {
            VerifyingKey vk = new VerifyingKey(architecture, commitment.root(), plan.weightPacking.numVars(), security, zeroKnowledge ? stated : 0, pcs,
                    () -> WeightBounds.prove(plan, tables, architectureDigest, packed, zeroKnowledge ? boundsOpenings(commitment, maskSeed) : commitment,
                            security, pcs, zeroKnowledge ? boundsMasks(maskSeed) : null));
            if (!vk.tableCommitment().equals(tables)) {
                throw new IllegalStateException("setup committed other function tables than the verifying key places");
            }
            if (!proving.cut().equals(vk.saturatedCut()) || proving.plan().isBatchPlan() != vk.plan().isBatchPlan()) {
                throw new IllegalStateException("the graph with its weights is planned otherwise than its architecture");
            }
            return new ProvingKey(graph, proving.graph(), proving.plan(), packed, commitment, vk, 1, maskSeed);
        } catch (MalformedProofException e) {
            throw new IllegalStateException("setup produced an unreadable verifying key", e);
        }
    }

    /** The function tables a key for the chain (proven-evm, conjectured-evm) commits in the weights' tail: those of the plan the verifying key makes from the architecture. */
    private static TableCommitment committedTables(byte[] architecture, byte[] architectureDigest, PcsSecurity security, boolean zeroKnowledge) {
        if (zeroKnowledge || !security.forChain()) {
            return TableCommitment.NONE;
        }
        try {
            return TableCommitment.of(SaturatedLookups.plan(GraphCodec.decode(architecture), false, architectureDigest, 1).plan(), security, false);
        } catch (MalformedProofException e) {
            throw new IllegalStateException("setup produced an unreadable architecture", e);
        }
    }

    /** The weight bounds proof's masks: from the key's seed (a reloaded key reproduces its bounds proof), apart from the commitment's. */
    static SeededMasks boundsMasks(byte[] maskSeed) {
        return new SeededMasks(Digests.sha256("verinfer-weight-bounds-masks-v1", maskSeed));
    }

    /**
     * The weight commitment as the bounds proof opens it: its opening's mask from the key's seed, so that the bounds proof
     * made again by a reloaded key is the same bytes (one opening's values, revealed once however often it is made), apart
     * from every proof's fresh one ({@link HidingCommitment#withOpeningRandomness}).
     */
    private static PcsCommitment boundsOpenings(PcsCommitment weights, byte[] maskSeed) {
        return weights instanceof HidingCommitment h
                ? h.withOpeningRandomness(new SeededMasks(Digests.sha256("verinfer-weight-bounds-openings-v1", maskSeed)))
                : weights; // ZkWeightBounds names what is missing
    }

    private static byte[] freshSeed() {
        byte[] seed = new byte[SeededMasks.SEED_BYTES];
        new java.security.SecureRandom().nextBytes(seed);
        return seed;
    }

    /**
     * What {@link #setup(QuantGraph)} would refuse, without its work (no weight commitment, no weight
     * bounds proof): the proof plan alone, for {@code verinfer inspect}.
     *
     * @throws UnsupportedGraphException as setup would
     */
    public static void check(QuantGraph graph) {
        requireCommittable(new ProofPlan(graph), PcsSecurity.PROVEN);
    }

    /** Refuses, in one line, a graph whose witness or weights would exceed the largest polynomial the commitment scheme holds. */
    static void requireCommittable(ProofPlan plan, PcsSecurity security) {
        int max = security.maxNumVars();
        long entries = plan.items.stream().mapToLong(i -> 1L << i.numVars()).sum();
        if (plan.witnessPacking.numVars() > max) {
            throw new UnsupportedGraphException(String.format(
                    "the proof's witness needs 2^%d committed entries (%,d before packing) but a %s commitment holds at most 2^%d: the model is too large to prove yet",
                    plan.witnessPacking.numVars(), entries, security.label(), max));
        }
        if (plan.weightPacking.numVars() > max) {
            throw new UnsupportedGraphException(String.format("the weights need 2^%d committed entries but a %s commitment holds at most 2^%d: the model is too large to prove yet",
                    plan.weightPacking.numVars(), security.label(), max));
        }
    }
}
