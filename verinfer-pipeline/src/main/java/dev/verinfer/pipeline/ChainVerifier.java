package dev.verinfer.pipeline;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.PublicStatement;
import dev.verinfer.zkml.VerificationResult;
import dev.verinfer.zkml.Verifier;
import dev.verinfer.zkml.Visibility;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Checks a chain of proofs: first the statements against each other ({@link #linkFailure}: every
 * linked input holds the root of its source's committed output, every other input and output is
 * public and of one inference), then every proof against its step's verifying key. Valid means:
 * for the public inputs of the first steps, the composed quantised models output the public outputs
 * of the last ones, with every value passing between steps bound by a commitment.
 */
public final class ChainVerifier {
    private ChainVerifier() {}

    public static ChainVerdict verify(ChainSpec spec, List<byte[]> proofs) {
        if (proofs.size() != spec.steps().size()) {
            return new ChainVerdict(false, proofs.size() + " proofs for a chain of " + spec.steps().size() + " steps", List.of());
        }
        List<PublicStatement> statements = new ArrayList<>();
        for (int s = 0; s < proofs.size(); s++) {
            try {
                statements.add(Proof.fromBytes(proofs.get(s)).statement());
            } catch (MalformedProofException e) {
                return new ChainVerdict(false, "step '" + spec.steps().get(s).name() + "': malformed proof: " + e.getMessage(), List.of());
            }
        }
        Optional<String> failure = linkFailure(spec, statements);
        if (failure.isPresent()) {
            return new ChainVerdict(false, failure.get(), List.of());
        }
        List<StepVerdict> verdicts = new ArrayList<>();
        for (int s = 0; s < proofs.size(); s++) {
            ChainStep step = spec.steps().get(s);
            long t0 = System.nanoTime();
            VerificationResult r = Verifier.verify(step.key(), proofs.get(s));
            verdicts.add(new StepVerdict(step.name(), r, System.nanoTime() - t0));
            if (!r.valid()) {
                return new ChainVerdict(false, "step '" + step.name() + "': " + r.reason(), verdicts);
            }
        }
        return new ChainVerdict(true, "valid", verdicts);
    }

    /**
     * Why these statements do not form the chain (empty when they do): a wrong model id or tensor
     * count, a linked input whose root is not its source's committed output root, a committed
     * input or output that no link binds, or public values that are not exactly one inference.
     * Cheap (no proof is checked): a market can run it on the statements of separately verified steps.
     */
    public static Optional<String> linkFailure(ChainSpec spec, List<PublicStatement> statements) {
        if (statements.size() != spec.steps().size()) {
            return Optional.of(statements.size() + " statements for a chain of " + spec.steps().size() + " steps");
        }
        for (int s = 0; s < statements.size(); s++) {
            ChainStep step = spec.steps().get(s);
            PublicStatement st = statements.get(s);
            QuantGraph g = step.key().graph();
            if (!Arrays.equals(st.modelId(), step.key().modelId())) {
                return Optional.of("step '" + step.name() + "' is proven for model " + st.modelIdHex() + ", not " + step.key().modelIdHex());
            }
            if (st.batch() != 1) {
                return Optional.of("step '" + step.name() + "' is proven as a batch of " + st.batch() + " inferences; a chain's steps are single inferences");
            }
            if (st.inputs().size() != g.inputs().size() || st.outputs().size() != g.outputs().size()) {
                return Optional.of("step '" + step.name() + "' states " + st.inputs().size() + " inputs and " + st.outputs().size()
                        + " outputs, its model has " + g.inputs().size() + " and " + g.outputs().size());
            }
            for (int i = 0; i < g.inputs().size(); i++) {
                Optional<Link> link = spec.source(s, i);
                if (link.isEmpty()) {
                    Optional<String> f = oneInference(step, "input", i, st.inputCommitted(i), st.inputs().get(i).length, g.tensor(g.inputs().get(i)).size());
                    if (f.isPresent()) {
                        return f;
                    }
                    continue;
                }
                Link l = link.get();
                PublicStatement from = statements.get(l.fromStep());
                if (!st.inputCommitted(i) || !from.outputCommitted(l.output())
                        || !Arrays.equals(st.inputRoots().get(i), from.outputRoots().get(l.output()))) {
                    return Optional.of("link " + spec.describe(l) + ": the input is not bound to the committed output (roots differ)");
                }
            }
            if (spec.outputs(s) == Visibility.PUBLIC) {
                for (int o = 0; o < g.outputs().size(); o++) {
                    Optional<String> f = oneInference(step, "output", o, st.outputCommitted(o), st.outputs().get(o).length, g.tensor(g.outputs().get(o)).size());
                    if (f.isPresent()) {
                        return f;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** An unlinked tensor must be public and hold exactly one inference (no batch: a batch's commitments would not be the links' tensors). */
    private static Optional<String> oneInference(ChainStep step, String what, int index, boolean committed, int length, int size) {
        if (committed) {
            return Optional.of("step '" + step.name() + "': " + what + " " + index + " is committed but no link binds it");
        }
        if (length != size) {
            return Optional.of("step '" + step.name() + "': " + what + " " + index + " holds " + length + " values, not one inference of " + size);
        }
        return Optional.empty();
    }
}
