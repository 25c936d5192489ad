package dev.verinfer.market;

import java.util.List;

/**
 * An inference request and where it stands. The client's {@code maxFee} stays in escrow until the
 * request is {@link Status#SETTLED} or {@link Status#REFUNDED}. {@code lock}, {@code result} and
 * {@code dispute} are null until the request reaches the stage that sets them.
 *
 * <p>The input is public ({@code input}, {@code inputRoots} empty) or committed ({@code input} empty,
 * one commitment root per input tensor of the model in {@code inputRoots}). The output is public
 * unless {@code outputCommitted}: then the result carries one root per output tensor. A request with
 * a non-zero {@code workflowId} is a step of that {@link Workflow}.
 */
public record Request(long id, String client, String modelId, byte[] input, long maxFee, long deadline, Mode mode,
                      Status status, long openedAt, Lock lock, Result result, Dispute dispute,
                      List<byte[]> inputRoots, boolean outputCommitted, long workflowId) {
    public enum Status {
        /** In auction. */
        OPEN,
        /** A prover holds it and owes a result. */
        LOCKED,
        /** Result posted; awaiting the challenge window (OPTIMISTIC) or the draw (SAMPLED). */
        POSTED,
        /** Challenged or sampled: the prover owes a proof. */
        PROOF_DUE,
        SETTLED,
        REFUNDED,
        /** A workflow step whose predecessors have not all verified yet. */
        WAITING,
        /** A workflow step whose proof verified: paid when its workflow ends. */
        VERIFIED;

        public boolean isFinal() {
            return this == SETTLED || this == REFUNDED;
        }

        /** Whether a prover's collateral is held on the request. */
        public boolean holdsCollateral() {
            return this == LOCKED || this == POSTED || this == PROOF_DUE;
        }
    }

    /** The prover, the price it locked at, the collateral it posted and when the lock expires. */
    public record Lock(String prover, long price, long collateral, long expiresAt) {
        /** The same lock expiring {@code millis} later (excused downtime). */
        Lock extended(long millis) {
            return new Lock(prover, price, collateral, Math.addExact(expiresAt, millis));
        }
    }

    /** A posted output (public values, or one commitment root per output tensor) and when (time and block height). */
    public record Result(byte[] output, List<byte[]> outputRoots, long postedAt, long postedHeight) {
        public Result {
            output = output.clone();
            outputRoots = outputRoots.stream().map(byte[]::clone).toList();
        }

        /** The same result with its windows starting {@code millis} later (excused downtime). */
        Result delayed(long millis) {
            return new Result(output, outputRoots, Math.addExact(postedAt, millis), postedHeight);
        }

        @Override
        public byte[] output() {
            return output.clone();
        }

        @Override
        public List<byte[]> outputRoots() {
            return outputRoots.stream().map(byte[]::clone).toList();
        }
    }

    /** A demand for a proof: by a challenger with a bond, or by the sampling draw (challenger empty, bond 0). */
    public record Dispute(String challenger, long bond, long respondBy) {
        /** The same demand due {@code millis} later (excused downtime). */
        Dispute extended(long millis) {
            return new Dispute(challenger, bond, Math.addExact(respondBy, millis));
        }
    }

    public Request {
        input = input.clone();
        inputRoots = inputRoots.stream().map(byte[]::clone).toList();
    }

    @Override
    public byte[] input() {
        return input.clone();
    }

    @Override
    public List<byte[]> inputRoots() {
        return inputRoots.stream().map(byte[]::clone).toList();
    }

    public boolean inputCommitted() {
        return !inputRoots.isEmpty();
    }

    /** The value this request holds in escrow. */
    public long escrow() {
        return status.isFinal() ? 0 : maxFee;
    }

    /** What a proof of this request's posted result must establish (on the verifying key's model id, not the listing's key). */
    Statement statement() {
        return new Statement(Model.modelIdOf(modelId), input, inputRoots, result.output(), result.outputRoots());
    }

    /** The same record with {@code input} in place of its own (a view that leaves the input out has it empty). */
    public Request withInput(byte[] input) {
        return new Request(id, client, modelId, input, maxFee, deadline, mode, status, openedAt, lock, result, dispute, inputRoots, outputCommitted, workflowId);
    }

    private Request with(Status s, long at, Lock l, Result r, Dispute d) {
        return new Request(id, client, modelId, input, maxFee, deadline, mode, s, at, l, r, d, inputRoots, outputCommitted, workflowId);
    }

    Request open(long at) {
        return with(Status.OPEN, at, null, null, null);
    }

    /** A waiting workflow step opened on its now known input commitments. */
    Request open(List<byte[]> roots, long at) {
        return new Request(id, client, modelId, input, maxFee, deadline, mode, Status.OPEN, at, null, null, null, roots, outputCommitted, workflowId);
    }

    Request locked(Lock l) {
        return with(Status.LOCKED, openedAt, l, null, null);
    }

    Request posted(Result r) {
        return with(Status.POSTED, openedAt, lock, r, null);
    }

    Request disputed(Dispute d) {
        return with(Status.PROOF_DUE, openedAt, lock, result, d);
    }

    Request closed(Status s) {
        return with(s, openedAt, lock, result, dispute);
    }
}
