package dev.verinfer.pipeline;

import dev.verinfer.zkml.Proof;

/** One step's proof with the time it took to prove (execution of the step included). */
public record StepProof(String step, Proof proof, long proveNanos) {}
