package dev.verinfer.pipeline;

import java.util.List;

/**
 * The answer of the chain verifier: valid, or invalid with the reason (naming the step or link);
 * the steps verified so far (all of them when valid), in chain order.
 */
public record ChainVerdict(boolean valid, String reason, List<StepVerdict> steps) {
    public ChainVerdict {
        steps = List.copyOf(steps);
    }

    /** The public outputs of the last step (e.g. the wake-word score), as proven. */
    public List<long[]> finalOutputs() {
        if (!valid) {
            throw new IllegalStateException("the chain is invalid: " + reason);
        }
        return steps.getLast().result().statement().outputs();
    }

    public long totalVerifyNanos() {
        return steps.stream().mapToLong(StepVerdict::verifyNanos).sum();
    }
}
