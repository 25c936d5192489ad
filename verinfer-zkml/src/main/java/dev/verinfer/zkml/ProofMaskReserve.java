package dev.verinfer.zkml;

import dev.verinfer.pcs.HidingCommitment;
import dev.verinfer.pcs.MultilinearPcs;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

/**
 * A zero-knowledge proof's input-independent randomness, drawn ahead of its input, with everything derivable from it alone
 * (docs/proof-system.md, "The offline/online split"): the keys of the per-proof commitments' mask streams and, drawn from them,
 * the masks' values, their codewords and evaluation tables and the salts (verinfer-whir's prepared streams); the mask commitment
 * M whole (every Libra mask, scalar and blinding, M's table and its commitment — or, where M is carried with the witness, its
 * table and its masks); the registered weights' per-proof g with its codeword, salted tree and table (carried: the carrier's heights
 * below its per-proof tables', g's leaves with their salts, hashed; docs "The carrier with its parts injected at their own height");
 * where a per-proof table tops its carrier, every carrier leaf's mask half — the top's g fibres and its salt — hashed (docs "The
 * carrier's leaf in two halves"). The proof made with it
 * ({@link Prover#prove(ProvingKey, dev.verinfer.model.quant.Execution, Visibility, Visibility, byte[], ProofMaskReserve)}) is the
 * proof its randomness gives without it, value for value: the draws are made in the proof's order (the commitments' keys, then M),
 * and none of them reads the input. What is left for the proof is what reads the input.
 *
 * <p><b>One proof.</b> A reserve serves exactly one proof and is refused after: a mask used in two proofs cancels between them (two
 * openings under one g reveal the difference of two witnesses' folds), so two proofs from one reserve would not be zero-knowledge.
 * It is laid out by one key's plan for one visibility of the inputs and outputs, and is refused for any other.
 */
public final class ProofMaskReserve {
    /**
     * What a proof takes: committed inputs' and outputs' stream keys (in graph order), the witness's prepared stream (its carrier's
     * when the witness is carried), the carrier's when it holds other members only (else null), M and the weights' view, the rest.
     */
    record Masks(List<RandomGenerator> external, RandomGenerator witness, RandomGenerator carrier, ZkProver prover, RandomGenerator rest) {}

    private final ProvingKey key;
    private final Visibility inputs;
    private final Visibility outputs;
    private final AtomicReference<Masks> masks;

    private ProofMaskReserve(ProvingKey key, Visibility inputs, Visibility outputs, Masks masks) {
        this.key = key;
        this.inputs = inputs;
        this.outputs = outputs;
        this.masks = new AtomicReference<>(masks);
    }

    /** A reserve for one zero-knowledge proof under {@code key} with these visibilities, from fresh secure randomness. */
    public static ProofMaskReserve prepare(ProvingKey key, Visibility inputs, Visibility outputs) {
        return prepare(key, inputs, outputs, new SecureRandom());
    }

    /** As above from {@code masks} (the test suite's seam: seeded there), drawn as a proof without a reserve would draw it. */
    static ProofMaskReserve prepare(ProvingKey key, Visibility inputs, Visibility outputs, RandomGenerator masks) {
        if (!key.verifyingKey().zeroKnowledge()) {
            throw new IllegalArgumentException("a proof without zero knowledge draws no masks: a reserve is for a zero-knowledge key");
        }
        Set<Integer> external = Prover.external(key.graph(), inputs, outputs);
        ProofPlan plan = key.plan().withExternal(external);
        ZeroKnowledge.requireCoveredNodes(plan);
        ZeroKnowledge.requireCommittedCovered(plan);
        MultilinearPcs pcs = key.verifyingKey().proofPcs();
        // The proof's order: each committed tensor's stream key, the witness's, then M (ProofMasks.Committer).
        List<RandomGenerator> keys = new ArrayList<>();
        for (int i = 0; i < external.size(); i++) {
            keys.add(StreamKey.draw(masks));
        }
        RandomGenerator witnessKey = StreamKey.draw(masks);
        int weightBudget = key.verifyingKey().weightOpeningBudget();
        int tail = ZkWitnessBatching.tail(pcs, plan, weightBudget);
        ZkProver zkp = Prover.zkProver(key, plan, tail, masks, ProverChannel.Tamper.NONE);
        MultilinearPcs.HidingShape witness = Prover.witnessShape(plan, ZeroKnowledge.masksLeaves(plan), tail, weightBudget);
        // The carrier's members as the proof will find them (Prover.carriedRun: a function of the plan, not of the input).
        List<Integer> run = tail >= 0 && pcs.carriesLeaves() ? Prover.carriedRun(pcs, plan, tail, weightBudget, zkp) : List.of();
        boolean weightsCarried = run.contains(1);
        List<MultilinearPcs.HidingShape> carried = new ArrayList<>();
        if (run.contains(0)) {
            carried.add(witness);
        }
        if (run.contains(2)) {
            carried.add(Prover.maskShape(zkp));
        }
        RandomGenerator witnessMasks;
        RandomGenerator carrierMasks = null;
        if (run.contains(0)) { // one carrier from the witness's key
            witnessMasks = pcs.prepareHiding(carried, weightsCarried ? zkp.weights() : null, witnessKey);
        } else {
            witnessMasks = pcs.prepareHiding(List.of(witness), null, witnessKey);
            if (!run.isEmpty()) { // the other members' carrier, from the proof's randomness after M (as the proof draws it)
                carrierMasks = pcs.prepareHiding(carried, weightsCarried ? zkp.weights() : null, masks);
            }
        }
        if (!weightsCarried && zkp != null && zkp.weights() instanceof HidingCommitment h) { // the weights' g from their opening stream, now
            zkp = new ZkProver(zkp.layout(), zkp.masks(), pcs.prepareOpening(h), zkp.weightFace(), zkp.weightOpenings());
        }
        return new ProofMaskReserve(key, inputs, outputs, new Masks(List.copyOf(keys), witnessMasks, carrierMasks, zkp, masks));
    }

    /** The key this reserve is laid out for. */
    public ProvingKey key() {
        return key;
    }

    /** Whether a proof has taken it. */
    public boolean spent() {
        return masks.get() == null;
    }

    /** Its masks, for a proof under {@code key} with these visibilities, once. */
    Masks take(ProvingKey key, Visibility inputs, Visibility outputs) {
        if (key != this.key) {
            String mine = this.key.verifyingKey().modelIdHex();
            String theirs = key.verifyingKey().modelIdHex();
            throw new IllegalArgumentException("this reserve was prepared for " + (mine.equals(theirs) ? "another key of model " + mine : "model " + mine)
                    + " (batch " + this.key.batch() + "), not for this key (model " + theirs + ", batch " + key.batch() + "): its masks are laid out by that key's plan");
        }
        if (inputs != this.inputs || outputs != this.outputs) {
            throw new IllegalArgumentException("this reserve was prepared for " + this.inputs + " inputs and " + this.outputs + " outputs, not for "
                    + inputs + " inputs and " + outputs + " outputs: the committed tensors' masks are drawn for the visibility");
        }
        Masks m = masks.getAndSet(null);
        if (m == null) {
            throw new IllegalStateException("this reserve's masks were spent by a proof already: a mask used in two proofs cancels between them"
                    + " (their difference reveals the difference of the private values); prepare one reserve per proof");
        }
        return m;
    }
}
