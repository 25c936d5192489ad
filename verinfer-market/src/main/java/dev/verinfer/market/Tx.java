package dev.verinfer.market;

import java.util.List;

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

    /** Registers a set of input oracles (Ed25519 public keys, X.509) of which {@code threshold} must attest an input; its id is {@link OracleSet#idOf}. */
    record RegisterOracleSet(int threshold, List<byte[]> publicKeys) implements Tx {
        public RegisterOracleSet {
            publicKeys = publicKeys.stream().map(byte[]::clone).toList();
        }
    }

    /**
     * Escrows {@code maxFee} from the sender's balance; {@code input} is the encoded public input,
     * attested by an oracle set if {@code attestation} is not {@link Attestation#NONE}.
     */
    record SubmitRequest(String modelId, byte[] input, long maxFee, long deadline, Mode mode, Attestation attestation) implements Tx {
        /** An unattested request. */
        public SubmitRequest(String modelId, byte[] input, long maxFee, long deadline, Mode mode) {
            this(modelId, input, maxFee, deadline, mode, Attestation.NONE);
        }
    }

    /**
     * Oracle signatures on a request's input: {@code signatures.get(i)} is the i-th key's of set
     * {@code oracleSet} (empty where that oracle did not sign), over {@link Signer#attest}'s message.
     */
    record Attestation(String oracleSet, List<byte[]> signatures) {
        public static final Attestation NONE = new Attestation("", List.of());

        public Attestation {
            signatures = signatures.stream().map(byte[]::clone).toList();
        }
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
