package dev.verinfer.market;

import java.util.List;
import java.util.stream.IntStream;

/**
 * A DAG of requests submitted and escrowed by one transaction. Step {@code i} is request
 * {@code firstRequest + i}; {@code inputs.get(i)} says where its committed input tensors come from
 * (empty for a public input). A step is {@link Request.Status#WAITING} until every step it takes an
 * output from has {@link Request.Status#VERIFIED}; it then opens on those outputs' commitment roots.
 * The workflow {@link Status#SETTLED settles} when all steps have verified, paying them in one
 * transition; it {@link Status#FAILED fails} when a step cannot verify by its deadline: verified
 * steps are paid, the others refunded.
 */
public record Workflow(long id, String client, long firstRequest, List<List<Tx.TensorRef>> inputs, Status status) {
    public enum Status {
        ACTIVE, SETTLED, FAILED
    }

    public Workflow {
        inputs = inputs.stream().map(List::copyOf).toList();
    }

    public int size() {
        return inputs.size();
    }

    /** The request id of step {@code step}. */
    public long request(int step) {
        return firstRequest + step;
    }

    /** The steps whose outputs step {@code step} takes, ascending. */
    public List<Integer> predecessors(int step) {
        return inputs.get(step).stream().filter(Tx.TensorRef.Output.class::isInstance)
                .map(ref -> ((Tx.TensorRef.Output) ref).step()).distinct().sorted().toList();
    }

    /** Whether a later step takes an output of step {@code step} (its output is then committed). */
    boolean consumed(int step) {
        return IntStream.range(step + 1, size()).anyMatch(i -> predecessors(i).contains(step));
    }

    Workflow ended(Status s) {
        return new Workflow(id, client, firstRequest, inputs, s);
    }
}
