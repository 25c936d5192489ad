package dev.verinfer.zkml;

import dev.verinfer.pcs.PcsCommitment;

import java.util.HashMap;
import java.util.Map;

/**
 * The commitments of one proof's committed inputs and outputs, handed between the proofs of a pipeline. A zero-knowledge
 * commitment is salted and masked, so the consumer of a linked value must open the producer's commitment object itself for
 * the two statements to hold the same root: {@link #input} names, before the proof, the producer's commitment to reuse for
 * an input (and {@link #output(int, PcsCommitment)} one made beforehand for an output); after {@link Prover#prove(ProvingKey, dev.verinfer.model.quant.Execution, Visibility, Visibility, byte[], CommittedTensors)},
 * {@link #output} holds each committed output's commitment (and {@link #inputCommitment} each committed input's). Such a
 * commitment is hiding for two proofs (the producer's and the consumer's, {@link ZeroKnowledge#LINKED_OPENING_BUDGET}); the
 * scheme refuses an opening beyond its budget. Without zero knowledge commitments are deterministic and a fresh one has the
 * same root, so handing them over only saves the consumer one commitment.
 */
public final class CommittedTensors {
    private final Map<Integer, PcsCommitment> inputs = new HashMap<>();
    private final Map<Integer, PcsCommitment> outputs = new HashMap<>();

    /** Input {@code index} (of the graph's inputs) is committed by {@code commitment}: a producer's {@link #output}. */
    public CommittedTensors input(int index, PcsCommitment commitment) {
        inputs.put(index, java.util.Objects.requireNonNull(commitment));
        return this;
    }

    /**
     * Committed output {@code index} is committed by {@code commitment}, made beforehand from the values the execution
     * gives it (e.g. {@link TensorCommitments#hiding}, reproducible from a seed by the process that proves the consumer);
     * a commitment to other values makes the proof invalid.
     */
    public CommittedTensors output(int index, PcsCommitment commitment) {
        outputs.put(index, java.util.Objects.requireNonNull(commitment));
        return this;
    }

    /** The commitment of committed input {@code index}: the one handed in, or made by the proof; null if none. */
    public PcsCommitment inputCommitment(int index) {
        return inputs.get(index);
    }

    /** The commitment of committed output {@code index}: the one handed in, or made by the proof; null if none. */
    public PcsCommitment output(int index) {
        return outputs.get(index);
    }

    void madeInput(int index, PcsCommitment c) {
        inputs.put(index, c);
    }

    void madeOutput(int index, PcsCommitment c) {
        outputs.put(index, c);
    }
}
