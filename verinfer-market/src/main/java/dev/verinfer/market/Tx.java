package dev.verinfer.market;

/** The body of a market transaction; who sends it is the signer of its {@link SignedTx}. Amounts are in the market's smallest unit. */
public sealed interface Tx {
    /** Value entering the market: only the operator (the bridge to the outside) may sign it. */
    record Deposit(String account, long amount) implements Tx {
    }

    /** Value leaving the market from the sender's balance. */
    record Withdraw(long amount) implements Tx {
    }

    /** Registers a model under the id its verifying key defines; the sender owns it and earns {@code royalty} per paid inference. */
    record RegisterModel(byte[] verifyingKey, long royalty) implements Tx {
    }

    /** The owner withdraws a model from new requests (open ones still complete). */
    record DeprecateModel(String modelId) implements Tx {
    }

    record RegisterProver(long stake) implements Tx {
    }

    record AddStake(long amount) implements Tx {
    }

    /** Refused while the prover holds collateral on locked requests. */
    record WithdrawStake(long amount) implements Tx {
    }

    /** Escrows {@code maxFee} from the sender's balance; {@code input} is the encoded public input. */
    record SubmitRequest(String modelId, byte[] input, long maxFee, long deadline, Mode mode) implements Tx {
    }

    /** A prover takes an open request at the current auction price, posting collateral from its stake. */
    record LockRequest(long requestId) implements Tx {
    }

    /** The locking prover's output; with a proof in ZK mode, without one in the other modes. */
    record SubmitResult(long requestId, byte[] output, byte[] proof) implements Tx {
    }

    /** Disputes an optimistic result within its window, posting the challenge bond. */
    record Challenge(long requestId) implements Tx {
    }

    /** The prover's answer to a challenge or a sampling draw. */
    record SubmitProof(long requestId, byte[] proof) implements Tx {
    }
}
