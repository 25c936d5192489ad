package dev.verinfer.pipeline;

import dev.verinfer.zkml.VerificationResult;

/** One step's verification: the verifier's result and the time it took. */
public record StepVerdict(String step, VerificationResult result, long verifyNanos) {}
