package dev.verinfer.pipeline;

import java.util.List;

/** The proofs of a chain, one per step in the chain's order. */
public record ChainProof(List<StepProof> steps) {
    public ChainProof {
        steps = List.copyOf(steps);
    }

    public List<byte[]> bytes() {
        return steps.stream().map(s -> s.proof().bytes()).toList();
    }

    public long totalBytes() {
        return steps.stream().mapToLong(s -> s.proof().size()).sum();
    }

    public long totalProveNanos() {
        return steps.stream().mapToLong(StepProof::proveNanos).sum();
    }
}
