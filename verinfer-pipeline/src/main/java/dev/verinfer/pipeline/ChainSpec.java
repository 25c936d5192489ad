package dev.verinfer.pipeline;

import dev.verinfer.model.quant.QTensor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.TensorLink;
import dev.verinfer.zkml.Visibility;

import java.util.List;
import java.util.Optional;

/**
 * A chain of proofs: steps (each a verifying key) and the links that carry one step's output into a
 * later step's input. A linked value is never sent: the producing step's statement holds a
 * commitment to it and the consuming step's statement must hold the same root for its input.
 * <p>Rules, checked here: a linked output and input fit ({@link TensorLink}: the same shape and scale,
 * the output's declared bound within the input's — the consumer's proof relies on its input's bound
 * and the producer's proof bounds it — and one commitment security); each input has at most one source; a step's inputs
 * are all linked (committed) or all unlinked (public), and likewise its outputs.
 */
public record ChainSpec(List<ChainStep> steps, List<Link> links) {
    public ChainSpec {
        steps = List.copyOf(steps);
        links = List.copyOf(links);
        for (Link l : links) {
            if (l.toStep() >= steps.size()) {
                throw new IllegalArgumentException("link " + l + " names step " + l.toStep() + " of " + steps.size());
            }
            tensor(steps.get(l.fromStep()), l.output(), false);
            tensor(steps.get(l.toStep()), l.input(), true);
            Optional<String> misfit = TensorLink.incompatibility(steps.get(l.fromStep()).key(), l.output(), steps.get(l.toStep()).key(), l.input());
            if (misfit.isPresent()) {
                throw new IllegalArgumentException("link " + describe(steps, l) + ": " + misfit.get());
            }
            if (links.stream().filter(m -> m.toStep() == l.toStep() && m.input() == l.input()).count() > 1) {
                throw new IllegalArgumentException("input " + l.input() + " of step '" + steps.get(l.toStep()).name() + "' has several sources");
            }
        }
        for (int s = 0; s < steps.size(); s++) {
            visibility(steps, links, s, true);
            visibility(steps, links, s, false);
        }
    }

    /** How step {@code step} must prove its inputs: committed when they are linked, else public. */
    public Visibility inputs(int step) {
        return visibility(steps, links, step, true);
    }

    /** How step {@code step} must prove its outputs: committed when they feed a later step, else public. */
    public Visibility outputs(int step) {
        return visibility(steps, links, step, false);
    }

    /** The link feeding input {@code input} of step {@code step}, if any. */
    public Optional<Link> source(int step, int input) {
        return links.stream().filter(l -> l.toStep() == step && l.input() == input).findFirst();
    }

    String describe(Link l) {
        return describe(steps, l);
    }

    private static String describe(List<ChainStep> steps, Link l) {
        return "'" + steps.get(l.fromStep()).name() + "' output " + l.output() + " -> '" + steps.get(l.toStep()).name() + "' input " + l.input();
    }

    private static Visibility visibility(List<ChainStep> steps, List<Link> links, int step, boolean inputs) {
        QuantGraph g = steps.get(step).key().graph();
        int n = inputs ? g.inputs().size() : g.outputs().size();
        long linked = java.util.stream.IntStream.range(0, n)
                .filter(i -> links.stream().anyMatch(l -> inputs ? l.toStep() == step && l.input() == i : l.fromStep() == step && l.output() == i)).count();
        if (linked != 0 && linked != n) {
            throw new IllegalArgumentException("step '" + steps.get(step).name() + "': " + linked + " of its " + n + (inputs ? " inputs" : " outputs")
                    + " are linked; they must be all linked (committed) or none (public)");
        }
        return linked == 0 ? Visibility.PUBLIC : Visibility.COMMITTED;
    }

    private static QTensor tensor(ChainStep step, int index, boolean input) {
        List<Integer> ids = input ? step.key().graph().inputs() : step.key().graph().outputs();
        if (index >= ids.size()) {
            throw new IllegalArgumentException("step '" + step.name() + "' has " + ids.size() + (input ? " inputs" : " outputs") + ", not " + (index + 1));
        }
        return step.key().graph().tensor(ids.get(index));
    }
}
