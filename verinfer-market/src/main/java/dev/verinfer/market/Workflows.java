package dev.verinfer.market;

import dev.verinfer.ledger.BlockContext;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;

/**
 * Submission of a {@link Workflow}: every step checked — its terms, a public input against the
 * verifying key ({@link ProofVerifier#checkInput}), each link by the chain rules of
 * {@link ProofVerifier#linkFailure} (shape and padded layout, scale, bound) — the total escrowed,
 * one request per step.
 */
final class Workflows {
    /** Bound on a workflow's steps. */
    static final int MAX_STEPS = 32;

    private final MarketState state;
    private final MarketParams params;
    private final ProofVerifier verifier;

    Workflows(MarketState state, MarketParams params, ProofVerifier verifier) {
        this.state = state;
        this.params = params;
        this.verifier = verifier;
    }

    void submit(String sender, Tx.SubmitWorkflow w, BlockContext block) {
        List<Tx.Step> steps = w.steps();
        Rejected.unless(!steps.isEmpty() && steps.size() <= MAX_STEPS, "a workflow has 1.." + MAX_STEPS + " steps, not " + steps.size());
        List<List<Tx.TensorRef>> inputs = new ArrayList<>();
        long total = 0;
        Set<Tx.TensorRef> hidingLinks = new HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            try {
                inputs.add(check(steps, i, block));
                for (Tx.TensorRef ref : inputs.getLast()) {
                    // A private producer's output is a hiding commitment covering two proofs' openings (ZeroKnowledge.LINKED_OPENING_BUDGET):
                    // its producer's and one consumer's. A second consumer would open it beyond what its mask hides.
                    if (ref instanceof Tx.TensorRef.Output(int from, int tensor) && verifier.zeroKnowledge(Transitions.resolve(state, steps.get(from).modelId()).verifyingKey())) {
                        Rejected.unless(hidingLinks.add(ref), "output " + tensor + " of step " + from + " feeds a second input: a private model's committed"
                                + " output is a hiding commitment opened by its producer's proof and one consumer's only");
                    }
                }
            } catch (Rejected r) {
                throw new Rejected("step " + i + ": " + r.getMessage());
            }
            total += steps.get(i).maxFee();
        }
        Rejected.unless(total <= Transitions.MAX_TOTAL, "the workflow's fees total " + total + ", more than " + Transitions.MAX_TOTAL);
        state.debit(sender, total, "the workflow's escrow");
        Workflow wf = new Workflow(state.nextWorkflowId++, sender, state.nextRequestId, inputs, Workflow.Status.ACTIVE);
        state.workflows.put(wf.id(), wf);
        for (int i = 0; i < steps.size(); i++) {
            Tx.Step step = steps.get(i);
            boolean ready = wf.predecessors(i).isEmpty();
            byte[] input = step.input() instanceof Tx.StepInput.Public(byte[] values) ? values : new byte[0];
            List<byte[]> roots = ready ? inputs.get(i).stream().map(ref -> ((Tx.TensorRef.Root) ref).root()).toList() : List.of();
            long id = state.nextRequestId++;
            state.requests.put(id, new Request(id, sender, Transitions.resolve(state, step.modelId()).id(), input, step.maxFee(), step.deadline(), step.mode(),
                    ready ? Request.Status.OPEN : Request.Status.WAITING, block.timeMillis(), null, null, null, roots, wf.consumed(i), wf.id()));
        }
    }

    /** The step's committed input tensors (empty for a public input), each an earlier step's output or a client root. */
    private List<Tx.TensorRef> check(List<Tx.Step> steps, int index, BlockContext block) {
        Tx.Step step = steps.get(index);
        Model model = Transitions.checkTerms(state, params, step.modelId(), step.maxFee(), step.deadline(), block);
        Rejected.unless(step.mode() instanceof Mode.Zk, "workflow steps are ZK (a watcher cannot re-run a step on a committed input), not " + step.mode());
        return switch (step.input()) {
            case Tx.StepInput.Public(byte[] input) -> {
                Transitions.checkModelInput(verifier, model, input);
                Transitions.checkAttestation(state, step.attestation(), set -> Signer.attestationMessage(params.chainId(), set, step.modelId(), input));
                yield List.of();
            }
            case Tx.StepInput.Committed(List<Tx.TensorRef> tensors) -> {
                Rejected.unless(!tensors.isEmpty() && tensors.size() <= TxCodec.MAX_LIST,
                        "a committed input has 1.." + TxCodec.MAX_LIST + " tensors, not " + tensors.size());
                for (int input = 0; input < tensors.size(); input++) {
                    switch (tensors.get(input)) {
                        case Tx.TensorRef.Root(byte[] root) -> Transitions.checkRoot(root, "a committed input");
                        case Tx.TensorRef.Output(int from, int tensor) -> {
                            Rejected.unless(from >= 0 && from < index, "an input names step " + from + ", not an earlier step (steps are listed in topological order)");
                            Rejected.unless(tensor >= 0 && tensor < TxCodec.MAX_LIST, "an input names output tensor " + tensor + " of step " + from);
                            // The chain rules (verinfer-zkml's TensorLink): the consumer must read exactly the producer's integers.
                            // The producer's listing was resolved when its (earlier) step was checked.
                            Model producer = Transitions.resolve(state, steps.get(from).modelId());
                            Optional<String> misfit = verifier.linkFailure(producer.verifyingKey(), tensor, model.verifyingKey(), input);
                            if (misfit.isPresent()) {
                                throw new Rejected("output " + tensor + " of step " + from + " cannot feed input " + input + ": " + misfit.get());
                            }
                        }
                    }
                }
                if (tensors.stream().allMatch(Tx.TensorRef.Root.class::isInstance)) {
                    List<byte[]> roots = tensors.stream().map(ref -> ((Tx.TensorRef.Root) ref).root()).toList();
                    Transitions.checkAttestation(state, step.attestation(), set -> Signer.committedAttestationMessage(params.chainId(), set, step.modelId(), roots));
                } else {
                    Rejected.unless(step.attestation().oracleSet().isEmpty() && step.attestation().signatures().isEmpty(), "an input taken from earlier steps is bound by their proofs, not attested");
                }
                yield tensors;
            }
        };
    }
}
