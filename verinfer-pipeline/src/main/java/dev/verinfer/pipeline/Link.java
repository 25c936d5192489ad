package dev.verinfer.pipeline;

/** Output {@code output} of step {@code fromStep} is input {@code input} of step {@code toStep} (indices in graph order). */
public record Link(int fromStep, int output, int toStep, int input) {
    public Link {
        if (fromStep < 0 || output < 0 || input < 0 || toStep <= fromStep) {
            throw new IllegalArgumentException("a link goes from an earlier step to a later one: " + fromStep + "." + output + " -> " + toStep + "." + input);
        }
    }
}
