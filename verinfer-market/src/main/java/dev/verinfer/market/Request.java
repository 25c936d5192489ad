package dev.verinfer.market;

/**
 * An inference request and where it stands. The client's {@code maxFee} stays in escrow until the
 * request is {@link Status#SETTLED} or {@link Status#REFUNDED}. {@code lock}, {@code result} and
 * {@code dispute} are null until the request reaches the stage that sets them.
 */
public record Request(long id, String client, String modelId, byte[] input, long maxFee, long deadline, Mode mode,
                      Status status, long openedAt, Lock lock, Result result, Dispute dispute) {
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
        REFUNDED;

        public boolean isFinal() {
            return this == SETTLED || this == REFUNDED;
        }
    }

    /** The prover, the price it locked at, the collateral it posted and when the lock expires. */
    public record Lock(String prover, long price, long collateral, long expiresAt) {
    }

    /** A posted output and when (time and block height). */
    public record Result(byte[] output, long postedAt, long postedHeight) {
        public Result {
            output = output.clone();
        }

        @Override
        public byte[] output() {
            return output.clone();
        }
    }

    /** A demand for a proof: by a challenger with a bond, or by the sampling draw (challenger empty, bond 0). */
    public record Dispute(String challenger, long bond, long respondBy) {
    }

    public Request {
        input = input.clone();
    }

    @Override
    public byte[] input() {
        return input.clone();
    }

    /** The value this request holds in escrow. */
    public long escrow() {
        return status.isFinal() ? 0 : maxFee;
    }

    Request open(long at) {
        return new Request(id, client, modelId, input, maxFee, deadline, mode, Status.OPEN, at, null, null, null);
    }

    Request locked(Lock l) {
        return new Request(id, client, modelId, input, maxFee, deadline, mode, Status.LOCKED, openedAt, l, null, null);
    }

    Request posted(Result r) {
        return new Request(id, client, modelId, input, maxFee, deadline, mode, Status.POSTED, openedAt, lock, r, null);
    }

    Request disputed(Dispute d) {
        return new Request(id, client, modelId, input, maxFee, deadline, mode, Status.PROOF_DUE, openedAt, lock, result, d);
    }

    Request closed(Status s) {
        return new Request(id, client, modelId, input, maxFee, deadline, mode, s, openedAt, lock, result, dispute);
    }
}
